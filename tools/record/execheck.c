// SPDX-License-Identifier: MIT
/*
 * ELF inspection for `sockscope record`: the rule is in execheck.h.  The
 * file is read with pread into bounded buffers, every offset checked
 * against the file size, so a truncated or hostile binary yields "cannot
 * tell" rather than a crash.
 */
#include "record/execheck.h"
#include "tool.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

/*
 * Functions through which a program comes to have a socket or asks the
 * name service: importing one of them means the preload has something to
 * see.  (Reading and writing an inherited socket needs none of them; the
 * standard-descriptor test covers the usual case of that.)
 */
static const char *const socket_entry[] = {
	"socket", "socketpair", "accept", "accept4", "connect", "bind",
	"getaddrinfo", "getnameinfo", "gethostbyname", "gethostbyname2",
	"gethostbyname_r", "gethostbyname2_r", "gethostbyaddr", "gethostbyaddr_r",
	"getservbyname", "getservbyname_r", "getservbyport", "getservbyport_r", "gethostname",
	"dlopen", /* interpreters load their socket modules this way */
	"syscall", /* libc's syscall(): the preload routes its socket numbers */
	/* Programs that start others (shells, env, make): the others may. */
	"fork", "vfork", "execve", "execv", "execvp", "execvpe", "execl", "execlp", "execle",
	"posix_spawn", "posix_spawnp", "system", "popen",
};

/* The C runtime: needing only these brings no socket user in. */
static int runtime_lib(const char *name)
{
	static const char *const rt[] = { "libc.so", "libm.so", "libpthread.so", "libdl.so",
					  "librt.so", "ld-linux", "libgcc_s.so", "libutil.so" };

	for (size_t i = 0; i < sizeof(rt) / sizeof(rt[0]); i++)
		if (!strncmp(name, rt[i], strlen(rt[i])))
			return 1;
	return 0;
}

int ss_resolve_cmd(const char *cmd, char *path, size_t size)
{
	if (!*cmd) {
		errno = ENOENT;
		return -1;
	}
	if (strchr(cmd, '/')) {
		if (strlen(cmd) >= size) {
			errno = ENAMETOOLONG;
			return -1;
		}
		strcpy(path, cmd);
		struct stat st;
		if (stat(path, &st) < 0)
			return -1;
		if (S_ISDIR(st.st_mode)) {
			errno = EISDIR;
			return -1;
		}
		return access(path, X_OK);
	}
	const char *p = secure_getenv("PATH");
	if (!p)
		p = "/usr/local/bin:/usr/bin:/bin";
	int err = ENOENT;
	while (*p) {
		const char *colon = strchrnul(p, ':');
		size_t n = (size_t)(colon - p);
		struct stat st;
		if (n + 1 + strlen(cmd) + 1 <= size) {
			if (n)
				snprintf(path, size, "%.*s/%s", (int)n, p, cmd);
			else
				snprintf(path, size, "%s", cmd);
			if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
				if (access(path, X_OK) == 0)
					return 0;
				err = EACCES;
			}
		}
		p = *colon ? colon + 1 : colon;
	}
	errno = err;
	return -1;
}

/* The ELF file being inspected, with both classes read into one shape. */
struct elf {
	int fd;
	off_t size;
	int is64;
	Elf64_Ehdr eh;
};

static int rd(const struct elf *e, void *buf, size_t len, uint64_t off)
{
	if (off > (uint64_t)e->size || len > (uint64_t)e->size - off)
		return -1;
	return pread(e->fd, buf, len, (off_t)off) == (ssize_t)len ? 0 : -1;
}

/* Section header i, widened to the 64-bit layout. */
static int shdr(const struct elf *e, unsigned i, Elf64_Shdr *sh)
{
	uint64_t off = e->eh.e_shoff + (uint64_t)i * e->eh.e_shentsize;

	if (e->is64)
		return rd(e, sh, sizeof(*sh), off);
	Elf32_Shdr s;
	if (rd(e, &s, sizeof(s), off) < 0)
		return -1;
	*sh = (Elf64_Shdr){ s.sh_name, s.sh_type, s.sh_flags, s.sh_addr, s.sh_offset, s.sh_size,
			    s.sh_link, s.sh_info, s.sh_addralign, s.sh_entsize };
	return 0;
}

static int phdr(const struct elf *e, unsigned i, Elf64_Phdr *ph)
{
	uint64_t off = e->eh.e_phoff + (uint64_t)i * e->eh.e_phentsize;

	if (e->is64)
		return rd(e, ph, sizeof(*ph), off);
	Elf32_Phdr p;
	if (rd(e, &p, sizeof(p), off) < 0)
		return -1;
	*ph = (Elf64_Phdr){ p.p_type, p.p_flags, p.p_offset, p.p_vaddr, p.p_paddr, p.p_filesz,
			    p.p_memsz, p.p_align };
	return 0;
}

