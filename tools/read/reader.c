// SPDX-License-Identifier: MIT
/*
 * Reading traces with libbabeltrace2: every CTF trace under the given
 * directories becomes a source.ctf.fs component, all of them feed one
 * utils.muxer (events in time order across streams and traces), and our
 * simple sink decodes each event into a struct ss_ev for the model.
 *
 * The hot path is one lookup of the event class in a cache that holds,
 * per class, which payload and context members to read (by index, with
 * their types checked once) and where they go in the struct ss_ev; no
 * name is looked up and nothing is allocated per event.
 */
#include "read/read.h"
#include "read/reader.h"
#include "ss_names.h"
#include "tool.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <babeltrace2/babeltrace.h>

/* Where a member goes in struct ss_ev. */
struct member {
	const char *name;
	size_t off;
	int str;
};

#define INT_MEMBER(n) { #n, offsetof(struct ss_ev, n), 0 }
#define STR_MEMBER(n) { #n, offsetof(struct ss_ev, n), 1 }
static const struct member payload_members[] = {
	INT_MEMBER(fd), INT_MEMBER(sock), INT_MEMBER(ret), INT_MEMBER(err),
	{ "dur_ns", offsetof(struct ss_ev, dur), 0 }, INT_MEMBER(family),
	INT_MEMBER(fd2), INT_MEMBER(sock2), INT_MEMBER(newsock), INT_MEMBER(newfd),
	INT_MEMBER(bytes), INT_MEMBER(optval), INT_MEMBER(last), INT_MEMBER(flags),
	{ "start_ns", offsetof(struct ss_ev, start), 0 },
	STR_MEMBER(addr), STR_MEMBER(type), STR_MEMBER(query), STR_MEMBER(result),
	STR_MEMBER(peer), STR_MEMBER(optname), STR_MEMBER(local), STR_MEMBER(why),
	INT_MEMBER(cloexec), INT_MEMBER(listening), INT_MEMBER(how),
	INT_MEMBER(revents), STR_MEMBER(comm), INT_MEMBER(level),
	INT_MEMBER(vpid), INT_MEMBER(vtid), /* the first layout: contexts, below */
	INT_MEMBER(peer_pid), INT_MEMBER(offset),
	/* Older traces name the option; newer ones give its number. */
	{ "optname", offsetof(struct ss_ev, optnum), 0 },
};
static const struct member context_members[] = {
	INT_MEMBER(vpid), INT_MEMBER(vtid), { "procname", offsetof(struct ss_ev, comm), 1 },
};
#define MAX_PLAN (sizeof(payload_members) / sizeof(payload_members[0]))

struct plan {
	uint64_t idx;
	uint32_t off;
	uint8_t str, is_signed;
};

/* An event class as the sink reads it. */
struct evclass {
	int kind, id, has_clock;
	int host;      /* its trace's (each trace has classes of its own) */
	int ns_cycles; /* the clock counts ns (1 GHz): start_ns is comparable */
	int has_dur;   /* dur_ns, else the duration runs from start_ns to the event */
	int optnum;    /* the option as a number (level, optname): name it */
	int npay, nctx;
	struct plan pay[MAX_PLAN], ctx[3];
	int64_t data; /* payload: the index of its byte sequence, -1 none */
};

struct reader {
	struct ss_model *m;
	struct ss_hmap classes; /* event class address -> evclass */
	const bt_event_class *last_ec;
	struct evclass *last;
	struct ss_hmap seen_sc; /* stream classes already scanned */
	int progress;
	uint64_t t0, next_check, shown;
	int first_call; /* stop at the first socket call */
	int found;      /* one was read */
	uint8_t *bytes; /* a payload event's data, as long as the longest */
	uint64_t nbytes;
};

static void reader_init(struct reader *r, struct ss_model *m)
{
	*r = (struct reader){ .m = m };
	ss_hmap_init(&r->classes);
	ss_hmap_init(&r->seen_sc);
}

static void reader_fini(struct reader *r)
{
	for (size_t i = 0; i <= r->classes.mask; i++)
		free(r->classes.slot[i].v);
	ss_hmap_free(&r->classes);
	ss_hmap_free(&r->seen_sc);
	free(r->bytes);
}

