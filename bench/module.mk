# SPDX-License-Identifier: MIT
# Benchmark programs (run by `make bench`).
$(B)/bench/micro: bench/micro.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(SS_CFLAGS) -o $@ $< $(SS_LDFLAGS)

# An empty C program, for the start-cost benchmark.
$(B)/bench/empty: bench/empty.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(SS_CFLAGS) -o $@ $< $(SS_LDFLAGS)

tests: $(B)/bench/micro $(B)/bench/empty
