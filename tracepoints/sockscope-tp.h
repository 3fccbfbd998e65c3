/* SPDX-License-Identifier: MIT */
/*
 * LTTng-UST provider `sockscope`: one event per intercepted libc call,
 * emitted when the call returns.  docs/events.md documents every field; this
 * header is its single source.  Event classes group calls that record the
 * same fields; SS_TP_EVENTS lists which call uses which class, so adding a
 * call of an existing kind is one line there.
 */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER sockscope

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "sockscope-tp.h"

#if !defined(SOCKSCOPE_TP_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define SOCKSCOPE_TP_H

#include <lttng/tracepoint.h>
#include "ss-tp-types.h"
#include "ss_names.h"

#define SS_TP_ENUM_VAL(name) lttng_ust_field_enum_value(#name, name)

LTTNG_UST_TRACEPOINT_ENUM(sockscope, family_e,
	LTTNG_UST_TP_ENUM_VALUES(
		lttng_ust_field_enum_value("none", -1)
		SS_AF_MAP(SS_TP_ENUM_VAL)))

LTTNG_UST_TRACEPOINT_ENUM(sockscope, shut_e,
	LTTNG_UST_TP_ENUM_VALUES(SS_SHUT_MAP(SS_TP_ENUM_VAL)))

#define SS_TP_LEVEL_VAL(level, list) lttng_ust_field_enum_value(#level, level)
LTTNG_UST_TRACEPOINT_ENUM(sockscope, level_e,
	LTTNG_UST_TP_ENUM_VALUES(SS_LEVEL_MAP(SS_TP_LEVEL_VAL)))

/*
 * The fields of a call, narrow: every byte is written for every call and
 * read back by every reader.  vpid and vtid: the process and thread, as
 * LTTng's contexts of those names would give them (ss-tp-types.h).  sock is the low 32 bits of the serial; ret
 * is as wide as the call's results (Linux moves at most 0x7ffff000 bytes
 * per call, so int32 holds every byte count; rett int8_t for the calls that
 * return 0 or -1); err is the errno number, in a byte (errno values end
 * below 256) and not an enum: LTTng 2.13 writes an enum's every name into
 * the metadata at each field that uses it, and 134 names in ~120 event
 * classes made 300 KB that every reader parses (readers name it with
 * ss_errno_name(), common/ss_names.h); start_ns is
 * the one clock reading of the call, when it started: its end is the
 * event's own timestamp.
 */
#define SS_TP_IDS                                                       \
	lttng_ust_field_integer(int32_t, vpid, ss_tp_vpid())            \
	lttng_ust_field_integer(int32_t, vtid, ss_tp_vtid())

#define SS_TP_RESULT(rett)                                              \
	lttng_ust_field_integer(uint32_t, sock, b->sock)                \
	lttng_ust_field_integer(rett, ret, b->ret)                      \
	lttng_ust_field_integer(uint8_t, err, b->err)                   \
	lttng_ust_field_integer(uint64_t, start_ns, b->start_ns)

#define SS_TP_CALL_FIELDS(rett) SS_TP_IDS SS_TP_RESULT(rett)

/* The same, with the descriptor: for the calls that make, describe,
 * duplicate, reconfigure or close one.  The data calls (send and receive
 * families, socket options) name their socket by sock alone. */
#define SS_TP_FD_FIELDS(rett)                                           \
	SS_TP_IDS lttng_ust_field_integer(int, fd, b->fd) SS_TP_RESULT(rett)

#define SS_TP_ADDR_FIELDS(a)                                            \
	lttng_ust_field_enum(sockscope, family_e, int8_t, family, (a)->family) \
	lttng_ust_field_string(addr, (a)->text)                         \
	lttng_ust_field_integer(uint16_t, port, (a)->port)

/* close, closefrom, fork, posix_spawn(p): nothing beyond the base (ret is the
 * child's pid, emitted by the parent). */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(sockscope, base,
	LTTNG_UST_TP_ARGS(const struct ss_tp_base *, b),
	LTTNG_UST_TP_FIELDS(SS_TP_FD_FIELDS(int32_t)))

