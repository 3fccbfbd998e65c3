/* SPDX-License-Identifier: MIT */
/*
 * The methods of the companion library, in the order of the socket module's
 * documentation, then the helpers beyond it.  One line per method: the
 * library emits sockscope_api:<name>.  A plain header, without LTTng, so
 * that the library numbers its methods from the same list as the provider
 * (sockscope-api-tp.h) declares their events.
 */
#ifndef SS_API_METHODS_H
#define SS_API_METHODS_H

#define SS_API_METHODS(X)                                                 \
	X(socket) X(fromfd) X(gethostbyname) X(gethostname)               \
	X(gethostbyaddr) X(getservbyname) X(accept) X(bind) X(close)      \
	X(connect) X(fileno) X(getpeername) X(getsockname) X(getsockopt)  \
	X(listen) X(makefile) X(recv) X(recvfrom) X(send) X(sendto)       \
	X(setblocking) X(setsockopt) X(shutdown) X(sendall) X(settimeout) \
	X(create_connection) X(create_server)

#endif
