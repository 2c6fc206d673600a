// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/log.h"
#include "lib/verbs.h"

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

/* The function behind log.h's usage_error() macro. */
#undef usage_error
int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: usage: ", log_program());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -EINVAL;
}

#ifndef IPE_TOOLS_VERSION
#define IPE_TOOLS_VERSION "0.1.0"
#endif

static void print_usage(const char *about, const struct verb *const *verbs, unsigned n)
{
	printf("%s - %s\n\nUsage:\n", log_program(), about);
	for (unsigned i = 0; i < n; i++)
		printf("  %s %s\n", log_program(), verbs[i]->synopsis);
	printf("\nSee %s(1). Exit status: 0 success, 1 negative result, 2 usage or system error.\n",
	       log_program());
}

/* "needs exactly 2 operands", "needs at least 1 operand", "needs 2 to 3 operands", "takes no operands" */
static void usage_operands(const struct verb *v, unsigned got)
{
	unsigned lo = v->min_operands, hi = v->max_operands;
	char need[64];

	if (hi == 0)
		snprintf(need, sizeof(need), "takes no operands");
	else if (lo == hi)
		snprintf(need, sizeof(need), "needs exactly %u operand%s", lo, lo == 1 ? "" : "s");
	else if (hi == VERB_ANY)
		snprintf(need, sizeof(need), "needs at least %u operand%s", lo, lo == 1 ? "" : "s");
	else
		snprintf(need, sizeof(need), "needs %u to %u operands", lo, hi);
	(void)usage_error("%s %s, got %u: %s %s", v->name, need, got, log_program(), v->synopsis);
}

int log_verb_dispatch(const struct verb_dispatch *d, const struct verb *const *verbs, unsigned n,
		      const char *about)
{
	switch (d->outcome) {
	case VERB_RAN:
		break;
	case VERB_HELP:
		print_usage(about, verbs, n);
		break;
	case VERB_VERB_HELP:
		printf("Usage: %s %s\n", log_program(), d->verb->synopsis);
		if (d->verb->help)
			printf("\n%s", d->verb->help);
		break;
	case VERB_VERSION:
		printf("%s %s\n", log_program(), IPE_TOOLS_VERSION);
		break;
	case VERB_MISSING:
		(void)usage_error("no verb given (try --help)");
		break;
	case VERB_UNKNOWN:
		(void)usage_error("unknown verb '%s' (try --help)", d->name);
		break;
	case VERB_OPERANDS:
		usage_operands(d->verb, d->operands);
		break;
	}
	return d->status;
}

int log_output_error(int error, const char *path, const char *what)
{
	switch (-error) {
	case ENOLINK:
		return log_error_errno(error,
				       "%s: a symbolic link owned by another user in a sticky world-writable directory; not following it, as the kernel's fs.protected_symlinks rule would not (remove it, or name its target)",
				       path);
	case EPERM:
		return log_error_errno(error,
				       "%s: not a regular file; refusing to replace it with one (name a new file, or - for standard output)",
				       path);
	case EEXIST:
		return log_error_errno(error, "%s: already exists; not replacing it", path);
	default:
		return log_error_errno(error, "%s: %s: %m", path, what);
	}
}
