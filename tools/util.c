// SPDX-License-Identifier: MIT
/*
 * Messages, allocation, number parsing and a process's /proc line for the
 * sockscope command.  An
 * allocation failure in a command-line tool has no better answer than a
 * clear message and exit, so the x* functions never return NULL.
 */
#include "tool.h"

#include <errno.h>
#include <ftw.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char *ss_cmd;

static void vmsg(const char *fmt, va_list ap)
{
	char buf[4096];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (ss_cmd)
		fprintf(stderr, "sockscope: %s: %s\n", ss_cmd, buf);
	else
		fprintf(stderr, "sockscope: %s\n", buf);
}

void ss_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

void ss_die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	exit(status);
}

void ss_usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	fputs(usage, stderr);
	exit(2);
}

void ss_bad_option(const char *usage, int c, char **argv)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "";

	if (c == ':')
		ss_usage_error(usage, "option '%s' needs an argument", arg);
	if (optopt && strncmp(arg, "--", 2))
		ss_usage_error(usage, "unknown option '-%c'", optopt);
	if (optopt) /* a long option given a value it does not take */
		ss_usage_error(usage, "option '%.*s' takes no argument", (int)strcspn(arg, "="), arg);
	ss_usage_error(usage, "unknown option '%s'", arg);
}

static void *checked(void *p)
{
	if (!p)
		ss_die(2, "out of memory");
	return p;
}

void *ss_xmalloc(size_t n)
{
	return checked(malloc(n ? n : 1));
}

void *ss_xcalloc(size_t n, size_t size)
{
	return checked(calloc(n ? n : 1, size ? size : 1));
}

void *ss_xrealloc(void *p, size_t n)
{
	return checked(realloc(p, n ? n : 1));
}

char *ss_xstrdup(const char *s)
{
	return checked(strdup(s));
}

char *ss_xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return checked(s);
}

/* The decimal number at the start of s; -1 unless s starts with a digit
 * and the number fits. */
static int leading_number(const char *s, unsigned long long *v, char **end)
{
	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	*v = strtoull(s, end, 10);
	return errno ? -1 : 0;
}

int ss_parse_u64(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (leading_number(s, &v, &end) < 0 || *end)
		return -1;
	*out = v;
	return 0;
}

int ss_parse_size(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (leading_number(s, &v, &end) < 0)
		return -1;
	int shift = 0;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	}
	if (*end == 'i' && shift)
		end++;
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end || (shift && v > (UINT64_MAX >> shift)))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

uint64_t ss_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

ssize_t ss_proc_read(long pid, const char *file, char *buf, size_t size)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%ld/%s", pid, file);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t len = read(fd, buf, size - 1);
	close(fd);
	if (len < 0)
		return -1;
	buf[len] = 0;
	return len;
}

char ss_proc_stat(long pid, int *ppid, int *pgrp, char *comm, size_t size)
{
	char buf[512], state;
	int pp, pg;

	if (ss_proc_read(pid, "stat", buf, sizeof(buf)) <= 0)
		return 0;
	char *open_ = strchr(buf, '('), *close_ = strrchr(buf, ')');
	if (!open_ || !close_ || close_ < open_ ||
	    sscanf(close_ + 1, " %c %d %d", &state, &pp, &pg) != 3)
		return 0;
	if (ppid)
		*ppid = pp;
	if (pgrp)
		*pgrp = pg;
	if (comm)
		snprintf(comm, size, "%.*s", (int)(close_ - open_ - 1), open_ + 1);
	return state;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	remove(path);
	return 0;
}

void ss_remove_tree(const char *path)
{
	nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}
