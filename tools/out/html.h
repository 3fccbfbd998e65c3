/* SPDX-License-Identifier: MIT */
/*
 * What the two halves of `report --format html` share: html.c gathers
 * the rows and writes the page and its tables, html_svg.c draws its
 * pictures (timeline, flow graph, histograms, throughput).
 */
#ifndef SS_OUT_HTML_H
#define SS_OUT_HTML_H

#include <stdint.h>
#include <stdio.h>

#include "model/model.h"

/* Above this many connections the timeline is aggregated. */
#define SS_HTML_MAX_CONNS 5000
/* Aggregated: the longest and the biggest connections drawn one by one. */
#define SS_HTML_TOP 100
/* Aggregated: time bins of a process's density band. */
#define SS_HTML_BINS 250

/* A connection as the page keeps it (strings its own). */
struct hrow {
	int64_t pid, sock; /* pid: the model's key */
	uint64_t start, dur, tx, rx;
	int open;
	char *comm, *role, *local, *remote, *error;
};

/* A process of the timeline, with its density band when aggregated. */
struct hproc {
	int64_t pid;
	char comm[24];
	uint64_t n, nerr;
	int32_t bins[SS_HTML_BINS + 1]; /* difference array, then counts */
};

/* The time axis of the timeline: from the first connection's start, span
 * ns long; times are printed from origin, the traces' first event. */
struct haxis {
	uint64_t t0, span, origin;
};

/* Text from the trace, escaped for HTML text and attribute values. */
void html_esc(FILE *f, const char *s);
/* A duration and a byte count as the page prints them. */
const char *html_dur(uint64_t ns, char *buf, size_t size);
const char *html_bytes(uint64_t n, char *buf, size_t size);

/* html_svg.c */
void html_timeline(FILE *f, const struct ss_model *m, const struct haxis *ax, struct hproc **procs,
		   size_t nprocs, struct hrow *rows, size_t nrows, int agg);
void html_flow_graph(FILE *f, const struct ss_model *m, const struct ss_flows *fl);
void html_hist(FILE *f, const struct ss_hist *h);
void html_throughput(FILE *f, const struct ss_model *m);

#endif
