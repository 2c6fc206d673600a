/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/*
 * Reading the JSON Lines logs of `ipe-auditd run` (docs/events.md): one
 * record per line, each parsed with json/json.h. Never prints.
 *
 * A line the auditor never wrote whole is "torn": the last line of a file
 * without its newline (a copy or a crash mid-write), or the first line of a
 * file that does not parse (a log truncated or rotated in the middle of a
 * line). Torn lines are skipped and counted; any other line that is not a
 * JSON object with a string "type" and an RFC 3339 "time" is "corrupt".
 *
 * The machine of a record is the one named by the last `start` record before
 * it in the same file ("hostname", else "machine_id"); a file without a
 * `start` record before its first records (a rotated part) continues the
 * machine of the file given before it, else "unknown".
 */

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "auditd/timestamp.h"

enum log_record_type {
	LOG_RECORD_START,
	LOG_RECORD_EVENT,
	LOG_RECORD_STATS,
	LOG_RECORD_MISMATCH,
	LOG_RECORD_OTHER, /* "kernel" and types of later versions: read, not judged */
};

struct log_record {
	enum log_record_type type;
	nsec_t time;
	struct json_object *json; /* the whole record, owned by the reader */
	const char *machine;      /* valid until log_read() returns */
	const char *file;         /* the file name as given ("-" for stdin) */
	uint64_t line;            /* 1-based */
};

struct log_counts {
	uint64_t files, lines, records, torn, corrupt;
};

/* Called for each record in file order; a negative return stops the reading. */
typedef int (*log_record_fn)(const struct log_record *rec, void *userdata);

/**
 * log_read() - read every line of @paths ("-" is stdin) in order.
 * @counts: accumulated (not reset)
 * @ret_failed: on an I/O error, the path that failed
 * Return: 0, the callback's negative return, -errno of open()/read(), -ENOMEM.
 */
int log_read(char *const *paths, int n, log_record_fn fn, void *userdata, struct log_counts *counts,
	     const char **ret_failed);

/* The number at @key of @o (integer or double) as int64, or @def. */
int64_t json_get_int(struct json_object *o, const char *key, int64_t def);
/* The string at @key of @o, or NULL. */
const char *json_get_str(struct json_object *o, const char *key);