/* exec: a new program image starts in this process (emitted once, from the
 * preload's constructor, on the main thread): the descriptors that were
 * close-on-exec are gone; comm: the process's name.  comm: the process's
 * name changed (its main thread renamed), or a process whose start no
 * event shows (a daemon() child) says its name. */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(sockscope, proc,
	LTTNG_UST_TP_ARGS(const struct ss_tp_base *, b, const char *, comm),
	LTTNG_UST_TP_FIELDS(SS_TP_FD_FIELDS(int32_t)
		lttng_ust_field_string(comm, comm)))

/* socket: the arguments that made it. */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(sockscope, create,
	LTTNG_UST_TP_ARGS(const struct ss_tp_base *, b, int, family,
			  const char *, type, int, protocol),
	LTTNG_UST_TP_FIELDS(SS_TP_FD_FIELDS(int32_t)
		lttng_ust_field_enum(sockscope, family_e, int8_t, family, family)
		lttng_ust_field_string(type, type)
		lttng_ust_field_integer(int, protocol, protocol)))

/* socketpair: fd/sock are sv[0]; fd2/sock2 are sv[1]. */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(sockscope, pair,
	LTTNG_UST_TP_ARGS(const struct ss_tp_base *, b, int, family,
			  const char *, type, int, protocol, int, fd2,
			  uint64_t, sock2),
	LTTNG_UST_TP_FIELDS(SS_TP_FD_FIELDS(int32_t)
		lttng_ust_field_enum(sockscope, family_e, int8_t, family, family)
		lttng_ust_field_string(type, type)
		lttng_ust_field_integer(int, protocol, protocol)
		lttng_ust_field_integer(int, fd2, fd2)
		lttng_ust_field_integer(uint32_t, sock2, sock2)))

/* getsockname, getpeername: one endpoint. */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(sockscope, addr,
	LTTNG_UST_TP_ARGS(const struct ss_tp_base *, b,
			  const struct ss_tp_addr *, a),
	LTTNG_UST_TP_FIELDS(SS_TP_FD_FIELDS(int8_t) SS_TP_ADDR_FIELDS(a)))

/* connect: the peer asked for, and the local endpoint the kernel chose
 * (empty unless the connection was made or is in progress).  bind: the
 * address asked for, and the one the kernel bound (empty on failure), which
 * differs when port 0 or a wildcard was asked. */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(sockscope, connect,
	LTTNG_UST_TP_ARGS(const struct ss_tp_base *, b,
			  const struct ss_tp_addr *, a, const char *, local),
	LTTNG_UST_TP_FIELDS(SS_TP_FD_FIELDS(int8_t) SS_TP_ADDR_FIELDS(a)
		lttng_ust_field_string(local, local)))

/* accept, accept4: fd/sock are the listener's, ret/newsock the new one's;
 * local: the new socket's own address (for a listener on a wildcard, the
 * address the peer reached). */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(sockscope, accept,
	LTTNG_UST_TP_ARGS(const struct ss_tp_base *, b,
			  const struct ss_tp_addr *, a, uint64_t, newsock,
			  int, flags, const char *, local),
	LTTNG_UST_TP_FIELDS(SS_TP_FD_FIELDS(int32_t) SS_TP_ADDR_FIELDS(a)
		lttng_ust_field_integer(uint32_t, newsock, newsock)
		lttng_ust_field_integer_hex(int, flags, flags)
		lttng_ust_field_string(local, local)))

/* send/recv families and read/write on sockets: size asked (saturated at
 * 2^32 - 1: no call moves more than 2^31), MSG_* flags. */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(sockscope, io,
	LTTNG_UST_TP_ARGS(const struct ss_tp_base *, b, uint64_t, size,
			  int, flags),
	LTTNG_UST_TP_FIELDS(SS_TP_CALL_FIELDS(int32_t)
		lttng_ust_field_integer(uint32_t, size, ss_tp_sat32(size))
		lttng_ust_field_integer_hex(uint32_t, flags, flags)))