struct reader *ss_reader_new(struct ss_model *m)
{
	struct reader *r = ss_xcalloc(1, sizeof(*r));

	reader_init(r, m);
	return r;
}

void ss_reader_free(struct reader *r)
{
	if (r) {
		reader_fini(r);
		free(r);
	}
}

/* Plan the reading of the members of struct field class fc we know. */
static int make_plan(const bt_field_class *fc, const struct member *want, size_t nwant,
		     struct plan *plan)
{
	int n = 0;

	if (!fc || bt_field_class_get_type(fc) != BT_FIELD_CLASS_TYPE_STRUCTURE)
		return 0;
	uint64_t count = bt_field_class_structure_get_member_count(fc);
	for (uint64_t i = 0; i < count; i++) {
		const bt_field_class_structure_member *mb =
			bt_field_class_structure_borrow_member_by_index_const(fc, i);
		const char *name = bt_field_class_structure_member_get_name(mb);
		bt_field_class_type t = bt_field_class_get_type(
			bt_field_class_structure_member_borrow_field_class_const(mb));
		for (size_t k = 0; k < nwant; k++) {
			if (strcmp(name, want[k].name))
				continue;
			int is_str = t == BT_FIELD_CLASS_TYPE_STRING;
			int is_int = bt_field_class_type_is(t, BT_FIELD_CLASS_TYPE_INTEGER);
			if (want[k].str ? !is_str : !is_int)
				continue; /* not this type: another entry, or none */
			plan[n++] = (struct plan){ i, (uint32_t)want[k].off, (uint8_t)is_str,
						   (uint8_t)bt_field_class_type_is(
							   t, BT_FIELD_CLASS_TYPE_SIGNED_INTEGER) };
			break;
		}
	}
	return n;
}

/* The index of member name of struct fc when it is a sequence of unsigned
 * integers of 8 bits (the bytes of sockscope:payload), else -1. */
static int64_t byte_sequence(const bt_field_class *fc, const char *name)
{
	if (!fc || bt_field_class_get_type(fc) != BT_FIELD_CLASS_TYPE_STRUCTURE)
		return -1;
	uint64_t count = bt_field_class_structure_get_member_count(fc);
	for (uint64_t i = 0; i < count; i++) {
		const bt_field_class_structure_member *mb =
			bt_field_class_structure_borrow_member_by_index_const(fc, i);
		const bt_field_class *t = bt_field_class_structure_member_borrow_field_class_const(mb);
		if (strcmp(bt_field_class_structure_member_get_name(mb), name) ||
		    !bt_field_class_type_is(bt_field_class_get_type(t),
					    BT_FIELD_CLASS_TYPE_DYNAMIC_ARRAY))
			continue;
		const bt_field_class *el = bt_field_class_array_borrow_element_field_class_const(t);
		if (bt_field_class_get_type(el) == BT_FIELD_CLASS_TYPE_UNSIGNED_INTEGER &&
		    bt_field_class_integer_get_field_value_range(el) == 8)
			return (int64_t)i;
	}
	return -1;
}

/* A payload's bytes into the reader's buffer, for the event's callback. */
static void read_bytes(struct reader *r, const bt_field *f, struct ss_ev *e)
{
	uint64_t n = bt_field_array_get_length(f);

	if (n > r->nbytes) {
		r->bytes = ss_xrealloc(r->bytes, n);
		r->nbytes = n;
	}
	for (uint64_t i = 0; i < n; i++)
		r->bytes[i] = (uint8_t)bt_field_integer_unsigned_get_value(
			bt_field_array_borrow_element_field_by_index_const(f, i));
	e->data = r->bytes;
	e->ndata = n;
}

static int has_member(const struct plan *p, int n, size_t off)
{
	for (int i = 0; i < n; i++)
		if (p[i].off == off)
			return 1;
	return 0;
}

/* Whether a stream class carries companion-library events: then the
 * model keeps each thread's recent calls to nest them. */
static void scan_stream_class(struct reader *r, const bt_stream_class *sc)
{
	if (ss_hmap_get(&r->seen_sc, (uintptr_t)sc, 0))
		return;
	ss_hmap_put(&r->seen_sc, (uintptr_t)sc, 0, (void *)1);
	uint64_t n = bt_stream_class_get_event_class_count(sc);
	for (uint64_t i = 0; i < n; i++) {
		const char *name = bt_event_class_get_name(
			bt_stream_class_borrow_event_class_by_index_const(sc, i));
		if (name && !strncmp(name, "sockscope_api:", 14))
			r->m->have_api = 1;
	}
}

