/* SPDX-License-Identifier: MIT */
/*
 * The name tables of sockscope: errno, address families, socket types,
 * socket option levels and names, MSG_* flags, link-layer protocols and
 * shutdown modes.  Each
 * kind of name is one X-macro list; the preload, the tracepoint provider's
 * enums, the companion library and the tools all expand these same lists,
 * so a name is spelt in exactly one place.
 */
#ifndef SS_NAMES_H
#define SS_NAMES_H

#include <errno.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <netdb.h>
#include <linux/if_ether.h>

/* errno values, aliases (EWOULDBLOCK, EDEADLOCK, ENOTSUP) left out. */
#define SS_ERRNO_MAP(X) \
	X(EPERM) X(ENOENT) X(ESRCH) X(EINTR) X(EIO) X(ENXIO) X(E2BIG) \
	X(ENOEXEC) X(EBADF) X(ECHILD) X(EAGAIN) X(ENOMEM) X(EACCES) X(EFAULT) \
	X(ENOTBLK) X(EBUSY) X(EEXIST) X(EXDEV) X(ENODEV) X(ENOTDIR) X(EISDIR) \
	X(EINVAL) X(ENFILE) X(EMFILE) X(ENOTTY) X(ETXTBSY) X(EFBIG) X(ENOSPC) \
	X(ESPIPE) X(EROFS) X(EMLINK) X(EPIPE) X(EDOM) X(ERANGE) X(EDEADLK) \
	X(ENAMETOOLONG) X(ENOLCK) X(ENOSYS) X(ENOTEMPTY) X(ELOOP) X(ENOMSG) \
	X(EIDRM) X(ECHRNG) X(EL2NSYNC) X(EL3HLT) X(EL3RST) X(ELNRNG) X(EUNATCH) \
	X(ENOCSI) X(EL2HLT) X(EBADE) X(EBADR) X(EXFULL) X(ENOANO) X(EBADRQC) \
	X(EBADSLT) X(EBFONT) X(ENOSTR) X(ENODATA) X(ETIME) X(ENOSR) X(ENONET) \
	X(ENOPKG) X(EREMOTE) X(ENOLINK) X(EADV) X(ESRMNT) X(ECOMM) X(EPROTO) \
	X(EMULTIHOP) X(EDOTDOT) X(EBADMSG) X(EOVERFLOW) X(ENOTUNIQ) X(EBADFD) \
	X(EREMCHG) X(ELIBACC) X(ELIBBAD) X(ELIBSCN) X(ELIBMAX) X(ELIBEXEC) \
	X(EILSEQ) X(ERESTART) X(ESTRPIPE) X(EUSERS) X(ENOTSOCK) X(EDESTADDRREQ) \
	X(EMSGSIZE) X(EPROTOTYPE) X(ENOPROTOOPT) X(EPROTONOSUPPORT) \
	X(ESOCKTNOSUPPORT) X(EOPNOTSUPP) X(EPFNOSUPPORT) X(EAFNOSUPPORT) \
	X(EADDRINUSE) X(EADDRNOTAVAIL) X(ENETDOWN) X(ENETUNREACH) X(ENETRESET) \
	X(ECONNABORTED) X(ECONNRESET) X(ENOBUFS) X(EISCONN) X(ENOTCONN) \
	X(ESHUTDOWN) X(ETOOMANYREFS) X(ETIMEDOUT) X(ECONNREFUSED) X(EHOSTDOWN) \
	X(EHOSTUNREACH) X(EALREADY) X(EINPROGRESS) X(ESTALE) X(EUCLEAN) \
	X(ENOTNAM) X(ENAVAIL) X(EISNAM) X(EREMOTEIO) X(EDQUOT) X(ENOMEDIUM) \
	X(EMEDIUMTYPE) X(ECANCELED) X(ENOKEY) X(EKEYEXPIRED) X(EKEYREVOKED) \
	X(EKEYREJECTED) X(EOWNERDEAD) X(ENOTRECOVERABLE) X(ERFKILL) X(EHWPOISON)

/* Address families (PF_* aliases are the same numbers). */
#define SS_AF_MAP(X) \
	X(AF_UNSPEC) X(AF_UNIX) X(AF_INET) X(AF_AX25) X(AF_IPX) X(AF_APPLETALK) \
	X(AF_NETROM) X(AF_BRIDGE) X(AF_ATMPVC) X(AF_X25) X(AF_INET6) X(AF_ROSE) \
	X(AF_DECnet) X(AF_NETBEUI) X(AF_SECURITY) X(AF_KEY) X(AF_NETLINK) \
	X(AF_PACKET) X(AF_ASH) X(AF_ECONET) X(AF_ATMSVC) X(AF_RDS) X(AF_SNA) \
	X(AF_IRDA) X(AF_PPPOX) X(AF_WANPIPE) X(AF_LLC) X(AF_IB) X(AF_MPLS) \
	X(AF_CAN) X(AF_TIPC) X(AF_BLUETOOTH) X(AF_IUCV) X(AF_RXRPC) X(AF_ISDN) \
	X(AF_PHONET) X(AF_IEEE802154) X(AF_CAIF) X(AF_ALG) X(AF_NFC) \
	X(AF_VSOCK) X(AF_KCM) X(AF_QIPCRTR) X(AF_SMC) X(AF_XDP)

