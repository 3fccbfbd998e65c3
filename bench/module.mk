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

tests: $(B)/bench/micro $(B)/bench/micro-ust $(B)/bench/empty

# micro with one minimal LTTng-UST event after each getsockopt: the floor.
$(B)/bench/micro-ust: bench/micro.c bench/bench-tp.h
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(SS_CFLAGS) -DSS_BENCH_UST -Ibench -o $@ $< $(SS_LDFLAGS) $(UST_LIBS) -lpthread
