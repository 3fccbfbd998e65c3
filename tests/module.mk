# SPDX-License-Identifier: MIT
# Test programs: every tests/prog/<name>.c becomes build/tests/<name>,
# linked with the common decoding layer.  `make tests` builds them all; other
# parts add their own test programs to the `tests` target in their module.mk.
# tests/prog/lib<name>.c are shared libraries for the programs that need
# one (ss-early links libss-early.so).
TEST_LIB_SRC := $(wildcard tests/prog/lib*.c)
TEST_PROG_SRC := $(filter-out $(TEST_LIB_SRC),$(wildcard tests/prog/*.c))
TEST_PROGS := $(TEST_PROG_SRC:tests/prog/%.c=$(B)/tests/%)
TEST_LIBS := $(TEST_LIB_SRC:tests/prog/%.c=$(B)/tests/%.so)

tests: all $(TEST_PROGS) $(TEST_LIBS)

$(B)/tests/%.so: tests/prog/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(SS_CFLAGS) -shared -o $@ $< $(SS_LDFLAGS)

$(B)/tests/ss-early: $(B)/tests/libss-early.so
$(B)/tests/ss-early: TEST_LDLIBS = -L$(B)/tests -lss-early -Wl,-rpath,'$$ORIGIN'

# ss-uvecho is a libuv program.
$(B)/tests/ss-uvecho: TEST_LDLIBS = -luv

$(B)/tests/%: tests/prog/%.c $(COMMON_OBJ)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(SS_CFLAGS) -Wno-unused-value -o $@ $< $(COMMON_OBJ) $(SS_LDFLAGS) $(TEST_LDLIBS) -lpthread

# A ThreadSanitizer build of the preload, ss-calls and ss-ready for tests/preload-tsan.t
# (not when the whole tree is already built with another sanitizer).
ifeq ($(SANITIZE),)
tests: tsan-build
tsan-build:
	$(Q)$(MAKE) --no-print-directory B=$(B)/tsan SANITIZE=thread \
		$(B)/tsan/libsockscope-preload.so $(B)/tsan/tests/ss-calls \
		$(B)/tsan/tests/ss-ready
.PHONY: tsan-build
endif

# Programs that stand for foreign binaries (raw system calls, a Go-like
# layout, a server that sandboxes itself with seccomp): built without the
# common layer and without sanitizers, so that they import only what their
# source calls, as record's checks expect, and make no call a sanitizer's
# runtime would add.
FOREIGN_PROGS := $(B)/tests/ss-rawsys $(B)/tests/ss-rawasm $(B)/tests/ss-gofake \
	$(B)/tests/ss-seccomp
$(FOREIGN_PROGS): $(B)/tests/%: tests/prog/%.c tests/prog/rawnet.h tests/prog/looppair.h
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) -std=gnu11 -O2 -g $(WARN) -D_GNU_SOURCE -o $@ $< $(CFLAGS) $(LDFLAGS)
