/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/*
 * One verb table per tool, matched exactly (no abbreviations: a security
 * tool must not guess). A verb gets argv with argv[0] = the verb and parses
 * its own options.
 *
 * A verb returns 0 (success), a positive exit status (1: a negative answer
 * such as "invalid" or "corrupt"), or -errno (a usage or system error, exit 2).
 */

#define EXIT_NEGATIVE 1
#define EXIT_ERROR 2

struct verb {
	const char *name;
	int (*run)(int argc, char *argv[]);
	const char *synopsis; /* "NAME ARGS" line for --help */
	const char *help;     /* what the verb does and its options, for "VERB --help" */
};

/**
 * dispatch_verb() - run the verb named by argv[1].
 * Handles --help/-h/help, --version and "VERB --help" (anywhere before a
 * "--") itself, so verbs only parse their real options; logs unknown verbs.
 * Return: the process exit status.
 */
int dispatch_verb(int argc, char *argv[], const struct verb *verbs, unsigned n, const char *about);

/* Log a usage error for the current verb and return -EINVAL. */
int usage_error(const char *fmt, ...) __attribute__((__format__(printf, 1, 2)));

/**
 * log_output_error() - log why the output @path (or the secret file @path)
 * could not be opened or written, once, with what to do about the refusals
 * of lib/chase.h and lib/fileio.h; @what says what was being done ("cannot
 * write"). Return: @error.
 */
int log_output_error(int error, const char *path, const char *what);
