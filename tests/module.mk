# SPDX-License-Identifier: MIT
# Test programs: every tests/prog/<name>.c becomes build/tests/<name>,
# linked with the common decoding layer.  `make tests` builds them all; other
# parts add their own test programs to the `tests` target in their module.mk.
TEST_PROG_SRC := $(wildcard tests/prog/*.c)
TEST_PROGS := $(TEST_PROG_SRC:tests/prog/%.c=$(B)/tests/%)

tests: all $(TEST_PROGS)

$(B)/tests/%: tests/prog/%.c $(COMMON_OBJ)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(SS_CFLAGS) -Wno-unused-value -o $@ $< $(COMMON_OBJ) $(SS_LDFLAGS) -lpthread
