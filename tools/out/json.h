/* SPDX-License-Identifier: MIT */
/*
 * A JSON writer that streams to a FILE as it goes (no tree in memory), for
 * `report --format json` and `top --format json`: keys and values in
 * order, commas where they belong.
 */
#ifndef SS_JSON_H
#define SS_JSON_H

#include <stdint.h>
#include <stdio.h>

struct json {
	FILE *f;
	int first; /* no comma before the next member or element */
};

static inline void str(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

static inline void key(struct json *j, const char *k)
{
	fputs(j->first ? "" : ", ", j->f);
	j->first = 0;
	if (!k)
		return; /* an element of an array */
	str(j->f, k);
	fputs(": ", j->f);
}

static inline void kstr(struct json *j, const char *k, const char *v)
{
	key(j, k);
	if (v)
		str(j->f, v);
	else
		fputs("null", j->f);
}

static inline void kint(struct json *j, const char *k, int64_t v)
{
	key(j, k);
	fprintf(j->f, "%lld", (long long)v);
}

static inline void kuint(struct json *j, const char *k, uint64_t v)
{
	key(j, k);
	fprintf(j->f, "%llu", (unsigned long long)v);
}

static inline void open_obj(struct json *j, const char *k, char c)
{
	if (k)
		key(j, k);
	else
		fputs(j->first ? "" : ", ", j->f);
	fputc(c, j->f);
	j->first = 1;
}

static inline void close_obj(struct json *j, char c)
{
	fputc(c, j->f);
	j->first = 0;
}

#endif
