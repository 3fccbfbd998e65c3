# SPDX-License-Identifier: MIT
# libsockscope-preload.so: the LD_PRELOAD interposer.  It loads its probes
# (libsockscope-tp.so, next to it) at run time, only when a session daemon
# is there to want them.
PRELOAD_SRC := preload/real.c preload/fdtable.c preload/trace.c preload/wrap_socket.c \
	preload/wrap_io.c preload/wrap_fd.c preload/wrap_dns.c preload/wrap_syscall.c
PRELOAD_OBJ := $(PRELOAD_SRC:%.c=$(B)/%.o) $(COMMON_OBJ)

all: $(B)/libsockscope-preload.so

$(B)/libsockscope-preload.so: $(PRELOAD_OBJ) $(B)/libsockscope-tp.so
	@echo "  LD      $@"
	$(Q)$(CC) -shared -o $@ $(PRELOAD_OBJ) $(SS_LDFLAGS) -Wl,-soname,libsockscope-preload.so \
		-Wl,-z,now -llttng-ust-common -ldl

INSTALL_TARGETS += install-preload
install-preload: install-dirs
	install -m 0755 $(B)/libsockscope-preload.so $(DESTDIR)$(LIBDIR)/
.PHONY: install-preload
