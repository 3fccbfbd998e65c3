// SPDX-License-Identifier: MIT
/* The hash map of hmap.h. */
#include "model/hmap.h"
#include "tool.h"

#include <stdlib.h>

static inline size_t hash(uint64_t a, uint64_t b)
{
	uint64_t h = a * 0x9e3779b97f4a7c15ull ^ (b + 0x632be59bd9b4e019ull) * 0xbf58476d1ce4e5b9ull;

	return (size_t)(h ^ (h >> 29));
}

void ss_hmap_init(struct ss_hmap *m)
{
	m->mask = 63;
	m->used = 0;
	m->slot = ss_xcalloc(m->mask + 1, sizeof(*m->slot));
}

void ss_hmap_free(struct ss_hmap *m)
{
	free(m->slot);
	m->slot = NULL;
}

void *ss_hmap_get(const struct ss_hmap *m, uint64_t a, uint64_t b)
{
	for (size_t i = hash(a, b) & m->mask;; i = (i + 1) & m->mask) {
		const struct ss_hmap_slot *s = &m->slot[i];
		if (!s->v)
			return NULL;
		if (s->a == a && s->b == b)
			return s->v;
	}
}

static void grow(struct ss_hmap *m)
{
	struct ss_hmap old = *m;

	m->mask = old.mask * 2 + 1;
	m->used = 0;
	m->slot = ss_xcalloc(m->mask + 1, sizeof(*m->slot));
	for (size_t i = 0; i <= old.mask; i++)
		if (old.slot[i].v)
			ss_hmap_put(m, old.slot[i].a, old.slot[i].b, old.slot[i].v);
	free(old.slot);
}

void ss_hmap_put(struct ss_hmap *m, uint64_t a, uint64_t b, void *v)
{
	if ((m->used + 1) * 4 > (m->mask + 1) * 3)
		grow(m);
	for (size_t i = hash(a, b) & m->mask;; i = (i + 1) & m->mask) {
		struct ss_hmap_slot *s = &m->slot[i];
		if (!s->v) {
			*s = (struct ss_hmap_slot){ a, b, v };
			m->used++;
			return;
		}
		if (s->a == a && s->b == b) {
			s->v = v;
			return;
		}
	}
}

void *ss_hmap_del(struct ss_hmap *m, uint64_t a, uint64_t b)
{
	size_t i = hash(a, b) & m->mask;

	for (;; i = (i + 1) & m->mask) {
		if (!m->slot[i].v)
			return NULL;
		if (m->slot[i].a == a && m->slot[i].b == b)
			break;
	}
	void *v = m->slot[i].v;
	/* Shift back the entries that probed past the freed slot. */
	for (size_t j = (i + 1) & m->mask; m->slot[j].v; j = (j + 1) & m->mask) {
		size_t home = hash(m->slot[j].a, m->slot[j].b) & m->mask;
		if (((j - home) & m->mask) >= ((j - i) & m->mask)) {
			m->slot[i] = m->slot[j];
			i = j;
		}
	}
	m->slot[i].v = NULL;
	m->used--;
	return v;
}

int ss_hmap_next(const struct ss_hmap *m, size_t *i, const struct ss_hmap_slot **s)
{
	for (; *i <= m->mask; (*i)++) {
		if (m->slot[*i].v) {
			*s = &m->slot[(*i)++];
			return 1;
		}
	}
	return 0;
}

uint64_t ss_hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}
