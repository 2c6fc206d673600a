/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Write 2*len hex digits and a NUL into @out. */
void hex_encode_to(const void *buf, size_t len, bool upper, char *out);

/* Return a malloc'd hex string of @buf, or NULL on ENOMEM. */
char *hex_encode(const void *buf, size_t len, bool upper);

/**
 * hex_decode() - decode @len hex digits (either case) into a malloc'd buffer,
 * NUL-terminated (the NUL not counted in @ret_len), so decoded text is a string.
 * Return: 0, -EINVAL for an odd length or a non-hex digit, -ENOMEM.
 */
int hex_decode(const char *hex, size_t len, unsigned char **ret_buf, size_t *ret_len);

/* Value of one hex digit, or -EINVAL. */
int unhexchar(char c);
