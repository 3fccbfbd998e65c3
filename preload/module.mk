# SPDX-License-Identifier: MIT
# libsockscope-preload.so: the LD_PRELOAD interposer.  It loads its probes
# (libsockscope-tp.so, next to it) at run time, only when a session daemon
# is there to want them.
PRELOAD_SRC := preload/real.c preload/fdtable.c preload/trace.c preload/wrap_socket.c \
	preload/wrap_io.c preload/wrap_fd.c preload/wrap_dns.c preload/wrap_sandbox.c \
	preload/stop.c preload/tracerfd.c preload/wrap_syscall.c preload/wrap_name.c \
	preload/wrap_ready.c \
	preload/payload.c
# vfork needs a stub in assembly; other targets leave vfork unwrapped.
PRELOAD_ASM := $(if $(filter x86_64%,$(shell $(CC) -dumpmachine)),preload/vfork-x86_64.S)
PRELOAD_OBJ := $(PRELOAD_SRC:%.c=$(B)/%.o) $(PRELOAD_ASM:%.S=$(B)/%.o) $(COMMON_OBJ)

$(B)/preload/%.o: preload/%.S
	@mkdir -p $(dir $@)
	@echo "  AS      $@"
	$(Q)$(CC) $(SS_CFLAGS) -c -o $@ $<

all: $(B)/libsockscope-preload.so

$(B)/libsockscope-preload.so: $(PRELOAD_OBJ) $(B)/libsockscope-tp.so
	@echo "  LD      $@"
	$(Q)$(CC) -shared -o $@ $(PRELOAD_OBJ) $(SS_LDFLAGS) -Wl,-soname,libsockscope-preload.so \
		-Wl,-z,now -ldl

INSTALL_TARGETS += install-preload
install-preload: install-dirs
	install -m 0755 $(B)/libsockscope-preload.so $(DESTDIR)$(LIBDIR)/
.PHONY: install-preload
