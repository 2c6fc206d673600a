/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/*
 * The records of `ipe-auditd run` (docs/events.md): JSON Lines, one record
 * per write() through json_write_line(), or a one-line text form for
 * people. Byte strings (paths, comm, argv) follow json/json.h.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auditd/bpf/event.h"
#include "auditd/audit_record.h"
#include "auditd/evaluate.h"
#include "auditd/xcheck.h"

struct output {
	int fd;
	bool text;               /* the one-line text form instead of JSON */
	uint64_t seq;            /* of the last event record written */
	int64_t boot_to_real_ns; /* CLOCK_REALTIME - CLOCK_BOOTTIME, to date BPF timestamps */
};

/* Counts for one op and hook; docs/events.md says how they add up. */
struct auditd_stats_row {
	uint64_t seen, allowed, denied, deduplicated, lost;
};

struct auditd_stats {
	struct auditd_stats_row rows[IPE_OP_MAX + 1][IPE_HOOK_MAX];
	uint64_t volume_records, volume_lost;
	uint64_t dropped;    /* records user space could not use (malformed, out of memory) */
	uint64_t dedup_full; /* sightings not remembered because the dedup set was full */
	size_t dedup_entries;
	uint64_t trusted_map_full; /* volumes judged in user space: no room in trusted_volumes */
};

/* What the start record says. */
struct auditd_start {
	const char *backend, *backend_reason;
	const char *const *gaps; /* NULL-terminated names, docs/events.md lists them */
	const struct ipe_policy *policy;
	const char *policy_sha256; /* hex of the policy file as given (.p7b or text) */
	const char *policy_file;
	bool ipe_present, ipe_enforce_known, ipe_enforce;
	const char *ipe_active_policy; /* NULL when none or unknown */
	bool dedup, all;
	size_t dedup_capacity, ring_size;
	uint32_t max_volumes;            /* entries of the kernel's trusted_volumes map */
	unsigned stats_interval;         /* seconds between stats records, 0: only at exit */
	const char *const *capabilities; /* NULL-terminated: what the process kept after attaching */
	bool kernel_records; /* IPE's 1420 records are read and written as "kernel" records */
	bool cross_check;    /* and matched with the auditor's denials */
};

/* Return: 0 or a negative errno of the write (-EPIPE, -ENOSPC, …) or -ENOMEM. */
int output_start(struct output *o, const struct auditd_start *s);
int output_event(struct output *o, const struct auditd_event *e, const struct auditd_verdict *v,
		 const struct auditd_volume *vol);
int output_stats(struct output *o, const struct auditd_stats *st, bool final);
/* What `explain` found for one file: the identity IPE would evaluate. */
struct explain_file {
	const char *path; /* as given */
	uint32_t dev;     /* the real inode's device (kernel dev_t) */
	uint64_t ino;
	const char *fstype; /* of the mount the real inode is on */
	bool overlay, initramfs;
	const struct auditd_fsverity *fsverity; /* NULL when the policy does not look at it */
};

/* One `explain` answer: a {"type":"explain"} record, or one text line. */
int output_explain(struct output *o, const struct explain_file *f, const struct auditd_verdict *v,
		   const struct auditd_volume *vol);
/* IPE's own 1420 record, as {"type":"kernel"} (docs/events.md). */
int output_kernel(struct output *o, const struct ipe_access *a);
/* A denial one side made and the other did not, as {"type":"mismatch"}; @why one sentence. */
int output_mismatch(struct output *o, const struct xcheck_item *it, const char *why);
/* A policy reload (SIGHUP): @error NULL when the new policy was taken, else why it was refused. */
int output_reload(struct output *o, const struct ipe_policy *p, const char *sha256, const char *error);

/*
 * walked_path() - @n bytes of leaf-first names from an event's data
 * (struct auditd_event) as d_path() prints them: "/a/b/c", "/" for none,
 * with " (deleted)" when @deleted.
 * Return: a malloc'd NUL-terminated string (its length in *@ret_len), or NULL on ENOMEM.
 */
char *walked_path(const char *names, size_t n, bool deleted, size_t *ret_len);

/* RFC 3339 UTC with nanoseconds ("2026-11-30T07:15:00.123456789Z") of @real_ns, into @buf (>= 32 bytes). */
void format_time(int64_t real_ns, char *buf, size_t size);
