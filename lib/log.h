/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

#include <stdbool.h>

#include "lib/macro.h"

/*
 * Program-side logging to stderr. Library code (lib/, policy/) never calls
 * these: it returns -errno and lets the program say what failed, once.
 */

enum log_level { LOG_LEVEL_ERROR, LOG_LEVEL_WARNING, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG };

void log_set_program(const char *name);
const char *log_program(void);
void log_set_level(enum log_level level);
/* Take the level from $IPE_TOOLS_LOG_LEVEL (error, warning, info, debug), if set. */
void log_parse_environment(void);
bool log_enabled(enum log_level level);

/* "PROG: error: MESSAGE". %m expands to strerror(-error). Return: error (<0). */
int log_full_errno(enum log_level level, int error, const char *fmt, ...) _printf_(3, 4);

/* "PROG: usage: MESSAGE" for a usage error of the current verb. Return: -EINVAL. */
int usage_error(const char *fmt, ...) _printf_(1, 2);
/* Always -EINVAL; the macro lets static analysers see that without reading log.c. */
#define usage_error(...) (usage_error(__VA_ARGS__), -EINVAL)

#define log_error_errno(e, ...) log_full_errno(LOG_LEVEL_ERROR, (e), __VA_ARGS__)
#define log_warning_errno(e, ...) log_full_errno(LOG_LEVEL_WARNING, (e), __VA_ARGS__)
#define log_error(...) ((void)log_full_errno(LOG_LEVEL_ERROR, 0, __VA_ARGS__))
#define log_warning(...) ((void)log_full_errno(LOG_LEVEL_WARNING, 0, __VA_ARGS__))
#define log_info(...) ((void)log_full_errno(LOG_LEVEL_INFO, 0, __VA_ARGS__))
#define log_debug(...) ((void)log_full_errno(LOG_LEVEL_DEBUG, 0, __VA_ARGS__))

/**
 * log_output_error() - log why the output @path (or the secret file @path)
 * could not be opened or written, once, with what to do about the refusals
 * of lib/chase.h and lib/fileio.h; @what says what was being done ("cannot
 * write"). Return: @error.
 */
int log_output_error(int error, const char *path, const char *what);