/* A string table, read whole (bounded) so names can be looked up. */
static char *strtab(const struct elf *e, unsigned idx, uint64_t *len)
{
	Elf64_Shdr sh;

	if (idx >= e->eh.e_shnum || shdr(e, idx, &sh) < 0 || sh.sh_size > (64u << 20))
		return NULL;
	char *s = ss_xmalloc(sh.sh_size + 1);
	if (rd(e, s, sh.sh_size, sh.sh_offset) < 0) {
		free(s);
		return NULL;
	}
	s[sh.sh_size] = 0;
	*len = sh.sh_size;
	return s;
}

static int imports_socket_entry(const char *name)
{
	for (size_t i = 0; i < sizeof(socket_entry) / sizeof(socket_entry[0]); i++)
		if (!strcmp(name, socket_entry[i]))
			return 1;
	return 0;
}

/* What the dynamic symbols and needed libraries say. */
struct imports {
	int sockets;     /* a socket entry point, or a library that may have one */
	int seen_dynsym; /* there was a dynamic symbol table to read */
};

/*
 * Look through the dynamic symbols and the needed libraries into *im.
 * Returns 0, or -1 if unreadable.
 */
static int read_imports(const struct elf *e, struct imports *im)
{
	int found = 0;

	for (unsigned i = 0; i < e->eh.e_shnum && !found; i++) {
		Elf64_Shdr sh;
		if (shdr(e, i, &sh) < 0)
			return -1;
		if (sh.sh_type != SHT_DYNSYM && sh.sh_type != SHT_DYNAMIC)
			continue;
		uint64_t slen;
		char *str = strtab(e, sh.sh_link, &slen);
		if (!str)
			return -1;
		size_t ent = sh.sh_type == SHT_DYNSYM ? (e->is64 ? sizeof(Elf64_Sym) : sizeof(Elf32_Sym))
						      : (e->is64 ? sizeof(Elf64_Dyn) : sizeof(Elf32_Dyn));
		uint64_t n = sh.sh_size / ent;
		im->seen_dynsym |= sh.sh_type == SHT_DYNSYM;
		for (uint64_t k = 0; k < n && !found; k++) {
			uint64_t off = sh.sh_offset + k * ent, name;
			if (sh.sh_type == SHT_DYNSYM) {
				Elf64_Sym s64;
				Elf32_Sym s32;
				if (e->is64 ? rd(e, &s64, sizeof(s64), off) : rd(e, &s32, sizeof(s32), off))
					break;
				if ((e->is64 ? s64.st_shndx : s32.st_shndx) != SHN_UNDEF)
					continue;
				name = e->is64 ? s64.st_name : s32.st_name;
				found = name < slen && imports_socket_entry(str + name);
			} else {
				Elf64_Dyn d64;
				Elf32_Dyn d32;
				if (e->is64 ? rd(e, &d64, sizeof(d64), off) : rd(e, &d32, sizeof(d32), off))
					break;
				int64_t tag = e->is64 ? d64.d_tag : d32.d_tag;
				name = e->is64 ? d64.d_un.d_val : d32.d_un.d_val;
				if (tag == DT_NULL)
					break;
				found = tag == DT_NEEDED && name < slen && !runtime_lib(str + name);
			}
		}
		free(str);
	}
	im->sockets |= found;
	return 0;
}

/*
 * Whether the file has a section of Go's linker: .go.buildinfo (Go 1.13
 * on) or .note.go.buildid.  Go's runtime makes its system calls itself,
 * not through libc.
 */
static int is_go(const struct elf *e)
{
	Elf64_Shdr sh;
	uint64_t slen;
	int go = 0;

	if (e->eh.e_shstrndx == SHN_UNDEF || e->eh.e_shstrndx >= e->eh.e_shnum)
		return 0;
	char *names = strtab(e, e->eh.e_shstrndx, &slen);
	if (!names)
		return 0;
	for (unsigned i = 0; i < e->eh.e_shnum && !go; i++)
		if (shdr(e, i, &sh) == 0 && sh.sh_name < slen)
			go = !strcmp(names + sh.sh_name, ".go.buildinfo") ||
			     !strcmp(names + sh.sh_name, ".note.go.buildid");
	free(names);
	return go;
}

static int std_fd_is_socket(void)
{
	struct stat st;

	for (int fd = 0; fd < 3; fd++)
		if (fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode))
			return 1;
	return 0;
}

