# SPDX-License-Identifier: MIT
# build/sockscope: its commands (main.c, report.c, top.c) over four parts,
# each a folder: record/ (record, relay and their LTTng sessions), read/
# (libbabeltrace2 to events), model/ (calls, connections, flows, clocks,
# latency), out/ (one file per report format); sharing the common decoding
# layer with the preload.
TOOLS_SRC := $(wildcard tools/*.c tools/*/*.c)
TOOLS_OBJ := $(TOOLS_SRC:%.c=$(B)/%.o)
TOOLS_PKGS := lttng-ctl babeltrace2 ncurses
TOOLS_CFLAGS := $(shell pkg-config --cflags $(TOOLS_PKGS) 2>/dev/null) -DSS_LIBDIR='"$(LIBDIR)"' -Itools
TOOLS_LIBS := $(shell pkg-config --libs $(TOOLS_PKGS) 2>/dev/null || echo -llttng-ctl -lbabeltrace2 -lncurses) -lm

all: $(B)/sockscope

$(TOOLS_OBJ): SS_CFLAGS += $(TOOLS_CFLAGS)

$(B)/sockscope: $(TOOLS_OBJ) $(COMMON_OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) -o $@ $(TOOLS_OBJ) $(COMMON_OBJ) $(SS_LDFLAGS) $(TOOLS_LIBS)

INSTALL_TARGETS += install-tools
install-tools: install-dirs
	install -m 0755 $(B)/sockscope $(DESTDIR)$(BINDIR)/
	install -m 0644 man/sockscope.1 $(DESTDIR)$(MANDIR)/man1/
.PHONY: install-tools
