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
};

void ss_out_text(const struct ss_report *r, FILE *f);
void ss_out_json(const struct ss_report *r, FILE *f);

#endif
