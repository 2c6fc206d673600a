/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/*
 * The one JSON writer (and the reader of what it writes), over json-c.
 *
 * Byte strings chosen by others (file names, comm, argv, certificate names)
 * follow systemd's journal JSON convention (systemd.journal-fields(7),
 * "journalctl -o json"): bytes that are valid UTF-8 are a JSON string (json-c
 * escapes control characters, so newlines and quotes survive); anything else
 * is an array of byte values 0-255. Either way the JSON is valid and the
 * bytes come back exactly (json_bytes_get()).
 */

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "lib/macro.h"

DEFINE_TRIVIAL_CLEANUP_FUNC(struct json_object *, json_object_put);
#define _cleanup_json_ _cleanup_(json_object_putp)

/* Flags for json_format(). */
#define JSON_PRETTY 1u   /* two-space indentation and "key": value, as the manifest is written */
#define JSON_NO_SPACE 2u /* with JSON_PRETTY: "key":value, as `ipe-keys list --json` has always been written */

/* True when @len bytes at @s are well-formed UTF-8 (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF). NUL bytes are allowed. */
bool utf8_valid(const void *s, size_t len);

/**
 * json_bytes_new() - @len bytes at @s as a JSON string when they are valid
 * UTF-8, else as an array of byte values.
 * Return: a new object, or NULL on ENOMEM.
 */
struct json_object *json_bytes_new(const void *s, size_t len);

/* json_bytes_new() of a NUL-terminated string; NULL @s gives JSON null
 * (which json-c represents as a NULL object, so NULL is also returned then:
 * check @s, not the result, to tell ENOMEM). */
struct json_object *json_str_new(const char *s);

/**
 * json_bytes_get() - the bytes of a value written by json_bytes_new().
 * @ret: malloc'd, NUL-terminated (the NUL not counted in @ret_len).
 * Return: 0, -EBADMSG (neither a string nor an array of 0-255), -ENOMEM.
 */
int json_bytes_get(struct json_object *o, char **ret, size_t *ret_len);

/**
 * json_add() - add @v as @key of the object @o, taking ownership of @v
 * (also on failure). A NULL @v is added as null.
 * Return: 0 or -ENOMEM.
 */
int json_add(struct json_object *o, const char *key, struct json_object *v);

/**
 * json_format() - the text of @o: one line, or JSON_PRETTY (| JSON_NO_SPACE). Slashes are not
 * escaped. No trailing newline.
 * Return: a string owned by @o (valid until @o changes or is freed), or NULL
 * on ENOMEM.
 */
const char *json_format(struct json_object *o, unsigned flags);

/**
 * json_write_line() - @o as one line plus "\n" in a single write() to @fd, so
 * a reader (or a process killed mid-run) never sees a partial record. After
 * a short write, the rest is written once more to learn the reason, and the
 * caller decides what to do with the partial line (see auditd/output.c).
 * Return: 0, -ENOMEM, -errno of write() (-ENOSPC, -EDQUOT, -EFBIG, …),
 * -EIO (a short write without an errno).
 */
int json_write_line(int fd, struct json_object *o);

/**
 * json_parse_document() - parse @len bytes as exactly one JSON value;
 * anything but white space after it is an error.
 * Return: 0, -EBADMSG (not JSON, or trailing bytes), -ENOMEM.
 */
int json_parse_document(const char *buf, size_t len, struct json_object **ret);
