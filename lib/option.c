// SPDX-License-Identifier: MIT
/*
 * Socket options, as the socket module has them: a length of 0 means the
 * option is an int, any other length means raw bytes the caller lays out
 * (struct linger, struct timeval, ...).  Levels and option names in the
 * events come from the shared name tables.
 */
#include "lib.h"
#include "ss_names.h"

#include <stdio.h>

/* "SOL_SOCKET, SO_REUSEADDR" (numbers for names the tables lack), then
 * the value text. */
static void option_args(struct ss__call *c, int level, int optname, const char *value)
{
	char lbuf[16], obuf[16];

	if (!c->on)
		return;
	ss__args(c, "%s, %s, %s", ss__name_or_num(ss_level_name(level), level, lbuf, sizeof(lbuf)),
		 ss__name_or_num(ss_optname(level, optname), optname, obuf, sizeof(obuf)), value);
}

SS_API ssize_t ss_getsockopt(struct ss_sock *s, int level, int optname, size_t buflen,
			     void *value, struct ss_error *err)
{
	struct ss__call c;
	char vbuf[32];
	socklen_t len = buflen ? (socklen_t)buflen : sizeof(int);

	ss__begin(&c, SS_M_getsockopt);
	if (c.on) {
		snprintf(vbuf, sizeof(vbuf), "%zu", buflen);
		option_args(&c, level, optname, vbuf);
	}
	int r = getsockopt(s->fd, level, optname, value, &len);
	if (r < 0)
		ss__sys(&c, err, "getsockopt", s->where);
	return ss__end(&c, s, r < 0 ? -1 : (int64_t)len);
}

SS_API int ss_setsockopt(struct ss_sock *s, int level, int optname, const void *value,
			 size_t len, struct ss_error *err)
{
	struct ss__call c;
	char vbuf[32];

	ss__begin(&c, SS_M_setsockopt);
	if (c.on) {
		/* An int shows its value; other bytes only their length. */
		if (!value)
			snprintf(vbuf, sizeof(vbuf), "NULL");
		else if (len == 0 || len == sizeof(int))
			snprintf(vbuf, sizeof(vbuf), "%d", *(const int *)value);
		else
			snprintf(vbuf, sizeof(vbuf), "%zu bytes", len);
		option_args(&c, level, optname, vbuf);
	}
	int r = setsockopt(s->fd, level, optname, value, len ? (socklen_t)len : sizeof(int));
	if (r < 0)
		ss__sys(&c, err, "setsockopt", s->where);
	return (int)ss__end(&c, s, r);
}
