// SPDX-License-Identifier: MIT
/*
 * Wrappers of the calls that put a process in a seccomp sandbox: prctl
 * (PR_SET_SECCOMP) and the seccomp system call, which glibc does not wrap
 * (libseccomp reaches it through syscall(), whose wrapper calls
 * ss_seccomp).  A filter may forbid any system call the tracer makes, and
 * a filter cannot be undone: tracing of the process stops before it is
 * installed (stop.c), and the call then goes to the kernel unchanged.
 */
#include "preload.h"

#include <stdarg.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Stop before entering seccomp mode (1 strict, 2 filter).  A vfork child
 * shares our memory: stopping there would stop the parent; the program it
 * execs starts filtered and finds so itself (trace.c). */
static void entering_seccomp(long mode)
{
	if (!ss_bypass())
		ss_stop_tracing("seccomp", mode);
}

int ss_prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4,
	     unsigned long a5)
{
	/* A mode the kernel refuses installs nothing: tracing goes on. */
	if (option == PR_SET_SECCOMP && (a2 == SECCOMP_MODE_STRICT || a2 == SECCOMP_MODE_FILTER))
		entering_seccomp((long)a2);
	int r = REAL(prctl)(option, a2, a3, a4, a5);
	if (option == PR_SET_NAME && r == 0)
		ss_named();
	return r;
}

int ss_seccomp(unsigned int op, unsigned int flags, void *args)
{
	if (op == SECCOMP_SET_MODE_STRICT)
		entering_seccomp(SECCOMP_MODE_STRICT);
	else if (op == SECCOMP_SET_MODE_FILTER)
		entering_seccomp(SECCOMP_MODE_FILTER);
	return (int)REAL(syscall)(SYS_seccomp, op, flags, args);
}

SS_EXPORT int prctl(int option, ...)
{
	va_list ap;

	va_start(ap, option);
	unsigned long a2 = va_arg(ap, unsigned long), a3 = va_arg(ap, unsigned long);
	unsigned long a4 = va_arg(ap, unsigned long), a5 = va_arg(ap, unsigned long);
	va_end(ap);
	return ss_prctl(option, a2, a3, a4, a5);
}
