// SPDX-License-Identifier: MIT
/*
 * What the probes library provides besides the probes.
 *
 * The ids every event carries (ss-tp-types.h): this process's pid and each
 * thread's tid, read once and forgotten in a forked child.
 *
 * The recording tag as an LTTng application context, $app.sockscope:rec:
 * the value of this process's SOCKSCOPE_REC (0 when unset).  `sockscope
 * record` enables our events with the filter `$app.sockscope:rec == TAG`,
 * so a recording keeps to its own processes (forks and execs inherit the
 * variable) while no event carries the tag: a context used only by a filter
 * is asked for its value when the filter runs and is never written.
 *
 * liblttng-ust 2.13 exports the registration but installs no header for
 * it (its Java and Python agents use it): the structures below are its ABI,
 * as in its src/common/ust-context-provider.h and dynamic-type.h.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include "ss-tp-types.h"
#include "ss_runtime.h"

int ss_tp_pid_cache;
__thread int ss_tp_tid_cache;

static void forget_ids(void)
{
	__atomic_store_n(&ss_tp_pid_cache, 0, __ATOMIC_RELAXED);
	ss_tp_tid_cache = 0;
}

/* Async-signal-safe: the first event of a thread may come from a signal
 * handler (the fork handler is registered by the constructor, below). */
int ss_tp_ids_fill(int tid)
{
	int v = tid ? (int)gettid() : (int)getpid(); /* never fail: errno stays */

	if (tid)
		ss_tp_tid_cache = v;
	else
		__atomic_store_n(&ss_tp_pid_cache, v, __ATOMIC_RELAXED);
	return v;
}

struct lttng_ust_probe_ctx;
struct lttng_ust_ring_buffer_ctx;
struct lttng_ust_channel_buffer;

enum { SS_DYNAMIC_TYPE_S64 = 4 }; /* LTTNG_UST_DYNAMIC_TYPE_S64: what filters compare */

struct lttng_ust_ctx_value {
	int sel;
	union {
		int64_t s64;
		uint64_t u64;
		const char *str;
		double d;
	} u;
};

struct lttng_ust_context_provider {
	uint32_t struct_size;
	const char *name;
	size_t (*get_size)(void *priv, struct lttng_ust_probe_ctx *probe_ctx, size_t offset);
	void (*record)(void *priv, struct lttng_ust_probe_ctx *probe_ctx,
		       struct lttng_ust_ring_buffer_ctx *ctx, struct lttng_ust_channel_buffer *chan);
	void (*get_value)(void *priv, struct lttng_ust_probe_ctx *probe_ctx,
			  struct lttng_ust_ctx_value *value);
	void *priv;
};

struct lttng_ust_registered_context_provider;
struct lttng_ust_registered_context_provider *
lttng_ust_context_provider_register(struct lttng_ust_context_provider *provider);

static uint64_t rec;

static size_t rec_size(void *priv, struct lttng_ust_probe_ctx *probe_ctx, size_t offset)
{
	(void)priv;
	(void)probe_ctx;
	(void)offset;
	return 0; /* never recorded: only filters read it */
}

static void rec_record(void *priv, struct lttng_ust_probe_ctx *probe_ctx,
		       struct lttng_ust_ring_buffer_ctx *ctx, struct lttng_ust_channel_buffer *chan)
{
	(void)priv;
	(void)probe_ctx;
	(void)ctx;
	(void)chan;
}

static void rec_value(void *priv, struct lttng_ust_probe_ctx *probe_ctx,
		      struct lttng_ust_ctx_value *value)
{
	(void)priv;
	(void)probe_ctx;
	value->sel = SS_DYNAMIC_TYPE_S64;
	value->u.s64 = (int64_t)rec;
}

static struct lttng_ust_context_provider provider = {
	.struct_size = sizeof(struct lttng_ust_context_provider),
	.name = "$app.sockscope",
	.get_size = rec_size,
	.record = rec_record,
	.get_value = rec_value,
};

static struct lttng_ust_registered_context_provider *registered; /* kept for good */

/* Before the constructors that register our probes (no priority): their
 * registration links the filters that read the tag. */
__attribute__((constructor(101))) static void context_init(void)
{
	rec = ss_rec_from_env();
	pthread_atfork(NULL, NULL, forget_ids);
	registered = lttng_ust_context_provider_register(&provider);
}
