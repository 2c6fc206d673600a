/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/*
 * A candidate policy file as `run`, `gate` and `enforce` see it: its bytes,
 * the SHA-256 of those bytes (what IPE's 1422 record gives as policy_digest
 * for a .p7b) and of the policy text inside a signed file, and the text
 * checked as `ipe-policygen check` checks it (policy/check.c). Never prints.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/policy.h"

struct policy_file {
	char *data;
	size_t len;
	bool signed_;              /* a PKCS#7 SignedData */
	char sha256[65];           /* of the file, lowercase hex */
	char text_sha256[65];      /* of the policy text (= sha256 when not signed); "" if none */
	struct ipe_policy *policy; /* the text as the kernel would load it; NULL when refused */
	char *name;                /* as the text declares it; NULL when it does not parse */
	uint16_t version[3];
	int kernel_errno; /* 0 when the kernel would load the text, else its -errno */
	char error[256];  /* after a refusal or a read error: one line naming the problem */
};

/**
 * policy_file_load() - read @path ("-" is stdin, anything else a regular
 * file: a FIFO is refused at once), unwrap a signed .p7b and check the text
 * as the kernel would.
 * Return: 0 when the file was read (the verdict is in @ret->kernel_errno),
 * -EBADMSG for a private key (refused before anything of it is hashed or
 * quoted), -EINVAL (not a regular file), -errno of reading, -ENOMEM; @ret->error says why. Release with
 * policy_file_done().
 */
int policy_file_load(const char *path, struct policy_file *ret);
void policy_file_done(struct policy_file *p);

/* True when @hex (either case, optionally "sha256:"-prefixed) is the file's or its text's SHA-256. */
bool policy_file_matches(const struct policy_file *p, const char *hex);
