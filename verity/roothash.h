/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

#include <stddef.h>

#include "policy/digest.h"

/*
 * A dm-verity root hash, and the one way the tools read it: hex digits in
 * either case (normalised to lower case, the text the kernel checks a
 * root-hash signature over, drivers/md/dm-verity-verify-sig.c), from an
 * argument or from a file holding one line.
 */

struct root_hash {
	unsigned char bytes[DIGEST_MAX_SIZE];
	size_t size; /* bytes */
};

/**
 * root_hash_parse() - @len hex digits of @s (either case) into @ret.
 * @size: the digest size the caller expects in bytes, or 0 for any size up to
 *        DIGEST_MAX_SIZE
 * Return: 0, -EINVAL (empty, not hex digits, odd length or too long),
 * -EMSGSIZE (hex, but not 2 * @size digits).
 */
int root_hash_parse(const char *s, size_t len, size_t size, struct root_hash *ret);

/* The largest root-hash file read: a root hash is at most 128 hex digits. */
#define ROOT_HASH_FILE_MAX 4096u

/**
 * root_hash_read_file() - root_hash_parse() of the file @path ("-": stdin),
 * which holds the hex digits and at most one line end ("\n" or "\r\n"), as
 * `veritysetup --root-hash-file` and a shell's `echo > file` write it.
 * Return: 0, -EINVAL and -EMSGSIZE as root_hash_parse() (and for a NUL byte or
 * any other byte after the digits), -EFBIG (larger than ROOT_HASH_FILE_MAX),
 * -errno of reading.
 */
int root_hash_read_file(const char *path, size_t size, struct root_hash *ret);

/* Lower-case hex of @h into @out (2 * DIGEST_MAX_SIZE + 1 bytes). */
void root_hash_hex(const struct root_hash *h, char *out);
