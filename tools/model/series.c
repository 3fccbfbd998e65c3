// SPDX-License-Identifier: MIT
/*
 * Bytes sent and received over time (model.h, struct ss_series), for the
 * throughput plot of `report --format html`: the model keeps no event, so
 * the bytes are summed into time buckets as they are counted.  The span
 * of the traces is not known until they are read, so the buckets start
 * fine and, when one more would not fit, pairs of neighbours merge and the
 * width doubles: memory stays fixed and the last span is always covered
 * by between SS_SERIES_MAX / 2 and SS_SERIES_MAX buckets.
 */
#include "model/model.h"

#define SS_SERIES_WIDTH0 1000 /* ns: the first buckets' width */

static void merge(struct ss_series *s)
{
	size_t n = 0;

	for (size_t i = 0; i < s->n; i += 2, n++) {
		uint64_t tx = s->tx[i], rx = s->rx[i];
		if (i + 1 < s->n)
			tx += s->tx[i + 1], rx += s->rx[i + 1];
		s->tx[n] = tx;
		s->rx[n] = rx;
	}
	for (size_t i = n; i < s->n; i++)
		s->tx[i] = s->rx[i] = 0;
	s->n = n;
	s->width *= 2;
}

void ss_series_add(struct ss_series *s, uint64_t ts, int tx, uint64_t n)
{
	if (!s->width) {
		s->t0 = ts;
		s->width = SS_SERIES_WIDTH0;
	}
	/* Bytes counted before the first (another host's clock) go first. */
	uint64_t i = ts > s->t0 ? (ts - s->t0) / s->width : 0;
	while (i >= SS_SERIES_MAX) {
		merge(s);
		i = (ts - s->t0) / s->width;
	}
	if (i >= s->n)
		s->n = i + 1;
	if (tx)
		s->tx[i] += n;
	else
		s->rx[i] += n;
}