/* Socket types, the low bits of socket()'s type argument. */
#define SS_SOCKTYPE_MAP(X) \
	X(SOCK_STREAM) X(SOCK_DGRAM) X(SOCK_RAW) X(SOCK_RDM) \
	X(SOCK_SEQPACKET) X(SOCK_DCCP) X(SOCK_PACKET)

/* Flags or-ed into socket()'s type argument. */
#define SS_SOCKFLAG_MAP(X) X(SOCK_NONBLOCK) X(SOCK_CLOEXEC)

/* MSG_* flags of the send and receive families. */
#define SS_MSG_MAP(X) \
	X(MSG_OOB) X(MSG_PEEK) X(MSG_DONTROUTE) X(MSG_CTRUNC) X(MSG_PROXY) \
	X(MSG_TRUNC) X(MSG_DONTWAIT) X(MSG_EOR) X(MSG_WAITALL) X(MSG_FIN) \
	X(MSG_SYN) X(MSG_CONFIRM) X(MSG_RST) X(MSG_ERRQUEUE) X(MSG_NOSIGNAL) \
	X(MSG_MORE) X(MSG_WAITFORONE) X(MSG_BATCH) X(MSG_ZEROCOPY) \
	X(MSG_FASTOPEN) X(MSG_CMSG_CLOEXEC)

/* getaddrinfo()/getnameinfo() results. */
#define SS_EAI_MAP(X) \
	X(EAI_BADFLAGS) X(EAI_NONAME) X(EAI_AGAIN) X(EAI_FAIL) X(EAI_FAMILY) \
	X(EAI_SOCKTYPE) X(EAI_SERVICE) X(EAI_MEMORY) X(EAI_SYSTEM) \
	X(EAI_OVERFLOW) X(EAI_NODATA) X(EAI_ADDRFAMILY) X(EAI_INPROGRESS) \
	X(EAI_CANCELED) X(EAI_NOTCANCELED) X(EAI_ALLDONE) X(EAI_INTR) \
	X(EAI_IDN_ENCODE)

/* h_errno values of the gethostby* family. */
#define SS_HERRNO_MAP(X) \
	X(NETDB_INTERNAL) X(HOST_NOT_FOUND) X(TRY_AGAIN) X(NO_RECOVERY) X(NO_DATA)

/* Link-layer protocols of packet sockets (sockaddr_ll's sll_protocol,
 * in host order once read). */
#define SS_ETHPROTO_MAP(X) \
	X(ETH_P_ALL) X(ETH_P_LOOP) X(ETH_P_IP) X(ETH_P_ARP) X(ETH_P_RARP) \
	X(ETH_P_8021Q) X(ETH_P_8021AD) X(ETH_P_IPV6) X(ETH_P_MPLS_UC) X(ETH_P_PPP_DISC) \
	X(ETH_P_PPP_SES) X(ETH_P_PAE) X(ETH_P_LLDP) X(ETH_P_802_2) X(ETH_P_802_3)

/* shutdown() modes. */
#define SS_SHUT_MAP(X) X(SHUT_RD) X(SHUT_WR) X(SHUT_RDWR)

/*
 * Socket option levels, each with the list of its option names.  A level
 * is X(level, list-macro); its options are listed by the list macro.
 */
#define SS_LEVEL_MAP(X) \
	X(SOL_SOCKET, SS_SO_MAP) X(IPPROTO_IP, SS_IP_MAP) \
	X(IPPROTO_IPV6, SS_IPV6_MAP) X(IPPROTO_TCP, SS_TCP_MAP) \
	X(IPPROTO_UDP, SS_UDP_MAP)

