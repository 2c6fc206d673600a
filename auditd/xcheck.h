/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/*
 * The cross-check of `run` against the kernel: the auditor's denials and
 * IPE's own 1420 denial records, matched on (op, hook, dev, ino) as IPE
 * prints them (file_inode()'s i_sb->s_id and i_ino: the events' audit_dev
 * and audit_ino), or (op, hook, comm) without a file. Each side waits at
 * most the window for the other, counted from when it reached user space:
 * the ring buffer and the audit netlink socket deliver in their own time.
 * A kernel denial that finds no auditor event in its window still matches
 * when the auditor denied the same key before under the same policy (the
 * auditor reports and sends a file once; IPE records every evaluation).
 * Memory is bounded: a fixed number of waiting entries per side and a
 * fixed set of keys. Pure: no system calls, never prints.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auditd/dedup.h"

#define XCHECK_WINDOW_MS 5000 /* kauditd's delay under load stays well below it */
#define XCHECK_PENDING_MAX 4096

enum xcheck_side { XCHECK_AUDITOR, XCHECK_KERNEL };

struct xcheck_key {
	uint8_t op, hook;
	bool has_file;
	char dev[32]; /* s_id; "" without a file */
	uint64_t ino;
	char comm[16]; /* without a file only */
};

/* What a mismatch record says about the unmatched side. */
struct xcheck_item {
	struct xcheck_key key;
	enum xcheck_side side;
	uint64_t deadline_ms;
	uint32_t pid;
	uint64_t id; /* the event's seq (0: deduplicated, not written), or the record's audit serial */
	char *rule; /* malloc'd */
	char *path; /* malloc'd bytes, NUL-terminated; NULL without a file */
	size_t path_len;
	char comm[64];
};

struct xcheck {
	struct xcheck_item *pending; /* XCHECK_PENDING_MAX, in arrival order per side */
	size_t n;
	uint64_t window_ms;
	struct dedup known; /* keys of the auditor's denials under this policy */
	uint64_t key_hash_seed;
};

/* Return: 0, -ENOMEM. */
int xcheck_init(struct xcheck *x, uint64_t window_ms);
void xcheck_done(struct xcheck *x);
/* A new policy: what the auditor denied before no longer vouches for anything. */
void xcheck_forget(struct xcheck *x);

/*
 * xcheck_add() - one denial from @it->side at @now_ms (a monotonic clock).
 * Takes ownership of @it->rule and @it->path. When the other side has a
 * waiting entry with the same key, both are matched and dropped; else @it
 * waits until now + the window. When the waiting list is full, the oldest
 * entry is handed to @unmatched at once.
 * Return: 0, -ENOMEM (@it's strings are freed), or @unmatched's error.
 */
int xcheck_add(struct xcheck *x, struct xcheck_item *it, uint64_t now_ms,
	       int (*unmatched)(void *ctx, const struct xcheck_item *it), void *ctx);

/*
 * xcheck_expire() - hand every entry whose window ended by @now_ms (all of
 * them when @all) to @unmatched, except kernel denials of a key the auditor
 * denied before, and drop them.
 * Return: 0 or @unmatched's first error.
 */
int xcheck_expire(struct xcheck *x, uint64_t now_ms, bool all,
		  int (*unmatched)(void *ctx, const struct xcheck_item *it), void *ctx);

/* Milliseconds until the next entry expires, -1 when none waits. */
int64_t xcheck_next_ms(const struct xcheck *x, uint64_t now_ms);