/* The host of an event's trace: its environment's hostname and its
 * clock. */
static int host_of(struct ss_model *m, const bt_event *ev, const bt_clock_class *cc)
{
	const bt_trace *t = bt_stream_borrow_trace_const(bt_event_borrow_stream_const(ev));
	const bt_value *v = bt_trace_borrow_environment_entry_value_by_name_const(t, "hostname");
	const char *name = v && bt_value_get_type(v) == BT_VALUE_TYPE_STRING ?
				   bt_value_string_get(v) : "?";

	return ss_model_host(m, name, cc ? bt_clock_class_get_uuid(cc) : NULL);
}

static struct evclass *learn_class(struct reader *r, const bt_event *ev)
{
	const bt_event_class *ec = bt_event_borrow_class_const(ev);
	struct evclass *c = ss_xcalloc(1, sizeof(*c));
	const bt_stream_class *sc = bt_event_class_borrow_stream_class_const(ec);
	const char *name = bt_event_class_get_name(ec);

	scan_stream_class(r, sc);
	const bt_clock_class *cc = bt_stream_class_borrow_default_clock_class_const(sc);
	c->has_clock = cc != NULL;
	c->host = host_of(r->m, ev, cc);
	c->ns_cycles = cc && bt_clock_class_get_frequency(cc) == 1000000000;
	c->npay = make_plan(bt_event_class_borrow_payload_field_class_const(ec), payload_members,
			    MAX_PLAN, c->pay);
	c->nctx = make_plan(bt_stream_class_borrow_event_common_context_field_class_const(sc),
			    context_members, 3, c->ctx);
	c->has_dur = has_member(c->pay, c->npay, offsetof(struct ss_ev, dur));
	c->optnum = has_member(c->pay, c->npay, offsetof(struct ss_ev, optnum));
	c->kind = SS_K_OTHER;
	c->data = byte_sequence(bt_event_class_borrow_payload_field_class_const(ec), "data");
	if (name && !strncmp(name, "sockscope:", 10)) {
		name += 10;
		c->kind = ss_kind_of(name);
		if (has_member(c->pay, c->npay, offsetof(struct ss_ev, query)) &&
		    has_member(c->pay, c->npay, offsetof(struct ss_ev, result)))
			c->kind = SS_K_DNS;
		c->id = c->kind == SS_K_DESCRIBE || c->kind == SS_K_EXEC || c->kind == SS_K_COMM ||
					c->kind == SS_K_PEERCRED || c->kind == SS_K_PAYLOAD ?
				-1 : ss_model_call_id(r->m, name);
	} else if (name && !strncmp(name, "sockscope_api:", 14)) {
		c->kind = SS_K_API;
		c->id = ss_model_api_id(r->m, name + 14);
	}
	/* Without the base fields an event of ours cannot be understood. */
	if (c->kind != SS_K_OTHER && !has_member(c->pay, c->npay, offsetof(struct ss_ev, ret)))
		c->kind = SS_K_OTHER;
	ss_hmap_put(&r->classes, (uintptr_t)ec, 0, c);
	return c;
}

static inline void read_plan(const bt_field *s, const struct plan *p, int n, struct ss_ev *e)
{
	char *base = (char *)e;

	for (int i = 0; i < n; i++) {
		const bt_field *f = bt_field_structure_borrow_member_field_by_index_const(s, p[i].idx);
		if (p[i].str)
			*(const char **)(base + p[i].off) = bt_field_string_get_value(f);
		else if (p[i].is_signed)
			*(int64_t *)(base + p[i].off) = bt_field_integer_signed_get_value(f);
		else
			*(int64_t *)(base + p[i].off) = (int64_t)bt_field_integer_unsigned_get_value(f);
	}
}