/* sendto, recvfrom, sendmsg, recvmsg: io plus the peer (family -1: none)
 * and, for the msg calls, the descriptors passed with SCM_RIGHTS. */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(sockscope, io_addr,
	LTTNG_UST_TP_ARGS(const struct ss_tp_base *, b, uint64_t, size,
			  int, flags, const struct ss_tp_addr *, a,
			  int, rights),
	LTTNG_UST_TP_FIELDS(SS_TP_CALL_FIELDS(int32_t)
		lttng_ust_field_integer(uint32_t, size, ss_tp_sat32(size))
		lttng_ust_field_integer_hex(uint32_t, flags, flags)
		SS_TP_ADDR_FIELDS(a)
		lttng_ust_field_integer(uint16_t, rights, rights)))

/* sendmmsg, recvmmsg: ret is the message count, bytes their total length,
 * the endpoint that of the first message. */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(sockscope, mmsg,
	LTTNG_UST_TP_ARGS(const struct ss_tp_base *, b, unsigned int, vlen,
			  int, flags, uint64_t, bytes,
			  const struct ss_tp_addr *, a),
	LTTNG_UST_TP_FIELDS(SS_TP_CALL_FIELDS(int32_t)
		lttng_ust_field_integer(unsigned int, vlen, vlen)
		lttng_ust_field_integer_hex(uint32_t, flags, flags)
		lttng_ust_field_integer(uint64_t, bytes, bytes)
		SS_TP_ADDR_FIELDS(a)))

/* getsockopt, setsockopt: the level (enum), the option's number (its name
 * depends on the level: ss_optname() in common/ss_names.h; every option
 * Linux defines fits 16 bits), the value when it is an int (optlen 4), and
 * the length. */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(sockscope, sockopt,
	LTTNG_UST_TP_ARGS(const struct ss_tp_base *, b, int, level,
			  int, optname, int, optval, int, optlen),
	LTTNG_UST_TP_FIELDS(SS_TP_CALL_FIELDS(int8_t)
		lttng_ust_field_enum(sockscope, level_e, int16_t, level, level)
		lttng_ust_field_integer(int16_t, optname, optname)
		lttng_ust_field_integer(int32_t, optval, optval)
		lttng_ust_field_integer(int32_t, optlen, optlen)))

/* listen: the backlog asked, and the address the socket listens on (the
 * kernel chooses the port of a socket listening unbound). */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(sockscope, listen,
	LTTNG_UST_TP_ARGS(const struct ss_tp_base *, b, int, backlog, const char *, local),
	LTTNG_UST_TP_FIELDS(SS_TP_FD_FIELDS(int8_t)
		lttng_ust_field_integer(int, backlog, backlog)
		lttng_ust_field_string(local, local)))

/* shutdown: which halves. */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(sockscope, shutdown,
	LTTNG_UST_TP_ARGS(const struct ss_tp_base *, b, int, how),
	LTTNG_UST_TP_FIELDS(SS_TP_FD_FIELDS(int8_t)
		lttng_ust_field_enum(sockscope, shut_e, int8_t, how, how)))

/* poll, ppoll, select, pselect, epoll_wait, epoll_pwait, epoll_pwait2:
 * one event per socket whose non-blocking connect was in progress and
 * that the call reports ready (the call returned > 0); a call reporting no
 * such socket emits nothing.  sock is that socket, ret and err the call's
 * own, revents the poll(2) bits it was reported with (epoll's EPOLL* bits
 * are the same for IN, PRI, OUT, ERR, HUP; select: POLLIN, POLLOUT,
 * POLLPRI for the read, write and except sets it is in). */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(sockscope, ready,
	LTTNG_UST_TP_ARGS(const struct ss_tp_base *, b, unsigned int, revents),
	LTTNG_UST_TP_FIELDS(SS_TP_CALL_FIELDS(int32_t)
		lttng_ust_field_integer_hex(uint16_t, revents, revents)))

/* close_range: fd is first. */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(sockscope, range,
	LTTNG_UST_TP_ARGS(const struct ss_tp_base *, b, unsigned int, last,
			  int, flags),
	LTTNG_UST_TP_FIELDS(SS_TP_FD_FIELDS(int8_t)
		lttng_ust_field_integer(unsigned int, last, last)
		lttng_ust_field_integer_hex(int, flags, flags)))

