// SPDX-License-Identifier: MIT
/*
 * Calls made before the preload's constructor (in libss-early's), then the
 * same sockets used from main: prints what each call returned so a run under
 * the preload can be compared with a bare one, and a recording can be
 * checked for the first sight (describe) of the sockets made early.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

extern int early_sv[2];
extern int early_connect_ret, early_connect_errno;
extern long early_sent;
extern int early_resolved;

int main(void)
{
	char buf[16] = { 0 };

	printf("early socketpair %d %d sent %ld connect %d errno %s resolved %d\n",
	       early_sv[0] >= 0, early_sv[1] >= 0, early_sent, early_connect_ret,
	       strerror(early_connect_errno), early_resolved);
	ssize_t n = recv(early_sv[1], buf, sizeof(buf) - 1, 0);
	printf("main recv %zd '%s'\n", n, buf);
	n = send(early_sv[1], "late!", 5, 0);
	printf("main send %zd\n", n);
	close(early_sv[0]);
	close(early_sv[1]);
	return 0;
}
