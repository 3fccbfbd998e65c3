// SPDX-License-Identifier: MIT
/*
 * The one place libsockscope traces: every method is timed by ss__begin and
 * ss__end, which emits sockscope_api:<method>.  As in the preload, the
 * tracepoints are defined here with dynamic probe linkage and the probes
 * (libsockscope-tp.so) are loaded only when a session daemon may want them,
 * so a program without one never loads liblttng-ust nor its threads.
 *
 * Unlike the preload, the probes are loaded at the first call rather than
 * from a constructor.  Our constructor runs before the preload's (the
 * preload is not a dependency of ours), and dlopen() holds the loader lock
 * while liblttng-ust's constructor waits for its listener threads; those
 * threads call socket() through the preload, whose real functions are not
 * resolved yet, and its dlsym() waits for that same lock: a deadlock.  At
 * the first call every constructor has run.
 */
#define LTTNG_UST_TRACEPOINT_DEFINE
#define LTTNG_UST_TRACEPOINT_PROBE_DYNAMIC_LINKAGE
#define LTTNG_UST_TRACEPOINT_HIDDEN_DEFINITION
#include "sockscope-api-tp.h"

#include "lib.h"
#include "ss_runtime.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

/* This process's recording tag (SOCKSCOPE_REC), read with the probes. */
static uint64_t rec;
static pthread_once_t probes_once = PTHREAD_ONCE_INIT;

static void load_probes(void)
{
	rec = ss_rec_from_env();
	ss_probes_load((const void *)load_probes);
}

uint64_t ss__now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Whether sockscope_api:<m> is enabled in some session: a load and a
 * branch, so a call costs next to nothing when nobody records. */
static int enabled(enum ss__method m)
{
	switch (m) {
#define SS__ENABLED_CASE(name) \
	case SS_M_##name:      \
		return lttng_ust_tracepoint_enabled(sockscope_api, name);
		SS_API_METHODS(SS__ENABLED_CASE)
#undef SS__ENABLED_CASE
	case SS_M_COUNT:
		break;
	}
	return 0;
}

void ss__begin(struct ss__call *c, enum ss__method m)
{
	pthread_once(&probes_once, load_probes);
	c->m = m;
	c->on = enabled(m);
	c->code = 0;
	c->args[0] = '\0';
	/* Taken first, so the window [end - dur_ns, end] starts before any
	 * libc call of the method and encloses its sockscope events.  Only
	 * for an event that is on: clock reads are most of a method's cost
	 * when nobody records. */
	c->t0 = c->on ? ss__now() : 0;
}

void ss__args(struct ss__call *c, const char *fmt, ...)
{
	va_list ap;

	if (!c->on)
		return;
	va_start(ap, fmt);
	vsnprintf(c->args, sizeof(c->args), fmt, ap);
	va_end(ap);
}

const char *ss__name_or_num(const char *name, int v, char *buf, size_t size)
{
	if (name)
		return name;
	snprintf(buf, size, "%d", v);
	return buf;
}

int64_t ss__end(struct ss__call *c, const struct ss_sock *s, int64_t ret)
{
	int saved = errno;

	/* An event turned on during the call is left out: it has no start. */
	if (!c->on)
		goto out;
	uint64_t dur = ss__now() - c->t0;
	uint64_t serial = s ? s->serial : 0;
	int fd = s ? s->fd : -1;
	int err = c->code;

	switch (c->m) {
#define SS__EMIT_CASE(name)                                                         \
	case SS_M_##name:                                                           \
		lttng_ust_tracepoint(sockscope_api, name, serial, fd, c->args, ret, err, \
				     dur, rec, c->t0);                              \
		break;
		SS_API_METHODS(SS__EMIT_CASE)
#undef SS__EMIT_CASE
	case SS_M_COUNT:
		break;
	}
out:
	errno = c->code ? c->code : saved;
	return ret;
}

const char *ss__method_name(enum ss__method m)
{
	static const char *const names[SS_M_COUNT] = {
#define SS__NAME(name) [SS_M_##name] = #name,
		SS_API_METHODS(SS__NAME)
#undef SS__NAME
	};

	return m < SS_M_COUNT ? names[m] : "?";
}
