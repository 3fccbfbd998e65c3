// SPDX-License-Identifier: MIT
/*
 * Error values of libsockscope, in the shape of redis's anet: the operation
 * first, then the address it was about, then what went wrong —
 * "connect 127.0.0.1:50007: Connection refused", "gethostbyname
 * no.such.host: host not found".  The code is errno for system errors and 0
 * for address and name errors, as the socket module's error value is either
 * (errno, string) or a string.
 */
#include "lib.h"

#include <netdb.h>
#include <stdio.h>
#include <string.h>

int ss__fail(struct ss__call *c, struct ss_error *err, int code, const char *op,
	     const char *where, const char *text)
{
	char buf[128];

	c->code = code;
	if (!err)
		return -1;
	err->code = code;
	if (!text)
		text = strerror_r(code, buf, sizeof(buf));
	if (where && *where)
		snprintf(err->msg, sizeof(err->msg), "%s %s: %s", op, where, text);
	else
		snprintf(err->msg, sizeof(err->msg), "%s: %s", op, text);
	return -1;
}

int ss__sys(struct ss__call *c, struct ss_error *err, const char *op, const char *where)
{
	return ss__fail(c, err, errno, op, where, NULL);
}

int ss__wait_fail(struct ss__call *c, struct ss_error *err, const char *op, const char *where)
{
	int code = errno;

	return ss__fail(c, err, code, op, where, code == ETIMEDOUT ? "timed out" : NULL);
}

int ss__gai_fail(struct ss__call *c, struct ss_error *err, int eai, const char *op,
		 const char *what)
{
	switch (eai) {
	case EAI_SYSTEM:
		return ss__sys(c, err, op, what);
	case EAI_NONAME:
	case EAI_NODATA:
	case EAI_ADDRFAMILY:
		return ss__fail(c, err, 0, op, what, "host not found");
	case EAI_SERVICE:
		return ss__fail(c, err, 0, op, what, "service not found");
	default:
		return ss__fail(c, err, 0, op, what, gai_strerror(eai));
	}
}
