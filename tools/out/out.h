/* SPDX-License-Identifier: MIT */
/*
 * The outputs of `sockscope report`, one file per format (text.c,
 * json.c): each prints the whole model once the traces are read.
 */
#ifndef SS_OUT_H
#define SS_OUT_H

#include <stdio.h>

#include "model/model.h"

/* What `sockscope record` noted beside a trace (sockscope.info). */
struct ss_info {
	char *dir, *command;
	int64_t pid, status; /* -1 unknown */
};

/* Everything the outputs print. */
struct ss_report {
	struct ss_model *m;
	struct ss_info *info; /* one per directory */
	char **dirs;
	size_t ndirs;
	int hist; /* draw latency histograms (text) */
	void *state; /* a format's own, from its begin to its end */
};

/*
 * A report format (formats.c lists them): begin, when not NULL, runs
 * before the traces are read, with the output already open, for a format
 * that takes the calls one by one as they are read (it sets the model's
 * tap); end prints what is left once they are read.  binary: not for a
 * terminal (report then wants -o).
 */
struct ss_format {
	const char *name;
	void (*begin)(struct ss_report *r, FILE *f);
	void (*end)(struct ss_report *r, FILE *f);
	int binary;
	const char *what; /* for --help */
};

/* The format of this name, or NULL. */
const struct ss_format *ss_format_find(const char *name);
/* Their names, "text, json, ..." (static). */
const char *ss_format_names(void);

void ss_out_text(struct ss_report *r, FILE *f);
void ss_out_json(struct ss_report *r, FILE *f);
/* The formats with a file of their own beyond text.c and json.c. */
extern const struct ss_format ss_format_chrome;
void ss_html_begin(struct ss_report *r, FILE *f), ss_out_html(struct ss_report *r, FILE *f);
/* pcapng.c: packets as the calls are read (begin), nothing more at the end. */
void ss_out_pcapng_begin(struct ss_report *r, FILE *f);
void ss_out_pcapng_end(struct ss_report *r, FILE *f);

#endif
