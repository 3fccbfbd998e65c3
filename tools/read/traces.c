// SPDX-License-Identifier: MIT
/*
 * Finding the traces to read (reader.h): the directories under the ones
 * given that hold a CTF metadata file, in name order (a recording has one
 * per buffer owner; a relay's output one per host and session), at most
 * 12 levels down.
 */
#include "read/reader.h"
#include "tool.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void push(struct ss_dirlist *l, char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		l->v = ss_xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = s;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void find_traces(const char *dir, struct ss_dirlist *out, int depth)
{
	char *meta = ss_xasprintf("%s/metadata", dir);
	struct stat st;
	int is_trace = stat(meta, &st) == 0 && S_ISREG(st.st_mode);

	free(meta);
	if (is_trace) {
		push(out, ss_xstrdup(dir));
		return;
	}
	DIR *d = depth < 12 ? opendir(dir) : NULL;
	if (!d)
		return;
	struct ss_dirlist subs = { 0 };
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char *sub = ss_xasprintf("%s/%s", dir, de->d_name);
		if (stat(sub, &st) == 0 && S_ISDIR(st.st_mode))
			push(&subs, sub);
		else
			free(sub);
	}
	closedir(d);
	if (subs.n)
		qsort(subs.v, subs.n, sizeof(*subs.v), by_name);
	for (size_t i = 0; i < subs.n; i++) {
		find_traces(subs.v[i], out, depth + 1);
		free(subs.v[i]);
	}
	free(subs.v);
}

void ss_find_traces(const char *dir, struct ss_dirlist *out)
{
	find_traces(dir, out, 0);
}

void ss_dirlist_free(struct ss_dirlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	*l = (struct ss_dirlist){ 0 };
}
