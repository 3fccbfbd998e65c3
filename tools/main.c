// SPDX-License-Identifier: MIT
/*
 * The sockscope command: `record` traces a command, `report` answers
 * questions from the trace, `relay` receives traces from other hosts.  This file only dispatches; each subcommand
 * has its own help (`sockscope record --help`).
 */
#include "tool.h"

#include <stdio.h>
#include <string.h>

#ifndef SS_VERSION
#define SS_VERSION "0.1"
#endif

static const char usage[] =
	"Usage: sockscope record [OPTIONS] [--] CMD [ARGS...]\n"
	"       sockscope report [OPTIONS] DIR...\n"
	"       sockscope top [OPTIONS] [-- CMD [ARGS...]]\n"
	"       sockscope relay [-o DIR] [--listen ADDR[:PORT]]\n"
	"\n"
	"Trace what a program does with its sockets, call by call, and read the\n"
	"answers from the trace: a syscall summary, connections, errors, name\n"
	"lookups, in text or JSON.\n"
	"\n"
	"Commands:\n"
	"  record   run a command with its socket calls traced (LTTng)\n"
	"  report   summarize one or more traces\n"
	"  top      show the traced processes' sockets live\n"
	"  relay    receive the traces other hosts stream (record --relay)\n"
	"\n"
	"Options:\n"
	"  -h, --help      show this help (`sockscope CMD --help` for a command's)\n"
	"  -V, --version   show the version\n"
	"\n"
	"Examples:\n"
	"  sockscope record -o t python3 echo-client.py   # trace into ./t\n"
	"  sockscope report t                             # summary, connections, errors\n"
	"  sockscope report --format json t | jq .connections\n"
	"  sockscope relay -o traces                      # receive what other hosts\n"
	"                                                 # record with --relay HOST\n"
	"\n"
	"See sockscope(1).\n";

int main(int argc, char **argv)
{
	if (argc < 2) {
		ss_warn("no command given");
		fputs(usage, stderr);
		return 2;
	}
	if (!strcmp(argv[1], "record"))
		return ss_record_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "report"))
		return ss_report_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "top"))
		return ss_top_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "relay"))
		return ss_relay_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		fputs(usage, stdout);
		return 0;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		printf("sockscope %s\n", SS_VERSION);
		return 0;
	}
	ss_warn("unknown command '%s'", argv[1]);
	fputs(usage, stderr);
	return 2;
}
