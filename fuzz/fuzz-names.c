// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the name tables and flag renderers: arbitrary
 * numbers for errno, families, levels, option names, socket types and MSG_*
 * flags, rendered into buffers of every size from 0 up.  The renderers must
 * stay inside their buffer and always terminate it; the lookups must answer
 * NULL or a name, never crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ss_names.h"

static int32_t take(const uint8_t **p, size_t *n)
{
	int32_t v = 0;
	size_t k = *n < sizeof(v) ? *n : sizeof(v);

	memcpy(&v, *p, k);
	*p += k;
	*n -= k;
	return v;
}

static void render(char *(*fn)(int, char *, size_t), int v, size_t size)
{
	/* Exactly size bytes on the heap so ASan catches a write past them. */
	char *buf = malloc(size ? size : 1);

	fn(v, buf, size);
	if (size && strnlen(buf, size) >= size)
		abort();
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data;
	size_t n = size;
	int a = take(&p, &n), b = take(&p, &n), c = take(&p, &n);
	size_t bufsize = (size_t)(c & 0xff);
	const char *names[] = { ss_errno_name(a), ss_af_name(a), ss_level_name(a),
				ss_optname(a, b), ss_eai_name(a), ss_herrno_name(a),
				ss_shut_name(a) };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i] && !names[i][0])
			abort();
	render(ss_socktype_text, a, bufsize);
	render(ss_msg_flags_text, b, bufsize);
	return 0;
}