/* fcntl and ioctl on sockets that change blocking or close-on-exec, or
 * duplicate: nonblock and cloexec are 1/0 when set (cloexec: of newfd when
 * duplicating), -1 when untouched; newfd -1 when none. */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(sockscope, ctl,
	LTTNG_UST_TP_ARGS(const struct ss_tp_base *, b, unsigned long, cmd,
			  int, nonblock, int, newfd, int, cloexec),
	LTTNG_UST_TP_FIELDS(SS_TP_FD_FIELDS(int32_t)
		lttng_ust_field_integer_hex(unsigned long, cmd, cmd)
		lttng_ust_field_integer(int8_t, nonblock, nonblock)
		lttng_ust_field_integer(int, newfd, newfd)
		lttng_ust_field_integer(int8_t, cloexec, cloexec)))

/* dup, dup2, dup3 of a socket: newfd is the descriptor asked for (dup: the
 * result); the new descriptor keeps the socket's serial. */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(sockscope, dup,
	LTTNG_UST_TP_ARGS(const struct ss_tp_base *, b, int, newfd, int, flags),
	LTTNG_UST_TP_FIELDS(SS_TP_FD_FIELDS(int32_t)
		lttng_ust_field_integer(int, newfd, newfd)
		lttng_ust_field_integer_hex(int, flags, flags)))

/* Name service: what was asked and what came back (every answer and
 * their count, or the failure's name), and how long the call took: the
 * answers are formatted between the call's end and the event, so the
 * event's timestamp ends late; start_ns is when it started. */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(sockscope, dns,
	LTTNG_UST_TP_ARGS(const struct ss_tp_base *, b, const char *, query,
			  const char *, result, uint64_t, dur_ns),
	LTTNG_UST_TP_FIELDS(SS_TP_FD_FIELDS(int32_t)
		lttng_ust_field_string(query, query)
		lttng_ust_field_string(result, result)
		lttng_ust_field_integer(uint64_t, dur_ns, dur_ns)))

/* describe: a socket first seen after it was opened (inherited, passed
 * with SCM_RIGHTS, opened inside libc); cloexec: its descriptor's flag;
 * listening: whether it is a listening socket (SO_ACCEPTCONN). */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(sockscope, describe,
	LTTNG_UST_TP_ARGS(const struct ss_tp_base *, b, int, family,
			  const char *, type, const struct ss_tp_addr *, local,
			  const char *, peer, int, cloexec, int, listening),
	LTTNG_UST_TP_FIELDS(SS_TP_FD_FIELDS(int8_t)
		lttng_ust_field_enum(sockscope, family_e, int8_t, family, family)
		lttng_ust_field_string(type, type)
		lttng_ust_field_string(addr, local->text)
		lttng_ust_field_integer(uint16_t, port, local->port)
		lttng_ust_field_string(peer, peer)
		lttng_ust_field_integer(int8_t, cloexec, cloexec)
		lttng_ust_field_integer(int8_t, listening, listening)))

/* stop: tracing of this process ends here (a seccomp filter, a descriptor
 * the program took from the tracer, ...): why in a word, detail a number
 * (the seccomp operation, the descriptor).  Nothing follows from the
 * process. */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(sockscope, stop,
	LTTNG_UST_TP_ARGS(const struct ss_tp_base *, b, const char *, why, int64_t, detail),
	LTTNG_UST_TP_FIELDS(SS_TP_FD_FIELDS(int8_t)
		lttng_ust_field_string(why, why)
		lttng_ust_field_integer(int64_t, detail, detail)))

/* peercred: a unix stream connection just made (a connect that returned
 * 0, an accept): the peer's pid as SO_PEERCRED gave it once, in this
 * process's pid namespace; sock is the connection's own socket (for
 * accept, the new one).  No call of its own: ret, err and start_ns 0.  A
 * separate event, emitted only there, so that no other call's event
 * grows. */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(sockscope, peercred,
	LTTNG_UST_TP_ARGS(const struct ss_tp_base *, b, int, peer_pid),
	LTTNG_UST_TP_FIELDS(SS_TP_CALL_FIELDS(int8_t)
		lttng_ust_field_integer(int32_t, peer_pid, peer_pid)))