static void on_event(struct reader *r, const bt_message *msg)
{
	const bt_event *ev = bt_message_event_borrow_event_const(msg);
	const bt_event_class *ec = bt_event_borrow_class_const(ev);
	struct evclass *c = r->last;

	if (ec != r->last_ec) {
		c = ss_hmap_get(&r->classes, (uintptr_t)ec, 0);
		if (!c)
			c = learn_class(r, ev);
		r->last_ec = ec;
		r->last = c;
	}
	struct ss_ev e;
	memset(&e, 0, sizeof(e));
	e.family = -1;
	e.fd = -1;      /* the data calls name their socket by sock alone */
	e.cloexec = -1; /* untouched, or a trace from before the field */
	e.kind = c->kind;
	e.id = c->id;
	/* Events not ours are only counted: nothing of theirs is read. */
	if (c->kind != SS_K_OTHER) {
		const bt_clock_snapshot *snap = NULL;
		if (c->has_clock) {
			int64_t ns;
			snap = bt_message_event_borrow_default_clock_snapshot_const(msg);
			if (bt_clock_snapshot_get_ns_from_origin(snap, &ns) ==
			    BT_CLOCK_SNAPSHOT_GET_NS_FROM_ORIGIN_STATUS_OK)
				e.ts = (uint64_t)ns;
		}
		read_plan(bt_event_borrow_payload_field_const(ev), c->pay, c->npay, &e);
		if (c->nctx)
			read_plan(bt_event_borrow_common_context_field_const(ev), c->ctx, c->nctx, &e);
		if (c->host) {
			e.host = c->host;
			e.vpid = ss_id_key(c->host, e.vpid);
			e.vtid = ss_id_key(c->host, e.vtid);
		}
		if (c->optnum)
			e.optname = ss_optname((int)e.level, (int)e.optnum);
		if (c->data >= 0)
			read_bytes(r, bt_field_structure_borrow_member_field_by_index_const(
					      bt_event_borrow_payload_field_const(ev), (uint64_t)c->data),
				   &e);
		/* A call ends at its event; it started at start_ns, a reading
		 * of the trace's clock in its own cycles when that counts ns.
		 * Older events (and the name service, whose answers are
		 * formatted after the call) give their duration: a window
		 * that ends at the event is then at least that long. */
		e.span = (uint64_t)e.dur;
		if (e.start > 0 && c->ns_cycles && snap) {
			uint64_t cycles = bt_clock_snapshot_get_value(snap);
			if ((uint64_t)e.start <= cycles && cycles - (uint64_t)e.start >= e.span)
				e.span = cycles - (uint64_t)e.start;
			if (!c->has_dur && (uint64_t)e.start <= cycles)
				e.dur = (int64_t)(cycles - (uint64_t)e.start);
		}
	}
	ss_model_event(r->m, &e);
	if (r->first_call && c->kind != SS_K_OTHER && c->kind != SS_K_FORK && c->kind != SS_K_EXEC &&
	    c->kind != SS_K_COMM)
		r->found = 1;
}

static void show_progress(struct reader *r, int done)
{
	uint64_t now = ss_mono_ns();

	if (done) {
		if (r->shown)
			fputs("\r\033[K", stderr);
		return;
	}
	if (now - r->t0 < 1000000000ull)
		return;
	double secs = (double)(now - r->t0) / 1e9;
	fprintf(stderr, "\rsockscope: report: %.1fM events read (%.1fM/s)\033[K",
		(double)r->m->read / 1e6, (double)r->m->read / 1e6 / secs);
	r->shown = 1;
}

bt_graph_simple_sink_component_consume_func_status ss_reader_consume(bt_message_iterator *it,
								     void *data)
{
	struct reader *r = data;
	bt_message_array_const msgs;
	uint64_t count, n;

	switch (bt_message_iterator_next(it, &msgs, &count)) {
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_OK:
		break;
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_END:
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_END;
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_AGAIN:
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_AGAIN;
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_MEMORY_ERROR:
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_MEMORY_ERROR;
	default:
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_ERROR;
	}
	for (uint64_t i = 0; i < count; i++) {
		const bt_message *msg = msgs[i];
		switch (bt_message_get_type(msg)) {
		case BT_MESSAGE_TYPE_EVENT:
			on_event(r, msg);
			break;
		case BT_MESSAGE_TYPE_DISCARDED_EVENTS:
			if (bt_message_discarded_events_get_count(msg, &n) !=
			    BT_PROPERTY_AVAILABILITY_AVAILABLE)
				n = 1;
			ss_model_lost(r->m, n, 0);
			break;
		case BT_MESSAGE_TYPE_DISCARDED_PACKETS:
			if (bt_message_discarded_packets_get_count(msg, &n) !=
			    BT_PROPERTY_AVAILABILITY_AVAILABLE)
				n = 1;
			ss_model_lost(r->m, n, 1);
			break;
		default:
			break;
		}
		bt_message_put_ref(msg);
	}
	if (r->found)
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_END;
	if (r->progress && r->m->read >= r->next_check) {
		r->next_check = r->m->read + (1u << 18);
		show_progress(r, 0);
	}
	return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_OK;
}

