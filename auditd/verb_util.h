/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/* Shared steps of ipe-auditd's verbs, each logging its own error once. */

#include "auditd/analysis.h"

/* Read @paths into @a; on failure logs "FILE: ..." and returns -errno. Warns
 * about corrupt lines. */
int read_logs_logged(struct analysis *a, char *const *paths, int n);

/* Parse the time of --since/--until (timestamp_parse()); logs a usage error. */
int parse_time_arg(const char *opt, const char *s, nsec_t *ret);

/* A byte string from the logs (JSON string or byte array) for a terminal:
 * control bytes and invalid UTF-8 as \xNN. malloc'd; NULL on ENOMEM. */
char *display_bytes(struct json_object *v);
