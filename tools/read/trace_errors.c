// SPDX-License-Identifier: MIT
/*
 * Telling the user in one line what is wrong with a trace that
 * libbabeltrace2 cannot read, and naming the file: the root cause of the
 * library's error without its developer details; for a source that
 * cannot start, whether the metadata is the reason (a metadata-info
 * query); for a stream that fails while being read, which stream file
 * (each is read alone until one fails).
 */
#include "read/read.h"
#include "read/reader.h"
#include "tool.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A path quoted in msg ('...', `...` or "..."), copied into buf. */
static int quoted_path(const char *msg, char *buf, size_t size)
{
	for (const char *p = msg; *p; p++) {
		if ((*p != '\'' && *p != '`' && *p != '"') || p[1] != '/')
			continue;
		char close = *p == '`' ? '\'' : *p;
		const char *end = strchr(p + 1, close);
		if (!end && *p == '`')
			end = strchr(p + 1, '`');
		if (!end || (size_t)(end - p - 1) >= size)
			continue;
		memcpy(buf, p + 1, (size_t)(end - p - 1));
		buf[end - p - 1] = 0;
		return 1;
	}
	return 0;
}

/*
 * The first cause of the current thread's error (the root of the failure)
 * into line, and into file the first path it names: quoted in a message,
 * or the output port of the message iterator that failed (source.ctf.fs
 * names its ports after their stream files).  *trace: the trace of the
 * component that failed, if one did.
 */
