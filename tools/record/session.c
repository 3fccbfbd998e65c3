// SPDX-License-Identifier: MIT
/*
 * The LTTng session of one recording, through liblttng-ctl: a channel of
 * per-user, per-CPU buffers (and the metadata channel) flushed every
 * SS_FLUSH_US, the chosen events enabled with a filter on the recording tag
 * ($app.sockscope:rec == TAG: an application context that the probes
 * library provides and no event carries, see tracepoints/context.c), no
 * context (the events carry vpid and vtid themselves; a process's name
 * comes from its exec and comm events), written to a directory or streamed
 * to an lttng-relayd (LTTng's network output), tracing started; at the end
 * stopped, its discarded events counted, destroyed.  The session daemon
 * itself is sessiond.c's business.
 */
#include "record/session.h"
#include "tool.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lttng/lttng.h>

#define CHANNEL "sockscope"

static uint64_t pow2_floor(uint64_t v)
{
	uint64_t p = 1;

	while (p <= v / 2)
		p *= 2;
	return p;
}

static int lttng_fail(const char *what, int ret)
{
	ss_warn("%s: %s", what, lttng_strerror(ret));
	return -1;
}

/* Create the session that desc describes, then configure and start it. */
static int start(struct lttng_session_descriptor *desc, const char *name, uint64_t tag,
		 const struct ss_session_cfg *o)
{
	struct lttng_domain dom = { .type = LTTNG_DOMAIN_UST, .buf_type = LTTNG_BUFFER_PER_UID };
	int ret;

	if (!desc)
		return lttng_fail("session descriptor", -LTTNG_ERR_NOMEM);
	ret = lttng_create_session_ext(desc);
	lttng_session_descriptor_destroy(desc);
	if (ret != LTTNG_OK)
		return lttng_fail("create session", -ret);
	struct lttng_handle *h = lttng_create_handle(name, &dom);
	struct lttng_channel *ch = lttng_channel_create(&dom);
	if (!h || !ch) {
		ret = -LTTNG_ERR_NOMEM;
		goto fail;
	}
	snprintf(ch->name, sizeof(ch->name), "%s", CHANNEL);
	ch->attr.overwrite = 0;
	ch->attr.switch_timer_interval = SS_FLUSH_US;
	ch->attr.num_subbuf = o->nsub;
	ch->attr.subbuf_size = pow2_floor(o->bufsize / o->nsub);
	if (ch->attr.subbuf_size < 4096)
		ch->attr.subbuf_size = 4096;
	if (o->block && (ret = lttng_channel_set_blocking_timeout(ch, -1)) < 0)
		goto fail;
	if ((ret = lttng_enable_channel(h, ch)) < 0)
		goto fail;
	/* The metadata too: without it the data on disk cannot be read. */
	lttng_channel_destroy(ch);
	if (!(ch = lttng_channel_create(&dom))) {
		ret = -LTTNG_ERR_NOMEM;
		goto fail;
	}
	snprintf(ch->name, sizeof(ch->name), "metadata");
	ch->attr.switch_timer_interval = SS_FLUSH_US;
	if ((ret = lttng_enable_channel(h, ch)) < 0)
		goto fail;
	/* Tag 0: every process with the preload that this daemon sees. */
	char *filter = tag ? ss_xasprintf("$app.sockscope:rec == %llu", (unsigned long long)tag)
			   : NULL;
	char *list = ss_xstrdup(o->events), *save = NULL;
	for (char *pat = strtok_r(list, ",", &save); pat; pat = strtok_r(NULL, ",", &save)) {
		struct lttng_event ev;
		memset(&ev, 0, sizeof(ev));
		ev.type = LTTNG_EVENT_TRACEPOINT;
		ev.loglevel = -1;
		snprintf(ev.name, sizeof(ev.name), "%s", pat);
		ret = lttng_enable_event_with_exclusions(h, &ev, CHANNEL, filter, 0, NULL);
		if (ret < 0) {
			ss_warn("enable event %s: %s", pat, lttng_strerror(ret));
			break;
		}
	}
	free(list);
	free(filter);
	if (ret < 0)
		goto fail_quiet;
	if ((ret = lttng_start_tracing(name)) < 0)
		goto fail;
	lttng_channel_destroy(ch);
	lttng_destroy_handle(h);
	return 0;
fail:
	ss_warn("session %s: %s", name, lttng_strerror(ret));
fail_quiet:
	if (ch)
		lttng_channel_destroy(ch);
	if (h)
		lttng_destroy_handle(h);
	lttng_destroy_session(name);
	return -1;
}

int ss_session_start(const char *name, const char *dir, uint64_t tag,
		     const struct ss_session_cfg *o)
{
	return start(o->relay_url ? lttng_session_descriptor_network_create(name, o->relay_url, NULL)
			      : lttng_session_descriptor_local_create(name, dir),
		     name, tag, o);
}

