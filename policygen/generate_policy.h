/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/policy.h"
#include "verity/roothash.h"

/*
 * The policy text `generate` writes, built from a description of what to
 * trust. Kept apart from option parsing so the exact bytes can be tested.
 */

/* One dm-verity image, known by the algorithm of its table and its root hash. */
struct gen_image {
	char *label;  /* comment above its rules: file name or "ALG:HEX" */
	char alg[32]; /* kernel crypto API name, lower case */
	struct root_hash root_hash;
};

struct gen_spec {
	const char *name;
	uint16_t version[3];
	enum ipe_op ops[IPE_OP_MAX]; /* enforced ops, in the order given */
	size_t n_ops;
	struct gen_image *allow; /* dmverity_roothash pins */
	size_t n_allow;
	struct gen_image *deny; /* revoked root hashes, emitted first */
	size_t n_deny;
	bool boot_verified; /* trust the initramfs */
	bool signed_images; /* dmverity_signature=TRUE */
};

/**
 * gen_policy_text() - the policy for @s: a comment, the header, a global
 * DEFAULT action=ALLOW (so ops added by newer kernels keep working), one
 * DEFAULT op=X action=DENY per enforced op, then deny rules, pins, signature
 * and boot_verified rules, each block under a comment naming what it trusts.
 * Same spec, same bytes.
 * Return: 0 and a malloc'd NUL-terminated text, -EINVAL (no op), -ENOMEM.
 */
int gen_policy_text(const struct gen_spec *s, char **ret_text, size_t *ret_len);

/**
 * gen_next_version() - the version after @prev: the next patch version, or
 * the next minor version (patch 0) when the patch part is 65535, or the next
 * major version when both are.
 * Return: 0, -ERANGE when @prev is 65535.65535.65535.
 */
int gen_next_version(const uint16_t prev[3], uint16_t ret[3]);

/**
 * gen_image_from_roothash() - parse "ALG:HEX" (either hex case). The
 * algorithm must be one the kernel documents and HEX exactly its size.
 * Return: 0, -EINVAL (syntax or hex), -EPROTONOSUPPORT (unknown algorithm),
 *         -EBADMSG (length does not match the algorithm), -ENOMEM.
 */
int gen_image_from_roothash(const char *arg, struct gen_image *ret);

/**
 * gen_image_set() - fill @ret from an algorithm and raw root hash, checking
 * that @size is the algorithm's digest size. @label is copied.
 * Return: 0, -EPROTONOSUPPORT, -EBADMSG, -ENOMEM.
 */
int gen_image_set(struct gen_image *ret, const char *label, const char *alg,
		  const unsigned char *digest, size_t size);

/* True when @a and @b name the same root hash (algorithm and bytes). */
bool gen_image_same(const struct gen_image *a, const struct gen_image *b);

/**
 * gen_images_append() - append @img to @arr unless the same root hash is
 * already there. Ownership of @img->label passes to the array (or is freed).
 * Return: 0 appended, 1 duplicate dropped, -ENOMEM.
 */
int gen_images_append(struct gen_image **arr, size_t *n, struct gen_image *img);

void gen_images_free(struct gen_image *arr, size_t n);
