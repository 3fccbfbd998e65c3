// SPDX-License-Identifier: MIT
/*
 * `sockscope report [options] DIR...`: read traces recorded by `sockscope
 * record` (or any LTTng session with the sockscope events) and print what
 * the programs did with their sockets, in one of the formats of out/.
 * This file is the command line; read/ reads, model/ aggregates, out/
 * prints.
 */
#include "model/model.h"
#include "read/read.h"
#include "out/out.h"
#include "record/session.h"
#include "tool.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"Usage: sockscope report [OPTIONS] DIR...\n"
	"\n"
	"Summarize the traces under each DIR: a syscall summary with latency\n"
	"percentiles, connections, errors, name lookups and companion-library\n"
	"calls, as text or as one JSON object.\n"
	"\n"
	"Options:\n"
	"  -f, --format FMT   text (default), json, html (a page for a browser),\n"
	"                     pcapng (Wireshark; with -o) or chrome (Perfetto);\n"
	"                     see sockscope(1)\n"
	"  -j, --json         same as --format json\n"
	"  -o, --output FILE  write to FILE instead of standard output\n"
	"  -p, --pid PID      only the connections process PID held (whole) and its\n"
	"                     calls (repeatable, or a comma-separated list)\n"
	"  -c, --comm NAME    the same for processes named NAME (a shell pattern;\n"
	"                     repeatable)\n"
	"  -a, --addr ADDR    only connections with an endpoint ADDR: an address\n"
	"                     (127.0.0.1, ::1), an endpoint (127.0.0.1:80) or a unix\n"
	"                     path; and the calls on them, and lookups naming ADDR\n"
	"  -P, --port PORT    only connections with an endpoint on PORT\n"
	"      --no-hist      leave out the latency histograms (text)\n"
	"  -h, --help         show this help\n"
	"\n"
	"Examples:\n"
	"  sockscope report sockscope-trace-20240101-120000\n"
	"  sockscope report --format json t | jq '.connections[] | select(.role==\"client\")'\n"
	"  sockscope report --port 443 t             # what went to port 443\n"
	"  sockscope report -c 'python*' t1 t2       # two traces, python processes only\n"
	"\n"
	"See sockscope(1).\n";

struct list {
	void *v;
	size_t n;
};

static void push_item(struct list *l, const void *item, size_t size)
{
	l->v = ss_xrealloc(l->v, (l->n + 1) * size);
	memcpy((char *)l->v + l->n * size, item, size);
	l->n++;
}

static void add_pids(struct list *l, const char *arg)
{
	char *copy = ss_xstrdup(arg), *save = NULL;

	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		uint64_t v;
		if (ss_parse_u64(t, &v) < 0 || v > INT32_MAX)
			ss_die(2, "--pid: '%s' is not a process id", t);
		int64_t pid = (int64_t)v;
		push_item(l, &pid, sizeof(pid));
	}
	free(copy);
}

/* sockscope.info beside a trace: what record ran. */
static void read_info(const char *dir, struct ss_info *in)
{
	char *path = ss_xasprintf("%s/sockscope.info", dir);
	FILE *f = fopen(path, "re");
	char line[8192];

	in->dir = ss_xstrdup(dir);
	in->command = NULL;
	in->pid = in->status = -1;
	free(path);
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (!strncmp(line, "command ", 8) && !in->command)
			in->command = ss_xstrdup(line + 8);
		else if (!strncmp(line, "pid ", 4))
			in->pid = strtoll(line + 4, NULL, 10);
		else if (!strncmp(line, "status ", 7))
			in->status = strtoll(line + 7, NULL, 10);
	}
	fclose(f);
}

/*
 * A directory `record --relay` left: its notes alone, the trace being on
 * the relay.  Say where, rather than that no trace is here; exit 1.
 */