int ss_session_start_live(const char *name, const char *ctrl_url, const char *data_url,
			  uint64_t tag, const struct ss_session_cfg *o)
{
	return start(lttng_session_descriptor_live_network_create(name, ctrl_url, data_url,
								   SS_LIVE_US),
		     name, tag, o);
}

/* Events the tracer had to drop, summed over the channel's buffers. */
static uint64_t discarded_events(const char *name)
{
	struct lttng_domain dom = { .type = LTTNG_DOMAIN_UST, .buf_type = LTTNG_BUFFER_PER_UID };
	struct lttng_handle *h = lttng_create_handle(name, &dom);
	struct lttng_channel *chans = NULL;
	uint64_t total = 0;

	if (!h)
		return 0;
	int n = lttng_list_channels(h, &chans);
	for (int i = 0; i < n; i++) {
		uint64_t d = 0;
		if (lttng_channel_get_discarded_event_count(&chans[i], &d) == 0)
			total += d;
	}
	free(chans);
	lttng_destroy_handle(h);
	return total;
}

/*
 * Wait until the consumer has written all that the stopped session's
 * buffers held: then the trace on disk is complete and readable.
 * liblttng-ctl's own wait (lttng_stop_tracing) asks, then sleeps 200 ms
 * before asking again, while the consumer needs a few milliseconds for a
 * short command's buffers; ask after 1 ms, then twice as late each time up
 * to PENDING_MAX_MS, so that a long drain costs few round trips.  Returns
 * 0, or the error of lttng_data_pending (the daemon is gone).
 */
#define PENDING_MAX_MS 32
static int wait_data_written(const char *name)
{
	long ms = 1;
	int ret;

	while ((ret = lttng_data_pending(name)) == 1) {
		struct timespec ts = { 0, ms * 1000000L };
		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
		if (ms < PENDING_MAX_MS)
			ms *= 2;
	}
	return ret < 0 ? ret : 0;
}

/*
 * Destroy the session, without waiting for the daemon to finish unless
 * asked.  A local session's data is on disk already (wait_data_written);
 * what the daemon still does is a
 * last "quiet" rotation to no trace chunk, which closes the stream files
 * without writing to them, and whose end it notices on a 500 ms timer
 * (DEFAULT_ROTATE_PENDING_TIMER in lttng-tools 2.13): waiting for that
 * would cost every recording half a second.  The session no longer lists
 * once the destruction is accepted, so `report` does not take it as still
 * writing; and a daemon asked to stop (sessiond.c) first completes the
 * destructions under way.  A session streamed to a relay is waited for:
 * that last rotation is what has the relay close the trace's files, and
 * only then may `report` read them there.
 */
#define DESTROY_WAIT_MS 60000
static int destroy(const char *name, int wait)
{
	struct lttng_destruction_handle *dh = NULL;
	enum lttng_error_code rc = lttng_destroy_session_ext(name, &dh);

	if (rc == LTTNG_OK && wait && dh &&
	    lttng_destruction_handle_wait_for_completion(dh, DESTROY_WAIT_MS) !=
		    LTTNG_DESTRUCTION_HANDLE_STATUS_COMPLETED)
		ss_warn("session %s: the relay did not confirm the end of the trace within %d s",
			name, DESTROY_WAIT_MS / 1000);
	lttng_destruction_handle_destroy(dh);
	return rc == LTTNG_OK ? 0 : -(int)rc;
}

int ss_session_end(const char *name, uint64_t *lost, int remote)
{
	int ret = lttng_stop_tracing_no_wait(name);

	if (ret == -LTTNG_ERR_TRACE_ALREADY_STOPPED)
		ret = 0;
	if (ret < 0 && lttng_session_daemon_alive() != 1)
		return 1;
	if (ret < 0)
		ss_warn("stop session %s: %s", name, lttng_strerror(ret));
	if ((ret = wait_data_written(name)) < 0) {
		if (lttng_session_daemon_alive() != 1)
			return 1;
		ss_warn("session %s: waiting for its data: %s", name, lttng_strerror(ret));
	}
	*lost = discarded_events(name);
	ret = destroy(name, remote);
	if (ret < 0)
		ss_warn("destroy session %s: %s", name, lttng_strerror(ret));
	return 0;
}

/* Whether one of the paths a and b is the other or lies below it. */
static int nested(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), n = la < lb ? la : lb;

	if (!n || strncmp(a, b, n))
		return 0;
	return la == lb || (la < lb ? b[la] : a[lb]) == '/';
}

int ss_session_writing(const char *dir, char *name, size_t size)
{
	char want[PATH_MAX];
	struct lttng_session *s = NULL;
	int found = 0;

	if (!realpath(dir, want) || lttng_session_daemon_alive() != 1)
		return 0;
	int n = lttng_list_sessions(&s);
	for (int i = 0; i < n && !found; i++) {
		if (s[i].enabled && nested(s[i].path, want)) {
			snprintf(name, size, "%s", s[i].name);
			found = 1;
		}
	}
	free(s);
	return found;
}
