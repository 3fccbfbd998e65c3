// SPDX-License-Identifier: MIT
/*
 * Following an LTTng live session (read.h): libbabeltrace2's
 * source.ctf.lttng-live, connected straight to the reader's sink
 * (reader.c), which decodes each event into the model as it arrives.  One
 * session, one source: no muxer.  `top` reads it a slice at a time.
 */
#include "read/read.h"
#include "read/reader.h"
#include "tool.h"

#include <stdlib.h>

#include <babeltrace2/babeltrace.h>

struct ss_live {
	struct reader *r;
	bt_graph *g;
	const bt_plugin *ctf;
};

struct ss_live *ss_live_open(const char *url, struct ss_model *m)
{
	struct ss_live *l = ss_xcalloc(1, sizeof(*l));
	bt_value *params = ss_source_params(url);
	const bt_component_source *src;
	const bt_component_sink *sink;

	bt_logging_set_global_level(BT_LOGGING_LEVEL_NONE);
	l->r = ss_reader_new(m);
	l->ctf = ss_bt_plugin("ctf");
	const bt_component_class_source *cc =
		l->ctf ? bt_plugin_borrow_source_component_class_by_name_const(l->ctf, "lttng-live")
		       : NULL;
	l->g = bt_graph_create(0);
	/* The session may not be there yet: wait for it. */
	if (!cc || !l->g || !params ||
	    bt_value_map_insert_string_entry(params, "session-not-found-action", "continue") !=
		    BT_VALUE_MAP_INSERT_ENTRY_STATUS_OK ||
	    bt_graph_add_source_component(l->g, cc, "live", params, BT_LOGGING_LEVEL_NONE, &src) !=
		    BT_GRAPH_ADD_COMPONENT_STATUS_OK ||
	    bt_graph_add_simple_sink_component(l->g, "sockscope", NULL, ss_reader_consume, NULL,
					       l->r, &sink) != BT_GRAPH_ADD_COMPONENT_STATUS_OK ||
	    bt_component_source_get_output_port_count(src) < 1 ||
	    bt_graph_connect_ports(l->g, bt_component_source_borrow_output_port_by_index_const(src, 0),
				   bt_component_sink_borrow_input_port_by_index_const(sink, 0),
				   NULL) != BT_GRAPH_CONNECT_PORTS_STATUS_OK) {
		bt_value_put_ref(params);
		ss_report_bt_error(url, NULL, 0);
		ss_live_close(l);
		return NULL;
	}
	bt_value_put_ref(params);
	return l;
}

int ss_live_read(struct ss_live *l, int ms)
{
	uint64_t until = ss_mono_ns() + (uint64_t)ms * 1000000;

	do {
		switch (bt_graph_run_once(l->g)) {
		case BT_GRAPH_RUN_ONCE_STATUS_OK:
			break;
		case BT_GRAPH_RUN_ONCE_STATUS_AGAIN:
			return 1;
		case BT_GRAPH_RUN_ONCE_STATUS_END:
			return 0;
		default:
			ss_report_bt_error("reading the live session", NULL, 0);
			return -1;
		}
	} while (ss_mono_ns() < until);
	return 1;
}

void ss_live_close(struct ss_live *l)
{
	if (!l)
		return;
	bt_graph_put_ref(l->g);
	bt_plugin_put_ref(l->ctf);
	ss_reader_free(l->r);
	free(l);
}
