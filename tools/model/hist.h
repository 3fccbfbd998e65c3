/* SPDX-License-Identifier: MIT */
/*
 * A fixed log-linear latency histogram: memory is constant whatever the
 * number of calls, so `sockscope report` keeps one per syscall instead of
 * every latency.  Values below 64 ns have a bucket each; above, every
 * power of two is cut into 32 equal buckets, so a bucket spans at most
 * 1/32 of its values and a percentile read at the bucket's middle is
 * within 1.6% of the true value (clamped to the exact min and max).
 */
#ifndef SS_HIST_H
#define SS_HIST_H

#include <stdint.h>
#include <stdio.h>

#define SS_HIST_SUB_BITS 5
#define SS_HIST_SUB (1u << SS_HIST_SUB_BITS)
#define SS_HIST_LINEAR (2 * SS_HIST_SUB)
#define SS_HIST_BUCKETS (SS_HIST_LINEAR + (64 - SS_HIST_SUB_BITS - 1) * SS_HIST_SUB)

struct ss_hist {
	uint64_t count, total, min, max;
	uint64_t b[SS_HIST_BUCKETS];
};

static inline unsigned ss_hist_bucket(uint64_t v)
{
	if (v < SS_HIST_LINEAR)
		return (unsigned)v;
	unsigned e = 63 - (unsigned)__builtin_clzll(v);
	return SS_HIST_LINEAR + (e - SS_HIST_SUB_BITS - 1) * SS_HIST_SUB +
	       (unsigned)((v >> (e - SS_HIST_SUB_BITS)) & (SS_HIST_SUB - 1));
}

static inline void ss_hist_add(struct ss_hist *h, uint64_t v)
{
	if (!h->count || v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	h->count++;
	h->total += v;
	h->b[ss_hist_bucket(v)]++;
}

/* Smallest and largest value of bucket i. */
void ss_hist_range(unsigned i, uint64_t *lo, uint64_t *hi);

/* The p-th percentile (0 < p <= 100), 0 for an empty histogram. */
uint64_t ss_hist_percentile(const struct ss_hist *h, double p);

/*
 * Draw the histogram in powers of two, like bcc's funclatency, on f:
 * one line per range from the first to the last non-empty one.
 */
void ss_hist_draw(const struct ss_hist *h, FILE *f);

#endif
