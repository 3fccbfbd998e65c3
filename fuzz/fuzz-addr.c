// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the address decoder: any bytes of any length, as a
 * caller could pass to bind/connect/sendto with any addrlen.  The decoder
 * must never read past the input (ASan checks) and must always produce a
 * NUL-terminated text that fits SS_ADDR_TEXT.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ss_addr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ss_endpoint ep;
	char ip[SS_ADDR_TEXT];
	/* A copy of exactly size bytes, so ASan sees any read past the end. */
	uint8_t *copy = malloc(size ? size : 1);

	memcpy(copy, data, size);
	ss_addr_format(size ? copy : NULL, size, &ep);
	if (strnlen(ep.text, SS_ADDR_TEXT) >= SS_ADDR_TEXT || ep.port < 0 || ep.port > 65535)
		abort();
	if (size >= 17) {
		ss_ip_format(copy[0] & 1 ? 10 /* AF_INET6 */ : 2 /* AF_INET */, copy + 1, ip);
		if (strnlen(ip, SS_ADDR_TEXT) >= SS_ADDR_TEXT)
			abort();
	}
	free(copy);
	return 0;
}