void ss_take_error(char *line, size_t lsize, char *file, size_t fsize, char **traces,
		       size_t ntraces, const char **trace)
{
	const bt_error *err = bt_current_thread_take_error();

	line[0] = file[0] = 0;
	if (!err)
		return;
	uint64_t n = bt_error_get_cause_count(err);
	for (uint64_t i = 0; i < n; i++) {
		const bt_error_cause *c = bt_error_borrow_cause_by_index(err, i);
		const char *msg = bt_error_cause_get_message(c), *comp = NULL, *port = NULL;
		if (!line[0] && msg)
			snprintf(line, lsize, "%s", msg);
		struct stat st;
		bt_error_cause_actor_type actor = bt_error_cause_get_actor_type(c);
		if (!file[0] && msg && actor != BT_ERROR_CAUSE_ACTOR_TYPE_UNKNOWN &&
		    quoted_path(msg, file, fsize) &&
		    (stat(file, &st) < 0 || S_ISDIR(st.st_mode)))
			file[0] = 0; /* a trace directory, not the file at fault */
		switch (actor) {
		case BT_ERROR_CAUSE_ACTOR_TYPE_COMPONENT:
			comp = bt_error_cause_component_actor_get_component_name(c);
			break;
		case BT_ERROR_CAUSE_ACTOR_TYPE_MESSAGE_ITERATOR:
			comp = bt_error_cause_message_iterator_actor_get_component_name(c);
			port = bt_error_cause_message_iterator_actor_get_component_output_port_name(c);
			break;
		default:
			break;
		}
		unsigned long k;
		if (!*trace && comp && sscanf(comp, "src%lu", &k) == 1 && k < ntraces)
			*trace = traces[k];
		if (!file[0] && port && port[0] == '/')
			snprintf(file, fsize, "%s", port);
	}
	bt_error_release(err);
	for (char *p = line; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	/* Leave out the "key=value, ..." details meant for babeltrace2's
	 * developers: they follow the sentence after a colon. */
	for (char *c = strchr(line, ':'); c; c = strchr(c + 1, ':')) {
		size_t word = strcspn(c + 2, " ,");
		if (c[1] == ' ' && memchr(c + 2, '=', word)) {
			*c = 0;
			break;
		}
	}
}

/*
 * Whether the metadata of the trace at dir is what is wrong: ask
 * source.ctf.fs for it alone ("metadata-info"), and keep its reason.
 */
int ss_metadata_broken(const bt_component_class_source *cc, const char *dir, char *why,
			   size_t size)
{
	bt_value *params = bt_value_map_create();
	const bt_value *result = NULL;
	char file[16];
	const char *unused = NULL;
	int broken = 0;

	if (!params || bt_value_map_insert_string_entry(params, "path", dir) !=
			       BT_VALUE_MAP_INSERT_ENTRY_STATUS_OK)
		goto out;
	bt_query_executor *q = bt_query_executor_create(
		bt_component_class_source_as_component_class_const(cc), "metadata-info", params);
	if (!q)
		goto out;
	bt_query_executor_set_logging_level(q, BT_LOGGING_LEVEL_NONE);
	if (bt_query_executor_query(q, &result) != BT_QUERY_EXECUTOR_QUERY_STATUS_OK) {
		broken = 1;
		ss_take_error(why, size, file, sizeof(file), NULL, 0, &unused);
	}
	bt_value_put_ref(result);
	bt_query_executor_put_ref(q);
out:
	bt_value_put_ref(params);
	return broken;
}

static bt_graph_simple_sink_component_consume_func_status drain(bt_message_iterator *it,
								void *data)
{
	bt_message_array_const msgs;
	uint64_t count;

	(void)data;
	switch (bt_message_iterator_next(it, &msgs, &count)) {
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_OK:
		for (uint64_t i = 0; i < count; i++)
			bt_message_put_ref(msgs[i]);
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_OK;
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_END:
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_END;
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_AGAIN:
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_AGAIN;
	default:
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_ERROR;
	}
}

/* Whether the trace made of dir/metadata and the one stream file reads
 * to its end (each stream alone, in a directory of links). */
static int stream_reads(const bt_component_class_source *cc, const char *dir, const char *stream)
{
	char tmpl[] = "/tmp/sockscope-probe-XXXXXX";
	int ok = 1;

	if (!mkdtemp(tmpl))
		return 1;
	char *abs = realpath(dir, NULL);
	char *meta = ss_xasprintf("%s/metadata", abs ? abs : dir);
	char *data = ss_xasprintf("%s/%s", abs ? abs : dir, stream);
	char *lmeta = ss_xasprintf("%s/metadata", tmpl), *ldata = ss_xasprintf("%s/%s", tmpl, stream);
	free(abs);
	bt_graph *g = bt_graph_create(0);
	const bt_component_source *src;
	const bt_component_sink *sink;
	if (g && symlink(meta, lmeta) == 0 && symlink(data, ldata) == 0 &&
	    ss_add_source(g, cc, tmpl, 0, &src) == 0 && bt_component_source_get_output_port_count(src) &&
	    bt_graph_add_simple_sink_component(g, "drain", NULL, drain, NULL, NULL, &sink) ==
		    BT_GRAPH_ADD_COMPONENT_STATUS_OK &&
	    bt_graph_connect_ports(g, bt_component_source_borrow_output_port_by_index_const(src, 0),
				   bt_component_sink_borrow_input_port_by_index_const(sink, 0),
				   NULL) == BT_GRAPH_CONNECT_PORTS_STATUS_OK) {
		bt_graph_run_status st;
		while ((st = bt_graph_run(g)) == BT_GRAPH_RUN_STATUS_AGAIN)
			;
		ok = st == BT_GRAPH_RUN_STATUS_OK;
	}
	bt_current_thread_clear_error();
	bt_graph_put_ref(g);
	unlink(ldata);
	unlink(lmeta);
	rmdir(tmpl);
	free(meta);
	free(lmeta);
	free(data);
	free(ldata);
	return ok;
}

/* The stream file of the trace at dir that fails to read, into file. */
void ss_find_bad_stream(const bt_component_class_source *cc, const char *dir, char *file,
			    size_t size)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct stat st;

	while (d && (de = readdir(d))) {
		char *p = ss_xasprintf("%s/%s", dir, de->d_name);
		int candidate = de->d_name[0] != '.' && strcmp(de->d_name, "metadata") &&
				stat(p, &st) == 0 && S_ISREG(st.st_mode);
		if (candidate && !stream_reads(cc, dir, de->d_name)) {
			snprintf(file, size, "%s", p);
			free(p);
			break;
		}
		free(p);
	}
	if (d)
		closedir(d);
}

/* Say in one line what failed (line, from take_error), naming the file. */
void ss_say_error(const char *what, char *line, size_t lsize, char *file, size_t fsize,
		      const char *trace)
{
	if (!file[0] && trace)
		snprintf(file, fsize, "%s", trace);
	if (!line[0])
		snprintf(line, lsize, "%s failed", what);
	if (file[0] && !strstr(line, file))
		ss_warn("%s: %s", file, line);
	else if (file[0])
		ss_warn("%s", line);
	else
		ss_warn("%s: %s", what, line);
}

/* Say in one line what libbabeltrace2 failed on, naming the file. */
void ss_report_bt_error(const char *what, char **traces, size_t ntraces)
{
	char file[4096], line[1024];
	const char *trace = NULL;

	ss_take_error(line, sizeof(line), file, sizeof(file), traces, ntraces, &trace);
	ss_say_error(what, line, sizeof(line), file, sizeof(file), trace);
}

