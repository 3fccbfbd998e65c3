/* SPDX-License-Identifier: MIT */
/*
 * Between the trace reader (reader.c), live reading (live.c) and error
 * reporting (trace_errors.c).
 */
#ifndef SS_READER_H
#define SS_READER_H

#include <stddef.h>

#include <babeltrace2/babeltrace.h>

#include "model/model.h"

/* The reader (reader.c): it decodes the events a simple sink consumes
 * into model m, with ss_reader_consume as the sink's function and the
 * reader as its data.  Also for live.c. */
struct reader;
struct reader *ss_reader_new(struct ss_model *m);
void ss_reader_free(struct reader *r);
bt_graph_simple_sink_component_consume_func_status ss_reader_consume(bt_message_iterator *it,
								     void *data);
/* The traces under dir (itself included: the directories that hold a
 * CTF metadata file), in name order, added to a list (traces.c). */
struct ss_dirlist {
	char **v;
	size_t n, cap;
};
void ss_find_traces(const char *dir, struct ss_dirlist *out);
void ss_dirlist_free(struct ss_dirlist *l);
/* A babeltrace2 plugin by name ("ctf", "utils"), NULL if not found. */
const bt_plugin *ss_bt_plugin(const char *name);

/* A source component's parameters: inputs, an array of input alone (to
 * put when done), or NULL. */
bt_value *ss_source_params(const char *input);
/* Add a source.ctf.fs component named src<k> reading the trace at dir. */
int ss_add_source(bt_graph *g, const bt_component_class_source *cc, const char *dir, size_t k,
		  const bt_component_source **src);

/* The root cause of the thread's error into line, a file it names into
 * file, and the trace of the failing component src<k> into *trace. */
void ss_take_error(char *line, size_t lsize, char *file, size_t fsize, char **traces,
		   size_t ntraces, const char **trace);
/* Whether dir's metadata cannot be read; its reason in why. */
int ss_metadata_broken(const bt_component_class_source *cc, const char *dir, char *why,
		       size_t size);
/* The stream file of the trace at dir that fails to read, into file. */
void ss_find_bad_stream(const bt_component_class_source *cc, const char *dir, char *file,
			size_t size);
/* Print one line: what failed (line), naming file, else trace, else what. */
void ss_say_error(const char *what, char *line, size_t lsize, char *file, size_t fsize,
		  const char *trace);
/* ss_take_error then ss_say_error. */
void ss_report_bt_error(const char *what, char **traces, size_t ntraces);

#endif
