// SPDX-License-Identifier: MIT
/*
 * Lookups over the name tables of ss_names.h.  Every function here is
 * async-signal-safe (no locale, no stdio, no allocation) because the preload
 * calls them from wrappers that may run inside signal handlers.
 */
#include "ss_names.h"

#include <string.h>

#define SS_CASE(name) \
	case name:    \
		return #name;

const char *ss_errno_name(int err)
{
	switch (err) {
	case 0:
		return "OK";
		SS_ERRNO_MAP(SS_CASE)
	}
	return NULL;
}

const char *ss_af_name(int family)
{
	switch (family) {
		SS_AF_MAP(SS_CASE)
	}
	return NULL;
}

const char *ss_eai_name(int eai)
{
	switch (eai) {
		SS_EAI_MAP(SS_CASE)
	}
	return NULL;
}

const char *ss_herrno_name(int herr)
{
	switch (herr) {
		SS_HERRNO_MAP(SS_CASE)
	}
	return NULL;
}

const char *ss_ethproto_name(int proto)
{
	switch (proto) {
		SS_ETHPROTO_MAP(SS_CASE)
	}
	return NULL;
}

const char *ss_shut_name(int how)
{
	switch (how) {
		SS_SHUT_MAP(SS_CASE)
	}
	return NULL;
}

const char *ss_level_name(int level)
{
	/* Stringify here: passed on, lvl would already be a number. */
#define SS_LEVEL_CASE(lvl, list) \
	case lvl:                \
		return #lvl;
	switch (level) {
		SS_LEVEL_MAP(SS_LEVEL_CASE)
	}
	return NULL;
#undef SS_LEVEL_CASE
}

const char *ss_optname(int level, int optname)
{
#define SS_LEVEL_CASE(lvl, list)       \
	case lvl:                      \
		switch (optname) {     \
			list(SS_CASE)  \
		}                      \
		return NULL;
	switch (level) {
		SS_LEVEL_MAP(SS_LEVEL_CASE)
	}
	return NULL;
#undef SS_LEVEL_CASE
}

/* Append s to buf at *pos, keeping room for the NUL; never overflows. */
static void put(char *buf, size_t size, size_t *pos, const char *s)
{
	while (*s && *pos + 1 < size)
		buf[(*pos)++] = *s++;
	buf[*pos] = '\0';
}

static void put_hex(char *buf, size_t size, size_t *pos, unsigned int v)
{
	char tmp[11] = "0x";
	int n = 2;

	for (int shift = 28; shift >= 0; shift -= 4) {
		unsigned int d = (v >> shift) & 0xf;
		if (d || n > 2 || shift == 0)
			tmp[n++] = "0123456789abcdef"[d];
	}
	tmp[n] = '\0';
	put(buf, size, pos, tmp);
}

struct flag_name {
	unsigned int value;
	const char *name;
};

#define SS_FLAG_ENTRY(name) { (unsigned int)(name), #name },
static const struct flag_name msg_flags[] = { SS_MSG_MAP(SS_FLAG_ENTRY) };
static const struct flag_name sock_flags[] = { SS_SOCKFLAG_MAP(SS_FLAG_ENTRY) };

/* Render known bits of v by name, then the rest in hex, joined by '|'. */
static void put_flags(char *buf, size_t size, size_t *pos, unsigned int v,
		      const struct flag_name *tab, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if ((v & tab[i].value) != tab[i].value)
			continue;
		if (*pos)
			put(buf, size, pos, "|");
		put(buf, size, pos, tab[i].name);
		v &= ~tab[i].value;
	}
	if (v) {
		if (*pos)
			put(buf, size, pos, "|");
		put_hex(buf, size, pos, v);
	}
}

char *ss_msg_flags_text(int flags, char *buf, size_t size)
{
	size_t pos = 0;

	if (!size)
		return buf;
	buf[0] = '\0';
	put_flags(buf, size, &pos, (unsigned int)flags, msg_flags,
		  sizeof(msg_flags) / sizeof(msg_flags[0]));
	if (!pos)
		put(buf, size, &pos, "0");
	return buf;
}

char *ss_socktype_text(int type, char *buf, size_t size)
{
	unsigned int flags = (unsigned int)type & (SOCK_NONBLOCK | SOCK_CLOEXEC);
	size_t pos = 0;
	const char *base = NULL;

	if (!size)
		return buf;
	buf[0] = '\0';
#define SS_BASE_CASE(name) \
	case name:         \
		base = #name; \
		break;
	switch (type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) {
		SS_SOCKTYPE_MAP(SS_BASE_CASE)
	}
#undef SS_BASE_CASE
	if (base)
		put(buf, size, &pos, base);
	else
		put_hex(buf, size, &pos, (unsigned int)type & ~flags);
	put_flags(buf, size, &pos, flags, sock_flags,
		  sizeof(sock_flags) / sizeof(sock_flags[0]));
	return buf;
}