static void not_here(const char *dir)
{
	char *path = ss_xasprintf("%s/sockscope.info", dir), line[8192];
	char *relay = NULL, *remote = NULL;
	FILE *f = fopen(path, "re");
	DIR *d = opendir(dir);
	struct dirent *de;
	int others = 0;

	free(path);
	while (d && (de = readdir(d)))
		others |= strcmp(de->d_name, ".") && strcmp(de->d_name, "..") &&
			  strcmp(de->d_name, "sockscope.info");
	if (d)
		closedir(d);
	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (!strncmp(line, "relay ", 6) && !relay)
			relay = ss_xstrdup(line + 6);
		else if (!strncmp(line, "remote ", 7) && !remote)
			remote = ss_xstrdup(line + 7);
	}
	if (f)
		fclose(f);
	if (!others && relay && remote)
		ss_die(1, "%s: the trace was streamed to lttng-relayd at %s: read it there, %s in "
		       "the relay's output directory", dir, relay, remote);
	free(relay);
	free(remote);
}

int ss_report_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "pid", required_argument, NULL, 'p' },
		{ "comm", required_argument, NULL, 'c' },
		{ "addr", required_argument, NULL, 'a' },
		{ "port", required_argument, NULL, 'P' },
		{ "no-hist", no_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct list pids = { 0 }, comms = { 0 }, addrs = { 0 }, ports = { 0 };
	const struct ss_format *fmt = ss_format_find("text");
	const char *output = NULL;
	int hist = 1, c;

	ss_cmd = "report";
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:o:jp:c:a:P:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!(fmt = ss_format_find(optarg)))
				ss_die(2, "--format: '%s' is not one of %s", optarg, ss_format_names());
			break;
		case 'o': output = optarg; break;
		case 'j': fmt = ss_format_find("json"); break;
		case 'p': add_pids(&pids, optarg); break;
		case 'c': push_item(&comms, &optarg, sizeof(char *)); break;
		case 'a': push_item(&addrs, &optarg, sizeof(char *)); break;
		case 'P': {
			uint64_t v;
			if (ss_parse_u64(optarg, &v) < 0 || v > 65535)
				ss_die(2, "--port: '%s' is not a port number", optarg);
			long port = (long)v;
			push_item(&ports, &port, sizeof(port));
			break;
		}
		case 'H': hist = 0; break;
		case 'h': fputs(usage, stdout); return 0;
		default: ss_bad_option(usage, c, argv);
		}
	}
	if (optind >= argc)
		ss_usage_error(usage, "no trace directory given");
	for (int i = optind; i < argc; i++) {
		char name[256];
		not_here(argv[i]);
		if (ss_session_writing(argv[i], name, sizeof(name)))
			ss_warn("warning: %s is still being recorded (LTTng session %s is active): "
				"this report holds what was written so far", argv[i], name);
	}
	if (fmt->binary && !output && isatty(1))
		ss_die(2, "--format %s is not for a terminal: give -o FILE (or redirect)", fmt->name);
	FILE *out = stdout;
	if (output && !(out = fopen(output, "we")))
		ss_die(2, "%s: %s", output, strerror(errno));
	struct ss_filter f = { pids.v, pids.n, comms.v, comms.n, addrs.v, addrs.n, ports.v, ports.n };
	struct ss_model *m = ss_model_new(&f);
	struct ss_report r = { .m = m, .dirs = argv + optind, .ndirs = (size_t)(argc - optind),
			       .hist = hist };
	int ret = 1;

	if (fmt->begin)
		fmt->begin(&r, out);
	if (ss_read_traces(r.dirs, r.ndirs, m, isatty(2)) == 0) {
		r.info = ss_xcalloc(r.ndirs, sizeof(*r.info));
		for (size_t i = 0; i < r.ndirs; i++)
			read_info(r.dirs[i], &r.info[i]);
		fmt->end(&r, out);
		ret = fflush(out) == 0 && !ferror(out) ? 0 : 1;
		if (ret)
			ss_warn("cannot write the report%s%s", output ? " to " : "", output ? output : "");
		for (size_t i = 0; i < r.ndirs; i++) {
			free(r.info[i].dir);
			free(r.info[i].command);
		}
		free(r.info);
	}
	ss_model_free(m);
	if (output && (fclose(out) != 0 || ret)) {
		if (!ret)
			ss_warn("cannot write the report to %s: %s", output, strerror(errno));
		unlink(output); /* no half report left behind */
		ret = 1;
	}
	free(pids.v);
	free(comms.v);
	free(addrs.v);
	free(ports.v);
	return ret;
}