/* ---- the graph ---- */

bt_value *ss_source_params(const char *input)
{
	bt_value *params = bt_value_map_create();
	bt_value *inputs = NULL;

	if (params && (bt_value_map_insert_empty_array_entry(params, "inputs", &inputs) !=
			       BT_VALUE_MAP_INSERT_ENTRY_STATUS_OK ||
		       bt_value_array_append_string_element(inputs, input) !=
			       BT_VALUE_ARRAY_APPEND_ELEMENT_STATUS_OK)) {
		bt_value_put_ref(params);
		params = NULL;
	}
	return params;
}

int ss_add_source(bt_graph *g, const bt_component_class_source *cc, const char *dir,
		      size_t k, const bt_component_source **src)
{
	bt_value *params = ss_source_params(dir);
	char name[32];
	int ret = -1;

	snprintf(name, sizeof(name), "src%zu", k);
	if (params && bt_graph_add_source_component(g, cc, name, params, BT_LOGGING_LEVEL_NONE,
						    src) == BT_GRAPH_ADD_COMPONENT_STATUS_OK)
		ret = 0;
	bt_value_put_ref(params);
	return ret;
}


static int connect_all(bt_graph *g, const bt_component_source *src, const bt_component_filter *mux)
{
	uint64_t n = bt_component_source_get_output_port_count(src);

	for (uint64_t i = 0; i < n; i++) {
		const bt_port_output *out = bt_component_source_borrow_output_port_by_index_const(src, i);
		const bt_port_input *in = bt_component_filter_borrow_input_port_by_index_const(
			mux, bt_component_filter_get_input_port_count(mux) - 1);
		if (bt_graph_connect_ports(g, out, in, NULL) != BT_GRAPH_CONNECT_PORTS_STATUS_OK)
			return -1;
	}
	return 0;
}

const bt_plugin *ss_bt_plugin(const char *name)
{
	const bt_plugin *p = NULL;

	if (bt_plugin_find(name, BT_TRUE, BT_TRUE, BT_TRUE, BT_TRUE, BT_FALSE, &p) !=
	    BT_PLUGIN_FIND_STATUS_OK)
		return NULL;
	return p;
}

