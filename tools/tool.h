/* SPDX-License-Identifier: MIT */
/*
 * What the parts of the sockscope command share: the entry points of the
 * subcommands, messages to the user in one format ("sockscope: record:
 * what went wrong"), allocation that never returns NULL, and small text
 * helpers.  Each subcommand lives in its own files; this header is the
 * only thing they have in common besides common/.
 */
#ifndef SS_TOOL_H
#define SS_TOOL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <stdio.h>

#define SS_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* Subcommands: argc/argv start at the subcommand's name. */
int ss_record_main(int argc, char **argv);
int ss_report_main(int argc, char **argv);
int ss_top_main(int argc, char **argv);
int ss_relay_main(int argc, char **argv);

/* The subcommand running, for messages ("record", "report"). */
extern const char *ss_cmd;

/* "sockscope: <cmd>: message" on stderr. */
void ss_warn(const char *fmt, ...) SS_PRINTF(1, 2);
/* The same, then exit(status). */
__attribute__((noreturn)) void ss_die(int status, const char *fmt, ...) SS_PRINTF(2, 3);

/* A usage error: "sockscope: <cmd>: reason" on one line, then the usage,
 * on stderr; exit(2). */
__attribute__((noreturn)) void ss_usage_error(const char *usage, const char *fmt, ...)
	SS_PRINTF(2, 3);
/* The same for what getopt_long refused (c: the '?' or ':' it returned;
 * the option string starts with ':' and opterr is 0). */
__attribute__((noreturn)) void ss_bad_option(const char *usage, int c, char **argv);

void *ss_xmalloc(size_t n);
void *ss_xcalloc(size_t n, size_t size);
void *ss_xrealloc(void *p, size_t n);
char *ss_xstrdup(const char *s);
char *ss_xasprintf(const char *fmt, ...) SS_PRINTF(1, 2);

/*
 * Parse a size with an optional K, M or G suffix (powers of 1024) into
 * *out.  Returns 0, or -1 when s is not such a size.
 */
int ss_parse_size(const char *s, uint64_t *out);
/* Parse a non-negative decimal number that fits in *out; 0 or -1. */
int ss_parse_u64(const char *s, uint64_t *out);

/* Monotonic time in nanoseconds. */
uint64_t ss_mono_ns(void);
/* Remove path and all below it, as far as it can (a directory of ours). */
void ss_remove_tree(const char *path);

/* Read /proc/PID/FILE into buf (size bytes, NUL-terminated): its length,
 * or -1 when it cannot be read (the process is gone, or no /proc). */
ssize_t ss_proc_read(long pid, const char *file, char *buf, size_t size);
/* Process pid as /proc/PID/stat shows it: its state letter ('R', 'S', 'Z',
 * ...), and when asked its parent, process group and name (the name may
 * hold parentheses: it ends at the last ')'); 0 when the line cannot be
 * read (the process is gone, or there is no /proc). */
char ss_proc_stat(long pid, int *ppid, int *pgrp, char *comm, size_t size);

#endif
