/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

#include <stddef.h>

/**
 * escape_text() - @s made safe for a terminal or a log line: control bytes
 * (C0, DEL, and the C1 range U+0080-U+009F, which terminals also obey),
 * bytes that are not valid UTF-8, backslashes and double quotes become C
 * escapes ("\n", "\e", "\x9b", "\\", "\""); printable ASCII and valid UTF-8
 * above U+009F stay as they are. For names that come from certificates or
 * the kernel (subjects, key descriptions, keyring names).
 * Return: a malloc'd string, or NULL when out of memory.
 */
char *escape_text(const char *s);

/**
 * escape_text_prefix() - escape_text() of at most the first @max bytes of
 * @len bytes at @s, followed by "..." when it was cut: for quoting input in
 * a diagnostic, short. Return: a malloc'd string, or NULL.
 */
char *escape_text_prefix(const char *s, size_t len, size_t max);

/* Flags for escape_text_len(). */
#define ESCAPE_HEX 1u /* every escape as \xNN; backslashes and double quotes stay as they are */

/**
 * escape_text_len() - escape_text() of @len bytes at @s (NUL bytes included);
 * with ESCAPE_HEX, the form of terminal tables, where nothing is quoted.
 * Return: a malloc'd string, or NULL.
 */
char *escape_text_len(const char *s, size_t len, unsigned flags);