#define SS_SO_MAP(X) \
	X(SO_DEBUG) X(SO_REUSEADDR) X(SO_TYPE) X(SO_ERROR) X(SO_DONTROUTE) \
	X(SO_BROADCAST) X(SO_SNDBUF) X(SO_RCVBUF) X(SO_KEEPALIVE) \
	X(SO_OOBINLINE) X(SO_NO_CHECK) X(SO_PRIORITY) X(SO_LINGER) \
	X(SO_BSDCOMPAT) X(SO_REUSEPORT) X(SO_PASSCRED) X(SO_PEERCRED) \
	X(SO_RCVLOWAT) X(SO_SNDLOWAT) X(SO_RCVTIMEO_OLD) X(SO_SNDTIMEO_OLD) \
	X(SO_BINDTODEVICE) X(SO_ATTACH_FILTER) X(SO_DETACH_FILTER) \
	X(SO_PEERNAME) X(SO_TIMESTAMP_OLD) X(SO_ACCEPTCONN) X(SO_PEERSEC) \
	X(SO_SNDBUFFORCE) X(SO_RCVBUFFORCE) X(SO_PASSSEC) X(SO_MARK) \
	X(SO_PROTOCOL) X(SO_DOMAIN) X(SO_RXQ_OVFL) X(SO_BUSY_POLL) \
	X(SO_INCOMING_CPU) X(SO_ZEROCOPY) X(SO_TXTIME) X(SO_BINDTOIFINDEX)

#define SS_IP_MAP(X) \
	X(IP_TOS) X(IP_TTL) X(IP_HDRINCL) X(IP_OPTIONS) X(IP_RECVOPTS) \
	X(IP_RETOPTS) X(IP_PKTINFO) X(IP_MTU_DISCOVER) X(IP_RECVERR) \
	X(IP_RECVTTL) X(IP_RECVTOS) X(IP_MTU) X(IP_FREEBIND) X(IP_TRANSPARENT) \
	X(IP_BIND_ADDRESS_NO_PORT) X(IP_MULTICAST_IF) X(IP_MULTICAST_TTL) \
	X(IP_MULTICAST_LOOP) X(IP_ADD_MEMBERSHIP) X(IP_DROP_MEMBERSHIP)

#define SS_IPV6_MAP(X) \
	X(IPV6_ADDRFORM) X(IPV6_2292PKTINFO) X(IPV6_UNICAST_HOPS) \
	X(IPV6_MULTICAST_IF) X(IPV6_MULTICAST_HOPS) X(IPV6_MULTICAST_LOOP) \
	X(IPV6_JOIN_GROUP) X(IPV6_LEAVE_GROUP) X(IPV6_MTU_DISCOVER) \
	X(IPV6_MTU) X(IPV6_RECVERR) X(IPV6_V6ONLY) X(IPV6_RECVPKTINFO) \
	X(IPV6_PKTINFO) X(IPV6_TCLASS) X(IPV6_FREEBIND)

#define SS_TCP_MAP(X) \
	X(TCP_NODELAY) X(TCP_MAXSEG) X(TCP_CORK) X(TCP_KEEPIDLE) \
	X(TCP_KEEPINTVL) X(TCP_KEEPCNT) X(TCP_SYNCNT) X(TCP_LINGER2) \
	X(TCP_DEFER_ACCEPT) X(TCP_WINDOW_CLAMP) X(TCP_INFO) X(TCP_QUICKACK) \
	X(TCP_CONGESTION) X(TCP_MD5SIG) X(TCP_USER_TIMEOUT) X(TCP_FASTOPEN) \
	X(TCP_NOTSENT_LOWAT) X(TCP_FASTOPEN_CONNECT) X(TCP_ULP)

#define SS_UDP_MAP(X) X(UDP_CORK) X(UDP_ENCAP) X(UDP_SEGMENT) X(UDP_GRO)

/* Name of an errno value ("ECONNREFUSED"), "OK" for 0, NULL if unknown. */
const char *ss_errno_name(int err);
/* Name of an address family ("AF_INET"), NULL if unknown. */
const char *ss_af_name(int family);
/* Name of a socket option level ("SOL_SOCKET"), NULL if unknown. */
const char *ss_level_name(int level);
/* Name of an option of a level ("SO_REUSEADDR"), NULL if unknown. */
const char *ss_optname(int level, int optname);
/* Name of a getaddrinfo() error ("EAI_NONAME"), NULL if unknown. */
const char *ss_eai_name(int eai);
/* Name of an h_errno value ("HOST_NOT_FOUND"), NULL if unknown. */
const char *ss_herrno_name(int herr);
/* Name of a link-layer protocol ("ETH_P_IP"), NULL if unknown. */
const char *ss_ethproto_name(int proto);
/* Name of a shutdown mode ("SHUT_WR"), NULL if unknown. */
const char *ss_shut_name(int how);

/*
 * Render a socket type with its flags ("SOCK_STREAM|SOCK_CLOEXEC") or MSG_*
 * flags ("MSG_PEEK|MSG_DONTWAIT", "0" for none) into buf.  Unknown bits are
 * appended in hex.  The result is always NUL-terminated and truncated to
 * size; the functions are async-signal-safe.  They return buf.
 */
char *ss_socktype_text(int type, char *buf, size_t size);
char *ss_msg_flags_text(int flags, char *buf, size_t size);

#endif
