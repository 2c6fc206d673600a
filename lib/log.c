// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/log.h"

static const char *program = "ipe-tools";
static enum log_level max_level = LOG_LEVEL_INFO;

void log_set_program(const char *name)
{
	program = name;
}

const char *log_program(void)
{
	return program;
}

void log_set_level(enum log_level level)
{
	max_level = level;
}

void log_parse_environment(void)
{
	static const char *const names[] = {
		[LOG_LEVEL_ERROR] = "error",
		[LOG_LEVEL_WARNING] = "warning",
		[LOG_LEVEL_INFO] = "info",
		[LOG_LEVEL_DEBUG] = "debug",
	};
	const char *e = getenv("IPE_TOOLS_LOG_LEVEL");

	if (!e || !*e)
		return;
	for (size_t i = 0; i < ELEMENTSOF(names); i++)
		if (streq(e, names[i])) {
			max_level = (enum log_level)i;
			return;
		}
	log_warning("IPE_TOOLS_LOG_LEVEL=%s: not error, warning, info or debug; ignored", e);
}

bool log_enabled(enum log_level level)
{
	return level <= max_level;
}

int log_full_errno(enum log_level level, int error, const char *fmt, ...)
{
	static const char *const prefix[] = {
		[LOG_LEVEL_ERROR] = "error: ",
		[LOG_LEVEL_WARNING] = "warning: ",
		[LOG_LEVEL_INFO] = "",
		[LOG_LEVEL_DEBUG] = "debug: ",
	};
	va_list ap;

	if (!log_enabled(level))
		return error;
	fprintf(stderr, "%s: %s", program, prefix[level]);
	errno = error < 0 ? -error : error;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return error;
}
