/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/*
 * A candidate policy file as `gate` and `enforce` see it: its bytes, the
 * SHA-256 of those bytes (what IPE's 1422 record gives as policy_digest for a
 * .p7b) and of the policy text inside a signed file, and the name and version
 * the text declares. Never prints.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct policy_file {
	char *data;
	size_t len;
	bool signed_; /* a PKCS#7 SignedData */
	char sha256[65];      /* of the file, lowercase hex */
	char text_sha256[65]; /* of the policy text (= sha256 when not signed); "" if none */
	char *name;           /* NULL when the text does not parse */
	uint16_t version[3];
	int parse_error;      /* the kernel's -errno for the text, 0 when it parses */
};

/* Read @path ("-" is stdin). Return: 0, -errno of reading, -ENOMEM. */
int policy_file_load(const char *path, struct policy_file *ret);
void policy_file_done(struct policy_file *p);

/* True when @hex (either case, optionally "sha256:"-prefixed) is the file's or its text's SHA-256. */
bool policy_file_matches(const struct policy_file *p, const char *hex);
