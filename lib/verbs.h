/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

#include <limits.h>

#include "lib/log.h"

/*
 * One verb table per tool, matched exactly (no abbreviations: a security
 * tool must not guess), listed in pipeline order. A verb gets argv with
 * argv[0] = the verb and parses its own options, then asks verb_operands()
 * whether the operands left are as many as its table entry says.
 *
 * A verb returns 0 (success), a positive exit status (1: a negative answer
 * such as "invalid" or "corrupt"), or -errno (a usage or system error, exit 2).
 * dispatch_verb() prints nothing: it says what happened, and main() reports it
 * with log_verb_dispatch().
 */

#define EXIT_NEGATIVE 1
#define EXIT_ERROR 2

#define VERB_ANY UINT_MAX /* max_operands: no limit */

struct verb {
	const char *name;
	int (*run)(int argc, char *argv[]);
	unsigned min_operands; /* arguments left after the options */
	unsigned max_operands; /* or VERB_ANY */
	const char *synopsis;  /* "NAME ARGS" line for --help */
	const char *help;      /* what the verb does and its options, for "VERB --help" */
};

/* What dispatch_verb() did. */
enum verb_outcome {
	VERB_RAN,       /* the verb ran; status is its exit status */
	VERB_HELP,      /* --help, -h or help: the tool's usage */
	VERB_VERB_HELP, /* "VERB --help": the verb's usage and help */
	VERB_VERSION,   /* --version */
	VERB_MISSING,   /* no verb given */
	VERB_UNKNOWN,   /* argv[1] is no verb's name */
	VERB_OPERANDS,  /* the verb was given too few or too many operands */
};

struct verb_dispatch {
	enum verb_outcome outcome;
	const struct verb *verb; /* VERB_RAN, VERB_VERB_HELP, VERB_OPERANDS */
	const char *name;        /* VERB_UNKNOWN: the name given */
	unsigned operands;       /* VERB_OPERANDS: how many were given */
	int status;              /* the process exit status */
};

/**
 * dispatch_verb() - run the verb named by argv[1] of @verbs (@n of them).
 * Recognises --help/-h/help, --version and "VERB --help" (anywhere before a
 * "--") itself, so verbs only parse their real options.
 * Return: the process exit status, also in @ret->status.
 */
int dispatch_verb(int argc, char *argv[], const struct verb *const *verbs, unsigned n,
		  struct verb_dispatch *ret);

/**
 * verb_operands() - called by the running verb once its options are parsed,
 * with @n = argc - optind: is that within its table entry's counts?
 * Return: 0, or -EINVAL (dispatch_verb() then reports VERB_OPERANDS).
 */
int verb_operands(int n);

/**
 * log_verb_dispatch() - what main() prints for @d: the tool's usage (about
 * says what the tool is for), a verb's help or the version on stdout, the
 * usage errors on stderr. Return: d->status.
 */
int log_verb_dispatch(const struct verb_dispatch *d, const struct verb *const *verbs, unsigned n,
		      const char *about);
