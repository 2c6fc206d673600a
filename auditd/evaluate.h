/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/*
 * One BPF record judged by the candidate policy as IPE would judge it
 * (policy/ does the deciding), plus what a person needs to fix a denial:
 * a one-word reason and a one-sentence hint.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auditd/bpf/event.h"
#include "policy/policy.h"
#include "auditd/volumes.h"

/* The kernel's dev_t (major << 20 | minor), as struct auditd_event.dev carries it. */
#define AUDITD_KDEV(major, minor) ((uint32_t)(major) << 20 | (uint32_t)(minor))

/* A dm-verity volume as the evaluation needs it (from volumes_scan() or bdev_setintegrity). */
struct auditd_volume {
	uint32_t dev;   /* kernel dev_t: major << 20 | minor */
	char name[128]; /* device-mapper name, "" when only the kernel told us */
	char alg[32];   /* the verity target's hash, crypto API name */
	unsigned char digest[64];
	size_t digest_len; /* 0: no root hash known (not a verity volume for IPE) */
	bool sig_valid;    /* the root-hash signature was verified */
	bool map_full;     /* run: allowed whatever the file, but not in the kernel's full
			      trusted_volumes map, so its evaluations are judged in user space */
};

/* An fs-verity measurement of the event's file (FS_IOC_MEASURE_VERITY). */
struct auditd_fsverity {
	bool enabled;
	bool builtin_sig; /* a builtin signature is present (the kernel verified it to open the file) */
	char alg[16];     /* hash_algo_name[]: "sha256", "sha512" */
	unsigned char digest[64];
	size_t digest_len;
};

struct auditd_verdict {
	struct ipe_decision decision;
	char *rule;         /* the rule= of IPE's 1420 record, malloc'd */
	const char *reason; /* one word, NULL when allowed */
	char *hint;         /* one sentence, malloc'd, NULL when allowed */
};

/**
 * auditd_evaluate() - IPE's decision for @e under @p.
 * @vol: the volume of the real inode's superblock, or NULL (not dm-verity)
 * @fsv: the file's fs-verity state, or NULL (none)
 * File-less events (anonymous memory) evaluate every property false, as
 * build_eval_ctx() leaves ctx->file NULL (security/ipe/eval.c).
 * Return: 0, -ENOMEM. Release @ret with auditd_verdict_done().
 */
int auditd_evaluate(const struct ipe_policy *p, const struct auditd_event *e,
		    const struct auditd_volume *vol, const struct auditd_fsverity *fsv,
		    struct auditd_verdict *ret);

void auditd_verdict_done(struct auditd_verdict *v);

/* A volume of volumes_scan() ("alg:hex" root hash) as the evaluation takes it. Return: 0, -EINVAL. */
int auditd_volume_from_scan(const struct verity_volume *s, struct auditd_volume *v);

/* True when some rule of @p for @op has a property of @type (so the answer may depend on it). */
bool auditd_policy_uses(const struct ipe_policy *p, enum ipe_op op, enum ipe_prop_type type);

/**
 * auditd_trust_bits() - the ops @p allows on every file of @vol whatever
 * the file, as struct auditd_trust bits (one word for mounts that are not
 * the initramfs, one for those that are). An op whose rules look at
 * fs-verity properties is never set: that answer depends on the file.
 */
void auditd_trust_bits(const struct ipe_policy *p, const struct auditd_volume *vol,
		       struct auditd_trust *ret);