/* payload (record --payload, off by default): bytes a send or receive
 * moved, in pieces of at most SS_PAYLOAD_CHUNK bytes (an event must fit a
 * sub-buffer), emitted right after the call's own event on its thread:
 * offset is where the piece starts among the call's bytes.  No call of its
 * own: ret, err and start_ns 0. */
#define SS_PAYLOAD_CHUNK 4096
LTTNG_UST_TRACEPOINT_EVENT_CLASS(sockscope, payload,
	LTTNG_UST_TP_ARGS(const struct ss_tp_base *, b, uint32_t, offset, const uint8_t *, data,
			  uint16_t, len),
	LTTNG_UST_TP_FIELDS(SS_TP_CALL_FIELDS(int8_t)
		lttng_ust_field_integer(uint32_t, offset, offset)
		lttng_ust_field_sequence(uint8_t, data, data, uint16_t, len)))

/*
 * Which event uses which class.  X(class, name, args...) where args are the
 * class's argument list: the event's name is the public libc name.
 */
#define SS_TP_INSTANCE(cls, name, ...)                                  \
	LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(sockscope, cls, sockscope, name, \
					    LTTNG_UST_TP_ARGS(__VA_ARGS__))
#define SS_A_BASE const struct ss_tp_base *, b
#define SS_A_ADDR SS_A_BASE, const struct ss_tp_addr *, a
#define SS_A_IO SS_A_BASE, uint64_t, size, int, flags
#define SS_A_IOADDR SS_A_IO, const struct ss_tp_addr *, a, int, rights
#define SS_A_MMSG SS_A_BASE, unsigned int, vlen, int, flags, uint64_t, bytes, \
	const struct ss_tp_addr *, a
#define SS_A_DNS SS_A_BASE, const char *, query, const char *, result, uint64_t, dur_ns

SS_TP_INSTANCE(create, socket, SS_A_BASE, int, family, const char *, type, int, protocol)
SS_TP_INSTANCE(pair, socketpair, SS_A_BASE, int, family, const char *, type,
	       int, protocol, int, fd2, uint64_t, sock2)
SS_TP_INSTANCE(connect, bind, SS_A_ADDR, const char *, local)
SS_TP_INSTANCE(connect, connect, SS_A_ADDR, const char *, local)
SS_TP_INSTANCE(addr, getsockname, SS_A_ADDR)
SS_TP_INSTANCE(addr, getpeername, SS_A_ADDR)
SS_TP_INSTANCE(accept, accept, SS_A_ADDR, uint64_t, newsock, int, flags, const char *, local)
SS_TP_INSTANCE(accept, accept4, SS_A_ADDR, uint64_t, newsock, int, flags, const char *, local)
SS_TP_INSTANCE(listen, listen, SS_A_BASE, int, backlog, const char *, local)
SS_TP_INSTANCE(shutdown, shutdown, SS_A_BASE, int, how)
SS_TP_INSTANCE(io, send, SS_A_IO)
SS_TP_INSTANCE(io, recv, SS_A_IO)
SS_TP_INSTANCE(io, read, SS_A_IO)
SS_TP_INSTANCE(io, write, SS_A_IO)
SS_TP_INSTANCE(io, readv, SS_A_IO)
SS_TP_INSTANCE(io, writev, SS_A_IO)
SS_TP_INSTANCE(io, sendfile, SS_A_IO)
SS_TP_INSTANCE(io_addr, sendto, SS_A_IOADDR)
SS_TP_INSTANCE(io_addr, recvfrom, SS_A_IOADDR)
SS_TP_INSTANCE(io_addr, sendmsg, SS_A_IOADDR)
SS_TP_INSTANCE(io_addr, recvmsg, SS_A_IOADDR)
SS_TP_INSTANCE(mmsg, sendmmsg, SS_A_MMSG)
SS_TP_INSTANCE(mmsg, recvmmsg, SS_A_MMSG)
SS_TP_INSTANCE(sockopt, getsockopt, SS_A_BASE, int, level, int, optname, int, optval,
	       int, optlen)
