// SPDX-License-Identifier: MIT
/*
 * Reading the log-linear histogram of hist.h: percentiles and a terminal
 * drawing.  Adding is inline in the header since it is on the hot path.
 */
#include "model/hist.h"

#include <math.h>
#include <string.h>

void ss_hist_range(unsigned i, uint64_t *lo, uint64_t *hi)
{
	if (i < SS_HIST_LINEAR) {
		*lo = *hi = i;
		return;
	}
	unsigned k = i - SS_HIST_LINEAR;
	unsigned e = k / SS_HIST_SUB + SS_HIST_SUB_BITS + 1, sub = k % SS_HIST_SUB;
	uint64_t width = (uint64_t)1 << (e - SS_HIST_SUB_BITS);
	*lo = ((uint64_t)1 << e) + sub * width;
	*hi = *lo + (width - 1);
}

uint64_t ss_hist_percentile(const struct ss_hist *h, double p)
{
	if (!h->count)
		return 0;
	uint64_t rank = (uint64_t)ceil(p / 100.0 * (double)h->count), seen = 0;
	if (rank < 1)
		rank = 1;
	for (unsigned i = 0; i < SS_HIST_BUCKETS; i++) {
		seen += h->b[i];
		if (seen < rank)
			continue;
		uint64_t lo, hi;
		ss_hist_range(i, &lo, &hi);
		uint64_t mid = lo + (hi - lo) / 2;
		return mid < h->min ? h->min : mid > h->max ? h->max : mid;
	}
	return h->max;
}

/* A duration as a short label, three significant digits in the largest
 * unit that keeps it at 1 or more: 512ns, 16.4us, 1.05ms, 4.29s. */
static void label(uint64_t ns, char *buf, size_t size)
{
	static const char *const unit[] = { "ns", "us", "ms", "s" };
	double v = (double)ns;
	int u = 0;

	while (u < 3 && v >= 999.5) { /* 999.7 would print as 1e+03 */
		v /= 1000;
		u++;
	}
	snprintf(buf, size, "%.3g%s", v, unit[u]);
}

void ss_hist_draw(const struct ss_hist *h, FILE *f)
{
	uint64_t pow2[65];
	int first = -1, last = -1;
	uint64_t top = 0;

	memset(pow2, 0, sizeof(pow2));
	for (unsigned i = 0; i < SS_HIST_BUCKETS; i++) {
		if (!h->b[i])
			continue;
		uint64_t lo, hi;
		ss_hist_range(i, &lo, &hi);
		int slot = lo ? 64 - __builtin_clzll(lo) : 0; /* [2^(s-1), 2^s) */
		pow2[slot] += h->b[i];
	}
	for (int s = 0; s <= 64; s++) {
		if (!pow2[s])
			continue;
		if (first < 0)
			first = s;
		last = s;
		if (pow2[s] > top)
			top = pow2[s];
	}
	if (first < 0)
		return;
	fprintf(f, "  %21s : %-9s distribution\n", "latency", "count");
	for (int s = first; s <= last; s++) {
		char a[32], b[32], bar[41];
		uint64_t lo = s ? (uint64_t)1 << (s - 1) : 0;
		uint64_t hi = s ? (s == 64 ? UINT64_MAX : ((uint64_t)1 << s) - 1) : 0;
		label(lo, a, sizeof(a));
		label(hi + 1, b, sizeof(b));
		int n = (int)((pow2[s] * 40 + top - 1) / top);
		memset(bar, '*', (size_t)n);
		memset(bar + n, ' ', (size_t)(40 - n));
		bar[40] = 0;
		fprintf(f, "  %9s -> %-8s : %-9llu |%s|\n", a, b, (unsigned long long)pow2[s], bar);
	}
}
