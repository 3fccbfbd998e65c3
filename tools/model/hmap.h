/* SPDX-License-Identifier: MIT */
/*
 * An open-addressing hash map from a pair of 64-bit keys to a pointer,
 * for the report's tables keyed by (vpid, socket serial), (vpid), event
 * class address and so on.  Linear probing with backward-shift deletion:
 * no tombstones, so a table of live connections stays small however many
 * came and went.
 */
#ifndef SS_HMAP_H
#define SS_HMAP_H

#include <stddef.h>
#include <stdint.h>

struct ss_hmap_slot {
	uint64_t a, b;
	void *v; /* NULL: empty */
};

struct ss_hmap {
	struct ss_hmap_slot *slot;
	size_t mask, used;
};

void ss_hmap_init(struct ss_hmap *m);
void ss_hmap_free(struct ss_hmap *m);
/* The value of (a, b), NULL if none. */
void *ss_hmap_get(const struct ss_hmap *m, uint64_t a, uint64_t b);
/* Set (a, b) to v (not NULL), replacing any value. */
void ss_hmap_put(struct ss_hmap *m, uint64_t a, uint64_t b, void *v);
/* Remove (a, b); returns the value it had, or NULL. */
void *ss_hmap_del(struct ss_hmap *m, uint64_t a, uint64_t b);

/* A 64-bit hash of a string (FNV-1a), for keys made of text. */
uint64_t ss_hash_str(const char *s);

/* Visit every entry: for (size_t i = 0; ss_hmap_next(m, &i, &slot);) */
int ss_hmap_next(const struct ss_hmap *m, size_t *i, const struct ss_hmap_slot **s);

#endif
