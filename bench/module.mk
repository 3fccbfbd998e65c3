# SPDX-License-Identifier: MIT
# Benchmark programs (run by `make bench`).
$(B)/bench/micro: bench/micro.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(SS_CFLAGS) -o $@ $< $(SS_LDFLAGS)

tests: $(B)/bench/micro
