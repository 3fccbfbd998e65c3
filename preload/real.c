// SPDX-License-Identifier: MIT
/*
 * The real libc functions behind the wrappers, found the way RTLD_NEXT
 * finds them, so that another interposer loaded after us (liblttng-ust-fork,
 * a user's own LD_PRELOAD) keeps working.  All are resolved in the
 * constructor with dlsym(RTLD_NEXT).
 *
 * A call that arrives earlier resolves its own function on the spot, and
 * then dlsym() is not safe: since glibc 2.34 it takes the loader's lock,
 * which a dlopen() in another library's constructor holds while
 * liblttng-ust's constructor (run by that dlopen) waits for its listener
 * threads, which call socket() through us: a deadlock.  So the early path
 * walks the loaded objects itself with dl_iterate_phdr (which takes only
 * the lock of the object list) and looks the name up in their GNU hash
 * tables, in the objects after ours, as RTLD_NEXT would.
 */
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>

#include "preload.h"

void *ss_real_fn[SS_R_COUNT];

static const char *const real_names[SS_R_COUNT] = {
#define SS_REAL_NAME(name) [SS_R_##name] = #name,
	SS_REAL_MAP(SS_REAL_NAME)
#undef SS_REAL_NAME
};

/* Without the real function we can neither call nor fail correctly: a
 * missing one is a broken installation, said once, then abort. */
static void missing(const char *name)
{
	static const char msg[] = "sockscope: cannot find the real ";
	ssize_t r;

	r = write(2, msg, sizeof(msg) - 1);
	r = write(2, name, __builtin_strlen(name));
	r = write(2, "\n", 1);
	(void)r;
	abort();
}

/* Set once the constructor has resolved everything with dlsym. */
static int resolved_all;

/* A dynamic-section address: ld.so relocates these in place on most
 * targets, not on all. */
static uintptr_t dyn_ptr(const struct dl_phdr_info *info, ElfW(Addr) p)
{
	return p < info->dlpi_addr ? info->dlpi_addr + p : p;
}

static uint32_t gnu_hash(const char *s)
{
	uint32_t h = 5381;

	for (; *s; s++)
		h = h * 33 + (unsigned char)*s;
	return h;
}

/* The default-version function `name` (hash h) defined by the object of
 * info, or NULL.  Objects without a GNU hash table are skipped. */
static void *find_in(const struct dl_phdr_info *info, const char *name, uint32_t h)
{
	const ElfW(Dyn) *dyn = NULL;
	const ElfW(Sym) *symtab = NULL;
	const char *strtab = NULL;
	const uint32_t *gh = NULL;
	const ElfW(Half) *versym = NULL;

	for (int i = 0; i < info->dlpi_phnum; i++)
		if (info->dlpi_phdr[i].p_type == PT_DYNAMIC)
			dyn = (const ElfW(Dyn) *)(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
	for (; dyn && dyn->d_tag != DT_NULL; dyn++) {
		uintptr_t p = dyn_ptr(info, dyn->d_un.d_ptr);
		switch (dyn->d_tag) {
		case DT_SYMTAB: symtab = (const ElfW(Sym) *)p; break;
		case DT_STRTAB: strtab = (const char *)p; break;
		case DT_GNU_HASH: gh = (const uint32_t *)p; break;
		case DT_VERSYM: versym = (const ElfW(Half) *)p; break;
		}
	}
	if (!symtab || !strtab || !gh || !gh[0] || !gh[2])
		return NULL;
	enum { BITS = sizeof(ElfW(Addr)) * 8 };
	uint32_t nbuckets = gh[0], symoffset = gh[1], bloom_size = gh[2], shift = gh[3];
	const ElfW(Addr) *bloom = (const ElfW(Addr) *)&gh[4];
	const uint32_t *buckets = (const uint32_t *)&bloom[bloom_size];
	const uint32_t *chain = &buckets[nbuckets];
	ElfW(Addr) mask = (ElfW(Addr))1 << (h % BITS) | (ElfW(Addr))1 << ((h >> shift) % BITS);

	if ((bloom[(h / BITS) % bloom_size] & mask) != mask)
		return NULL;
	for (uint32_t i = buckets[h % nbuckets]; i >= symoffset; i++) {
		const ElfW(Sym) *s = &symtab[i];
		uint32_t h2 = chain[i - symoffset];
		if ((h | 1) == (h2 | 1) && s->st_shndx != SHN_UNDEF && s->st_value &&
		    (s->st_info & 0xf) == STT_FUNC && (!versym || !(versym[i] & 0x8000)) &&
		    strcmp(strtab + s->st_name, name) == 0)
			return (void *)(info->dlpi_addr + s->st_value);
		if (h2 & 1)
			break;
	}
	return NULL;
}

struct lookup {
	const char *name;
	uint32_t hash;
	int past_self;
	void *found;
};

/* Whether the object of info holds address a. */
static int holds(const struct dl_phdr_info *info, uintptr_t a)
{
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
		if (ph->p_type == PT_LOAD && a >= lo && a < lo + ph->p_memsz)
			return 1;
	}
	return 0;
}

static int lookup_next(struct dl_phdr_info *info, size_t size, void *data)
{
	struct lookup *l = data;

	(void)size;
	if (!l->past_self) {
		l->past_self = holds(info, (uintptr_t)lookup_next);
		return 0;
	}
	l->found = find_in(info, l->name, l->hash);
	return l->found != NULL;
}

void *ss_resolve(enum ss_real_id id)
{
	void *fn = __atomic_load_n(&ss_real_fn[id], __ATOMIC_ACQUIRE);

	if (fn)
		return fn;
	if (!__atomic_load_n(&resolved_all, __ATOMIC_ACQUIRE)) {
		struct lookup l = { real_names[id], gnu_hash(real_names[id]), 0, NULL };
		dl_iterate_phdr(lookup_next, &l);
		fn = l.found;
	}
	if (!fn)
		fn = dlsym(RTLD_NEXT, real_names[id]);
	if (!fn)
		missing(real_names[id]);
	__atomic_store_n(&ss_real_fn[id], fn, __ATOMIC_RELEASE);
	return fn;
}

__attribute__((constructor(101))) static void ss_resolve_all(void)
{
	for (int id = 0; id < SS_R_COUNT; id++) {
		/* Optional entry points of newer glibc: absent means unused. */
		if (!ss_real_fn[id])
			__atomic_store_n(&ss_real_fn[id], dlsym(RTLD_NEXT, real_names[id]),
					 __ATOMIC_RELEASE);
	}
	__atomic_store_n(&resolved_all, 1, __ATOMIC_RELEASE);
}
