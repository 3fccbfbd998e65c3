/* SPDX-License-Identifier: MIT */
/*
 * Command-line helpers shared by the C examples: numbers from option
 * arguments and the one-line usage errors, so that both programs fail the
 * same way (a line on stderr, a hint at --help, exit status 2).
 */
#ifndef SS_EXAMPLES_CLI_H
#define SS_EXAMPLES_CLI_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* Report a usage error (fmt NULL: only the hint) and exit 2. */
__attribute__((noreturn, format(printf, 2, 3))) static inline void
cli_usage_error(const char *prog, const char *fmt, ...)
{
	va_list ap;

	if (fmt) {
		fprintf(stderr, "%s: ", prog);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	fprintf(stderr, "Try '%s --help'.\n", prog);
	exit(2);
}

/* A decimal number in [min, max] from the argument s of option opt. */
static inline long cli_number(const char *prog, const char *opt, const char *s, long min,
			      long max)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);

	if (errno || end == s || *end || v < min || v > max)
		cli_usage_error(prog, "%s: expected a number from %ld to %ld, got '%s'", opt, min,
				max, s);
	return v;
}

/* Operands are not taken: complain about the first one, if any. */
static inline void cli_no_operands(const char *prog, int argc, char **argv, int optind)
{
	if (optind < argc)
		cli_usage_error(prog, "unexpected argument '%s'", argv[optind]);
}

#endif
