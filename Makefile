# SPDX-License-Identifier: MIT
# sockscope — build, test and install.  `make V=1` shows full commands;
# user CFLAGS/LDFLAGS come last so they win.  Each part adds its targets in
# its own module.mk.

PREFIX  ?= /usr/local
LIBDIR  ?= $(PREFIX)/lib
BINDIR  ?= $(PREFIX)/bin
INCDIR  ?= $(PREFIX)/include
MANDIR  ?= $(PREFIX)/share/man
DESTDIR ?=
# Sanitized builds live apart, so both kinds of objects never mix.
ifneq ($(SANITIZE),)
B       ?= build/san
endif
B       ?= build
CC      ?= cc

ifeq ($(V),1)
Q :=
else
Q := @
endif

PKGS := lttng-ust
ifneq ($(SANITIZE),)
SAN_FLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer
endif

WARN     := -Wall -Wextra -Werror -Wno-unused-parameter
SS_CFLAGS := -std=gnu11 -O2 -g -fPIC -fvisibility=hidden $(WARN) -D_GNU_SOURCE \
	-Icommon -Itracepoints -Iinclude $(SAN_FLAGS) $(CFLAGS)
SS_LDFLAGS := $(SAN_FLAGS) $(LDFLAGS)
UST_LIBS := $(shell pkg-config --libs lttng-ust 2>/dev/null || echo -llttng-ust) -ldl

COMMON_SRC := common/ss_names.c common/ss_addr.c common/ss_runtime.c
COMMON_OBJ := $(COMMON_SRC:%.c=$(B)/%.o)

all: $(B)/libsockscope-tp.so

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(SS_CFLAGS) -MMD -MP -c -o $@ $<

# The probes read a thread-local cache at every event (ss-tp-types.h) from a
# library loaded with dlopen: TLS descriptors make that a load, not a call
# to __tls_get_addr, where the target has them.
ifneq ($(filter x86_64%,$(shell $(CC) -dumpmachine)),)
$(B)/tracepoints/%.o: SS_CFLAGS += -mtls-dialect=gnu2
endif

$(B)/libsockscope-tp.so: $(B)/tracepoints/tp.o $(B)/tracepoints/context.o $(B)/common/ss_runtime.o
	@echo "  LD      $@"
	$(Q)$(CC) -shared -o $@ $^ $(SS_LDFLAGS) -Wl,-soname,libsockscope-tp.so $(UST_LIBS)

INSTALL_TARGETS := install-tp
include $(wildcard */module.mk)

# Installs missing Debian packages; quick when nothing is missing.
deps:
	$(Q)sh scripts/deps.sh

check:
	$(Q)$(MAKE) --no-print-directory deps
	$(Q)$(MAKE) --no-print-directory all tests
	$(Q)SS_BUILD=$(abspath $(B)) SS_SANITIZE=$(SANITIZE) sh scripts/with-sessiond.sh \
		prove $(PROVE_FLAGS) tests/*.t

demo:
	$(Q)$(MAKE) --no-print-directory deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)sh scripts/demo.sh

bench:
	$(Q)$(MAKE) --no-print-directory deps
	$(Q)$(MAKE) --no-print-directory all $(B)/bench/micro $(B)/bench/micro-ust $(B)/bench/empty $(B)/tests/ss-net
	$(Q)sh bench/run.sh

# Each module.mk adds its own install-<part> target to INSTALL_TARGETS.
install: $(INSTALL_TARGETS)

install-dirs: all
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(BINDIR) $(DESTDIR)$(INCDIR) \
		$(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3

install-tp: install-dirs
	install -m 0755 $(B)/libsockscope-tp.so $(DESTDIR)$(LIBDIR)/

clean:
	rm -rf $(B)

.PHONY: all deps check demo bench install install-dirs install-tp clean tests
-include $(shell find $(B) -name '*.d' 2>/dev/null)