static int read_traces(char **dirs, size_t ndirs, struct ss_model *m, int progress,
		       int first_call, int *found)
{
	struct ss_dirlist traces = { 0 };
	struct reader r = { .m = m };
	const bt_plugin *ctf = NULL, *utils = NULL;
	bt_graph *g = NULL;
	int ret = -1;

	bt_logging_set_global_level(BT_LOGGING_LEVEL_NONE);
	for (size_t i = 0; i < ndirs; i++) {
		struct stat st;
		if (stat(dirs[i], &st) < 0) {
			ss_warn("%s: %s", dirs[i], strerror(errno));
			goto out;
		}
		if (!S_ISDIR(st.st_mode)) {
			ss_warn("%s: not a directory (give the trace directory)", dirs[i]);
			goto out;
		}
		size_t before = traces.n;
		ss_find_traces(dirs[i], &traces);
		if (traces.n == before) {
			ss_warn("%s: no CTF trace in it (no metadata file)", dirs[i]);
			goto out;
		}
	}
	ctf = ss_bt_plugin("ctf");
	utils = ss_bt_plugin("utils");
	if (!ctf || !utils) {
		ss_warn("cannot load the babeltrace2 plugins 'ctf' and 'utils' "
			"(is libbabeltrace2 installed with its plugins?)");
		goto out;
	}
	const bt_component_class_source *fs =
		bt_plugin_borrow_source_component_class_by_name_const(ctf, "fs");
	const bt_component_class_filter *muxer =
		bt_plugin_borrow_filter_component_class_by_name_const(utils, "muxer");
	const bt_component_filter *mux;
	const bt_component_sink *sink;
	g = bt_graph_create(0);
	if (!fs || !muxer || !g ||
	    bt_graph_add_filter_component(g, muxer, "muxer", NULL, BT_LOGGING_LEVEL_NONE, &mux) !=
		    BT_GRAPH_ADD_COMPONENT_STATUS_OK) {
		ss_report_bt_error("setting up babeltrace2", traces.v, traces.n);
		goto out;
	}
	for (size_t k = 0; k < traces.n; k++) {
		const bt_component_source *src;
		if (ss_add_source(g, fs, traces.v[k], k, &src) < 0) {
			/* A component that fails to start says little about
			 * why; a broken metadata file is the usual reason. */
			char why[1024], line[1024], file[4096];
			const char *trace = traces.v[k];
			ss_take_error(line, sizeof(line), file, sizeof(file), NULL, 0, &trace);
			if (!file[0] && ss_metadata_broken(fs, traces.v[k], why, sizeof(why)))
				ss_warn("%s/metadata: %s", traces.v[k], why[0] ? why : "unreadable");
			else
				ss_say_error(traces.v[k], line, sizeof(line), file, sizeof(file), trace);
			goto out;
		}
		if (connect_all(g, src, mux) < 0) {
			ss_report_bt_error(traces.v[k], traces.v, traces.n);
			goto out;
		}
	}
	reader_init(&r, m);
	r.progress = progress;
	r.t0 = ss_mono_ns();
	r.first_call = first_call;
	if (bt_graph_add_simple_sink_component(g, "sockscope", NULL, ss_reader_consume, NULL, &r,
					       &sink) !=
		    BT_GRAPH_ADD_COMPONENT_STATUS_OK ||
	    bt_graph_connect_ports(g, bt_component_filter_borrow_output_port_by_index_const(mux, 0),
				   bt_component_sink_borrow_input_port_by_index_const(sink, 0),
				   NULL) != BT_GRAPH_CONNECT_PORTS_STATUS_OK) {
		ss_report_bt_error("setting up babeltrace2", traces.v, traces.n);
		goto out_classes;
	}
	for (;;) {
		bt_graph_run_status st = bt_graph_run(g);
		if (st == BT_GRAPH_RUN_STATUS_OK)
			break;
		if (st == BT_GRAPH_RUN_STATUS_AGAIN) {
			usleep(1000);
			continue;
		}
		if (progress)
			show_progress(&r, 1);
		char line[1024], file[4096];
		const char *trace = NULL;
		ss_take_error(line, sizeof(line), file, sizeof(file), traces.v, traces.n, &trace);
		if (!file[0] && trace)
			ss_find_bad_stream(fs, trace, file, sizeof(file));
		ss_say_error("reading the trace", line, sizeof(line), file, sizeof(file), trace);
		goto out_classes;
	}
	if (progress)
		show_progress(&r, 1);
	if (found)
		*found = r.found;
	ret = 0;
out_classes:
	reader_fini(&r);
out:
	bt_graph_put_ref(g);
	bt_plugin_put_ref(ctf);
	bt_plugin_put_ref(utils);
	ss_dirlist_free(&traces);
	return ret;
}

int ss_read_traces(char **dirs, size_t ndirs, struct ss_model *m, int progress)
{
	return read_traces(dirs, ndirs, m, progress, 0, NULL);
}

int ss_trace_has_calls(const char *dir)
{
	struct ss_dirlist traces = { 0 };

	/* No metadata anywhere: nothing was written, nothing to read. */
	ss_find_traces(dir, &traces);
	size_t n = traces.n;
	ss_dirlist_free(&traces);
	if (!n)
		return 0;
	struct ss_filter none = { 0 };
	struct ss_model *m = ss_model_new(&none);
	char *dirs[] = { (char *)dir };
	int found = 0;
	int ret = read_traces(dirs, 1, m, 0, 1, &found);

	ss_model_free(m);
	return ret < 0 ? -1 : found;
}
