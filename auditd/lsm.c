// SPDX-License-Identifier: GPL-2.0-only
#include "auditd/lsm.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib/fileio.h"
#include "lib/macro.h"
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcast-qual" /* bpftool's generated code */
#include "auditd/bpf/lsm.skel.h"
#include "auditd/bpf/probe.skel.h"
#pragma GCC diagnostic pop

#define LSM_LIST "/sys/kernel/security/lsm"

DEFINE_TRIVIAL_CLEANUP_FUNC(struct probe_bpf *, probe_bpf__destroy);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct btf *, btf__free);

/* Is @name one of the comma-separated entries of @list? */
static bool list_has(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (strncmp(p, name, n) == 0 && (p[n] == ',' || p[n] == '\0' || p[n] == '\n'))
			return true;
	return false;
}

int lsm_backend_probe(char *why, size_t why_size)
{
	_cleanup_(probe_bpf__destroyp) struct probe_bpf *probe = NULL;
	_cleanup_free_ char *lsms = NULL;
	char listed[128];
	size_t len;
	void *page;
	int r;

	/* An unreadable list (securityfs not mounted) leaves the answer to the probe alone. */
	r = read_full_file(LSM_LIST, 4096, &lsms, &len);
	if (r < 0)
		snprintf(listed, sizeof(listed), "%s cannot be read (%s)", LSM_LIST, strerror(-r));
	else {
		lsms[strcspn(lsms, "\n")] = '\0';
		if (!list_has(lsms, "bpf")) {
			snprintf(why, why_size, "bpf is not among the active LSMs (%s: %s)",
				 LSM_LIST, lsms);
			return 0;
		}
		snprintf(listed, sizeof(listed), "bpf is an active LSM");
	}
	probe = probe_bpf__open();
	if (!probe) {
		if (errno == ENOMEM)
			return -ENOMEM;
		snprintf(why, why_size, "the probe program cannot be opened: %s", strerror(errno));
		return 0;
	}
	probe->rodata->probe_tgid = (uint32_t)getpid();
	r = probe_bpf__load(probe);
	if (r < 0) {
		snprintf(why, why_size, "%s, but an LSM program cannot be loaded: %s", listed,
			 strerror(-r));
		return 0;
	}
	r = probe_bpf__attach(probe);
	if (r < 0) {
		snprintf(why, why_size, "%s, but an LSM program cannot be attached: %s", listed,
			 strerror(-r));
		return 0;
	}
	page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page != MAP_FAILED)
		munmap(page, 4096);
	if (__atomic_load_n(&probe->bss->fired, __ATOMIC_RELAXED) == 0) {
		snprintf(why, why_size, "%s, an LSM program attached, but it never ran", listed);
		return 0;
	}
	snprintf(why, why_size, "%s and a probe program attached to mmap_file ran", listed);
	return 1;
}

/*
 * Does the kernel's BTF have a type @type of @kind (BTF_KIND_ENUM or
 * BTF_KIND_STRUCT) with an enumerator or member named @name? -ENOENT: no
 * such type.
 */
static int btf_has_name(const struct btf *btf, int kind, const char *type, const char *name)
{
	int id = btf__find_by_name_kind(btf, type, kind);
	const struct btf_type *t;

	if (id < 0)
		return -ENOENT;
	t = btf__type_by_id(btf, id);
	for (unsigned i = 0; i < btf_vlen(t); i++) {
		uint32_t off = kind == BTF_KIND_ENUM ? btf_enum(t)[i].name_off
						     : btf_members(t)[i].name_off;

		if (streq(btf__name_by_offset(btf, off), name))
			return 1;
	}
	return 0;
}

/* Does IPE (or, without IPE, the kernel) evaluate exec checks in bprm_creds_for_exec? */
static bool want_creds_for_exec(char *why, size_t why_size)
{
	_cleanup_(btf__freep) struct btf *btf = btf__load_vmlinux_btf();
	int r;

	if (!btf) {
		snprintf(why, why_size, "not attached: the kernel's BTF cannot be read");
		return false;
	}
	/* security/ipe/hooks.h: IPE_HOOK_BPRM_CREDS_FOR_EXEC exists from Linux 6.19 on. */
	r = btf_has_name(btf, BTF_KIND_ENUM, "ipe_hook_type", "IPE_HOOK_BPRM_CREDS_FOR_EXEC");
	if (r == 1) {
		snprintf(why, why_size,
			 "attached: this kernel's IPE evaluates execveat(AT_EXECVE_CHECK) there");
		return true;
	}
	if (r == 0) {
		snprintf(why, why_size,
			 "not attached: this kernel's IPE has no BPRM_CREDS_FOR_EXEC hook (before 6.19)");
		return false;
	}
	if (btf_has_name(btf, BTF_KIND_STRUCT, "linux_binprm", "is_check") == 1) {
		snprintf(why, why_size,
			 "attached: no IPE in this kernel, and execveat(AT_EXECVE_CHECK) exists (IPE >= 6.19 evaluates it)");
		return true;
	}
	snprintf(why, why_size,
		 "not attached: this kernel has no execveat(AT_EXECVE_CHECK) (struct linux_binprm.is_check)");
	return false;
}

int lsm_backend_open(struct lsm_backend *b, pid_t self_tgid, uint32_t ringbuf_bytes, uint32_t max_volumes)
{
	int r;

	*b = (struct lsm_backend){ .events_fd = -1, .counters_fd = -1, .trusted_volumes_fd = -1 };
	b->skel = lsm_bpf__open();
	if (!b->skel)
		return -errno;
	b->skel->rodata->self_tgid = (uint32_t)self_tgid;
	if (ringbuf_bytes) {
		r = bpf_map__set_max_entries(b->skel->maps.events, ringbuf_bytes);
		if (r < 0)
			return r;
	}
	if (max_volumes) {
		r = bpf_map__set_max_entries(b->skel->maps.trusted_volumes, max_volumes);
		if (r < 0)
			return r;
	}
	b->creds_for_exec = want_creds_for_exec(b->creds_for_exec_why, sizeof(b->creds_for_exec_why));
	if (!b->creds_for_exec) {
		r = bpf_program__set_autoload(b->skel->progs.lsm_bprm_creds_for_exec, false);
		if (r < 0)
			return r;
	}
	r = lsm_bpf__load(b->skel);
	if (r < 0)
		return r;
	r = lsm_bpf__attach(b->skel);
	if (r < 0)
		return r;
	b->events_fd = bpf_map__fd(b->skel->maps.events);
	b->counters_fd = bpf_map__fd(b->skel->maps.counters);
	b->trusted_volumes_fd = bpf_map__fd(b->skel->maps.trusted_volumes);
	return 0;
}

void lsm_backend_close(struct lsm_backend *b)
{
	lsm_bpf__destroy(b->skel);
	b->skel = NULL;
	b->events_fd = b->counters_fd = b->trusted_volumes_fd = -1;
}