SS_TP_INSTANCE(sockopt, setsockopt, SS_A_BASE, int, level, int, optname, int, optval,
	       int, optlen)
SS_TP_INSTANCE(base, close, SS_A_BASE)
SS_TP_INSTANCE(base, closefrom, SS_A_BASE)
SS_TP_INSTANCE(base, fork, SS_A_BASE)
SS_TP_INSTANCE(base, posix_spawn, SS_A_BASE)
SS_TP_INSTANCE(base, posix_spawnp, SS_A_BASE)
SS_TP_INSTANCE(proc, exec, SS_A_BASE, const char *, comm)
SS_TP_INSTANCE(proc, comm, SS_A_BASE, const char *, comm)
SS_TP_INSTANCE(range, close_range, SS_A_BASE, unsigned int, last, int, flags)
SS_TP_INSTANCE(ctl, fcntl, SS_A_BASE, unsigned long, cmd, int, nonblock, int, newfd, int, cloexec)
SS_TP_INSTANCE(ctl, ioctl, SS_A_BASE, unsigned long, cmd, int, nonblock, int, newfd, int, cloexec)
SS_TP_INSTANCE(dup, dup, SS_A_BASE, int, newfd, int, flags)
SS_TP_INSTANCE(dup, dup2, SS_A_BASE, int, newfd, int, flags)
SS_TP_INSTANCE(dup, dup3, SS_A_BASE, int, newfd, int, flags)
SS_TP_INSTANCE(dns, gethostbyname, SS_A_DNS)
SS_TP_INSTANCE(dns, gethostbyname2, SS_A_DNS)
SS_TP_INSTANCE(dns, gethostbyname_r, SS_A_DNS)
SS_TP_INSTANCE(dns, gethostbyname2_r, SS_A_DNS)
SS_TP_INSTANCE(dns, gethostbyaddr, SS_A_DNS)
SS_TP_INSTANCE(dns, gethostbyaddr_r, SS_A_DNS)
SS_TP_INSTANCE(dns, gethostname, SS_A_DNS)
SS_TP_INSTANCE(dns, getservbyname, SS_A_DNS)
SS_TP_INSTANCE(dns, getservbyname_r, SS_A_DNS)
SS_TP_INSTANCE(dns, getservbyport, SS_A_DNS)
SS_TP_INSTANCE(dns, getservbyport_r, SS_A_DNS)
SS_TP_INSTANCE(dns, getaddrinfo, SS_A_DNS)
SS_TP_INSTANCE(dns, getnameinfo, SS_A_DNS)
SS_TP_INSTANCE(ready, poll, SS_A_BASE, unsigned int, revents)
SS_TP_INSTANCE(ready, ppoll, SS_A_BASE, unsigned int, revents)
SS_TP_INSTANCE(ready, select, SS_A_BASE, unsigned int, revents)
SS_TP_INSTANCE(ready, pselect, SS_A_BASE, unsigned int, revents)
SS_TP_INSTANCE(ready, epoll_wait, SS_A_BASE, unsigned int, revents)
SS_TP_INSTANCE(ready, epoll_pwait, SS_A_BASE, unsigned int, revents)
SS_TP_INSTANCE(ready, epoll_pwait2, SS_A_BASE, unsigned int, revents)
SS_TP_INSTANCE(describe, describe, SS_A_BASE, int, family, const char *, type,
	       const struct ss_tp_addr *, local, const char *, peer, int, cloexec,
	       int, listening)
SS_TP_INSTANCE(stop, stop, SS_A_BASE, const char *, why, int64_t, detail)
SS_TP_INSTANCE(peercred, peercred, SS_A_BASE, int, peer_pid)
SS_TP_INSTANCE(payload, payload, SS_A_BASE, uint32_t, offset, const uint8_t *, data,
	       uint16_t, len)

#endif /* SOCKSCOPE_TP_H */

#include <lttng/tracepoint-event.h>
