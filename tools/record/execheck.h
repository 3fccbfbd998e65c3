/* SPDX-License-Identifier: MIT */
/*
 * Whether a command can be traced through LD_PRELOAD, decided before it
 * runs so that the user hears why instead of getting an empty trace.
 *
 * The rule: the program (after following #! interpreters, up to four
 * deep) must be a dynamically linked ELF file (it has PT_INTERP) of the
 * preload's class and machine, that runs without a change of credentials
 * (no set-user/group-ID bit that changes them, no file capabilities; the
 * loader ignores LD_PRELOAD then); and something must be able to reach
 * libc's socket functions: the program imports a socket or name-service
 * function, or syscall() (whose socket numbers the preload routes to its
 * wrappers), or dlopen (an interpreter's modules), or a function that
 * starts other programs (fork, exec*, posix_spawn, system: a shell's
 * children may use sockets), or needs a library beyond the C runtime
 * (which may use sockets itself), or one of the standard descriptors it
 * inherits is a socket.
 *
 * What the rule cannot promise is said as a warning: a Go program (its
 * runtime makes its own system calls, not through libc; a dynamically
 * linked one is traced for what goes through libc), and the reason for a
 * refusal says that a program's own system call instructions cannot be
 * seen.
 */
#ifndef SS_EXECHECK_H
#define SS_EXECHECK_H

#include <stddef.h>

/*
 * Find cmd the way execvp would (PATH when it has no slash) into path.
 * Returns 0, or -1 with errno set: ENOENT (not found: a shell's 127),
 * EACCES or EISDIR (found, cannot be run: 126), ...
 */
int ss_resolve_cmd(const char *cmd, char *path, size_t size);

/*
 * Apply the rule to the program at path.  Returns 1 when it can be
 * traced (why then holds a warning, or is empty), 0 when not, with the
 * reason in why; -1 when it cannot be read (then exec will say what is
 * wrong, and we let it).
 */
int ss_exe_traceable(const char *path, char *why, size_t size);

#endif
