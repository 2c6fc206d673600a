/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/* Shared steps of ipe-auditd's verbs, each logging its own error once. */

#include "auditd/analysis.h"
#include "lib/macro.h"

/* Read @paths into @a; on failure logs "FILE: ..." and returns -errno. Warns
 * about corrupt lines. */
int read_logs_logged(struct analysis *a, char *const *paths, int n);

/* Parse the time of --since/--until (timestamp_parse()); logs a usage error. */
int parse_time_arg(const char *opt, const char *s, nsec_t *ret);

/* A byte string from the logs (JSON string or byte array) for a terminal:
 * control bytes (C0, DEL, C1) and invalid UTF-8 as \xNN. malloc'd; NULL on ENOMEM. */
char *display_bytes(struct json_object *v);

/*
 * One line of text output that quotes the logs (host names, policy names,
 * root hashes, reasons: they come from any machine): printf() of @fmt, its
 * control bytes shown as display_bytes() shows them, so no log can move the
 * cursor, retitle the terminal or start a line of its own; then a newline.
 * Return: 0, -ENOMEM or -EIO.
 */
int print_line(const char *fmt, ...) _printf_(1, 2);