/* The #! interpreter of a script into interp, following `env NAME`. */
static int script_interp(int fd, char *interp, size_t size)
{
	char line[256];
	ssize_t n = pread(fd, line, sizeof(line) - 1, 0);

	if (n < 3 || line[0] != '#' || line[1] != '!')
		return -1;
	line[n] = 0;
	line[strcspn(line, "\n")] = 0;
	char *save, *prog = strtok_r(line + 2, " \t", &save);
	if (!prog)
		return -1;
	const char *base = strrchr(prog, '/');
	if (base && !strcmp(base + 1, "env")) {
		char *arg;
		while ((arg = strtok_r(NULL, " \t", &save)) && arg[0] == '-')
			;
		if (!arg || strchr(arg, '='))
			return -1;
		return ss_resolve_cmd(arg, interp, size);
	}
	if (strlen(prog) >= size)
		return -1;
	strcpy(interp, prog);
	return 0;
}

static int check(const char *path, char *why, size_t size, int depth)
{
	struct stat st;
	struct elf e = { .fd = open(path, O_RDONLY | O_CLOEXEC) };
	int ret = -1;

	if (e.fd < 0 || fstat(e.fd, &st) < 0)
		goto out;
	e.size = st.st_size;
	if (((st.st_mode & S_ISUID) && st.st_uid != geteuid()) ||
	    ((st.st_mode & S_ISGID) && st.st_gid != getegid())) {
		snprintf(why, size, "%s is set-user-ID or set-group-ID: the dynamic loader "
			 "ignores LD_PRELOAD for it", path);
		ret = 0;
		goto out;
	}
	if (fgetxattr(e.fd, "security.capability", NULL, 0) > 0) {
		snprintf(why, size, "%s has file capabilities: the dynamic loader ignores "
			 "LD_PRELOAD for it", path);
		ret = 0;
		goto out;
	}
	unsigned char ident[EI_NIDENT];
	if (rd(&e, ident, sizeof(ident), 0) < 0)
		goto out;
	if (memcmp(ident, ELFMAG, SELFMAG) != 0) {
		char interp[PATH_MAX];
		if (depth < 4 && script_interp(e.fd, interp, sizeof(interp)) == 0)
			ret = check(interp, why, size, depth + 1);
		goto out;
	}
	e.is64 = ident[EI_CLASS] == ELFCLASS64;
	if (e.is64 != (sizeof(void *) == 8)) {
		snprintf(why, size, "%s is a %d-bit program; the preload is %d-bit", path,
			 e.is64 ? 64 : 32, (int)sizeof(void *) * 8);
		ret = 0;
		goto out;
	}
	if (e.is64) {
		if (rd(&e, &e.eh, sizeof(e.eh), 0) < 0)
			goto out;
	} else {
		Elf32_Ehdr h;
		if (rd(&e, &h, sizeof(h), 0) < 0)
			goto out;
		memcpy(e.eh.e_ident, h.e_ident, EI_NIDENT);
		e.eh.e_type = h.e_type;
		e.eh.e_machine = h.e_machine;
		e.eh.e_phoff = h.e_phoff;
		e.eh.e_shoff = h.e_shoff;
		e.eh.e_phentsize = h.e_phentsize;
		e.eh.e_phnum = h.e_phnum;
		e.eh.e_shentsize = h.e_shentsize;
		e.eh.e_shnum = h.e_shnum;
		e.eh.e_shstrndx = h.e_shstrndx;
	}
	int interp = 0;
	for (unsigned i = 0; i < e.eh.e_phnum; i++) {
		Elf64_Phdr ph;
		if (phdr(&e, i, &ph) < 0)
			goto out;
		interp |= ph.p_type == PT_INTERP;
	}
	int go = is_go(&e);
	if (!interp) {
		snprintf(why, size, "%s is statically linked%s: no dynamic loader, so no "
			 "LD_PRELOAD to see its socket calls", path, go ? " (a Go program)" : "");
		ret = 0;
		goto out;
	}
	struct imports im = { 0 };
	if (read_imports(&e, &im) < 0)
		goto out;
	/* Without a symbol table to read we cannot tell: let it run. */
	ret = im.sockets || !im.seen_dynsym || std_fd_is_socket();
	if (ret && go)
		snprintf(why, size, "%s is a Go program: Go's runtime makes its socket calls "
			 "with raw system calls, which LD_PRELOAD cannot see; only those made "
			 "through libc (cgo: name lookups, C libraries) will be recorded", path);
	else if (!ret)
		snprintf(why, size, "%s imports no socket or name-service function from libc, "
			 "nor syscall(), starts no program, loads no module, and needs no "
			 "library that could: nothing to trace (a socket call made with its own "
			 "system call instruction is one LD_PRELOAD cannot see)", path);
out:
	if (e.fd >= 0)
		close(e.fd);
	return ret;
}

int ss_exe_traceable(const char *path, char *why, size_t size)
{
	why[0] = 0;
	return check(path, why, size, 0);
}
