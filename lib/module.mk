# SPDX-License-Identifier: MIT
# libsockscope: the companion library (shared, static, pkg-config file),
# the C echo examples built on it, and its test programs (tests/api/*.c).
# Like the preload, it loads its probes (libsockscope-tp.so, next to it) at
# run time, only when a session daemon is there to want them.
LIB_VERSION := 0.1.0
LIB_SONAME := libsockscope.so.0
LIB_SRC := lib/trace.c lib/error.c lib/addr.c lib/socket.c lib/endpoint.c lib/io.c \
	lib/option.c lib/netdb.c
LIB_OBJ := $(LIB_SRC:%.c=$(B)/%.o) $(COMMON_OBJ)
# What a static link needs besides the archive.
LIB_PRIVATE := -ldl -lpthread

all: $(B)/libsockscope.so $(B)/libsockscope.a $(B)/sockscope.pc \
	$(B)/examples/echo-server $(B)/examples/echo-client

$(B)/$(LIB_SONAME): $(LIB_OBJ) lib/libsockscope.map $(B)/libsockscope-tp.so
	@echo "  LD      $@"
	$(Q)$(CC) -shared -o $@ $(LIB_OBJ) $(SS_LDFLAGS) -Wl,-soname,$(LIB_SONAME) \
		-Wl,--version-script=lib/libsockscope.map -Wl,--no-undefined -ldl

$(B)/libsockscope.so: $(B)/$(LIB_SONAME)
	$(Q)ln -sf $(LIB_SONAME) $@

$(B)/libsockscope.a: $(LIB_OBJ)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

# The .pc file for a prefix: $(call sockscope_pc,PREFIX,LIBDIR,INCDIR).
sockscope_pc = sed -e 's|@PREFIX@|$(1)|' -e 's|@LIBDIR@|$(2)|' -e 's|@INCDIR@|$(3)|' \
	-e 's|@VERSION@|$(LIB_VERSION)|' -e 's|@PRIVATE@|$(LIB_PRIVATE)|' lib/sockscope.pc.in

$(B)/sockscope.pc: lib/sockscope.pc.in lib/module.mk
	@echo "  GEN     $@"
	$(Q)$(call sockscope_pc,$(PREFIX),$(LIBDIR),$(INCDIR)) > $@

# Programs on the library find it in build/ through their run path.
$(B)/examples/%: examples/%.c examples/cli.h $(B)/libsockscope.so include/sockscope.h
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(SS_CFLAGS) -o $@ $< $(SS_LDFLAGS) -L$(B) -lsockscope -lpthread \
		-Wl,-rpath,'$$ORIGIN/..'

LIB_TEST_SRC := $(wildcard tests/api/*.c)
LIB_TESTS := $(LIB_TEST_SRC:tests/api/%.c=$(B)/tests/api/%)

tests: $(LIB_TESTS)

$(B)/tests/api/%: tests/api/%.c tests/api/tap.h $(B)/libsockscope.so include/sockscope.h
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(SS_CFLAGS) -o $@ $< $(SS_LDFLAGS) -L$(B) -lsockscope -lpthread \
		-Wl,-rpath,'$$ORIGIN/../..'

INSTALL_TARGETS += install-lib
install-lib: install-dirs
	install -m 0755 $(B)/$(LIB_SONAME) $(DESTDIR)$(LIBDIR)/
	ln -sf $(LIB_SONAME) $(DESTDIR)$(LIBDIR)/libsockscope.so
	install -m 0644 $(B)/libsockscope.a $(DESTDIR)$(LIBDIR)/
	install -m 0644 include/sockscope.h $(DESTDIR)$(INCDIR)/
	$(call sockscope_pc,$(PREFIX),$(LIBDIR),$(INCDIR)) > $(DESTDIR)$(LIBDIR)/pkgconfig/sockscope.pc
	install -m 0644 man/sockscope.3 $(DESTDIR)$(MANDIR)/man3/
.PHONY: install-lib

# What a library call costs (see bench/lib-micro.c).
$(B)/bench/lib-micro: bench/lib-micro.c $(B)/libsockscope.so include/sockscope.h
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(SS_CFLAGS) -o $@ $< $(SS_LDFLAGS) -L$(B) -lsockscope -Wl,-rpath,'$$ORIGIN/..'

tests: $(B)/bench/lib-micro
