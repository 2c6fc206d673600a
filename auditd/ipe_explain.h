/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/*
 * What the kernel meant by an errno from IPE's securityfs, in one sentence
 * (security/ipe/fs.c new_policy(), policy_fs.c update_policy() and
 * set_active(), policy.c ipe_new_policy()/ipe_update_policy()/
 * ipe_set_active_pol() of Linux 6.12). Never prints.
 */

#include <stdbool.h>

enum ipe_step { IPE_STEP_NEW_POLICY, IPE_STEP_UPDATE, IPE_STEP_ACTIVATE, IPE_STEP_ENFORCE };

struct ipe_explain_ctx {
	enum ipe_step step;
	const char *name, *version;               /* the policy written (NULL when unknown) */
	const char *old_version;                  /* update: the loaded version */
	const char *active_name, *active_version; /* activate: the active policy */
	bool file_signed;                         /* the file is a PKCS#7 SignedData */
};

/* A malloc'd sentence for @err (negative) in @ctx, or NULL on ENOMEM. */
char *ipe_explain(int err, const struct ipe_explain_ctx *ctx);
