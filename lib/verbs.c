// SPDX-License-Identifier: GPL-2.0-only
/* The verb dispatcher (lib/verbs.h); it decides, main() reports. */
#include <getopt.h>
#include <stdbool.h>

#include "lib/macro.h"
#include "lib/verbs.h"

/* The verb running now and the operands it was given, for verb_operands(). */
static const struct verb *running;
static int bad_operands = -1;

static bool wants_help(int argc, char *argv[])
{
	for (int i = 1; i < argc && !streq(argv[i], "--"); i++)
		if (streq(argv[i], "--help"))
			return true;
	return false;
}

int verb_operands(int n)
{
	if (!running || n < 0)
		return -EINVAL;
	if ((unsigned)n < running->min_operands ||
	    (running->max_operands != VERB_ANY && (unsigned)n > running->max_operands)) {
		bad_operands = n;
		return -EINVAL;
	}
	return 0;
}

static int finish(struct verb_dispatch *d, enum verb_outcome outcome, int status)
{
	d->outcome = outcome;
	d->status = status;
	return status;
}

int dispatch_verb(int argc, char *argv[], const struct verb *const *verbs, unsigned n,
		  struct verb_dispatch *d)
{
	const char *name;
	int r;

	*d = (struct verb_dispatch){};
	if (argc < 2)
		return finish(d, VERB_MISSING, EXIT_ERROR);
	name = argv[1];
	if (streq(name, "--help") || streq(name, "-h") || streq(name, "help"))
		return finish(d, VERB_HELP, 0);
	if (streq(name, "--version"))
		return finish(d, VERB_VERSION, 0);
	for (unsigned i = 0; i < n; i++) {
		if (!streq(verbs[i]->name, name))
			continue;
		d->verb = verbs[i];
		if (wants_help(argc - 1, argv + 1))
			return finish(d, VERB_VERB_HELP, 0);
		optind = 0; /* each verb parses its own options from scratch */
		running = verbs[i];
		bad_operands = -1;
		r = verbs[i]->run(argc - 1, argv + 1);
		running = NULL;
		if (bad_operands >= 0) {
			d->operands = (unsigned)bad_operands;
			return finish(d, VERB_OPERANDS, EXIT_ERROR);
		}
		return finish(d, VERB_RAN, r < 0 ? EXIT_ERROR : r);
	}
	d->name = name;
	return finish(d, VERB_UNKNOWN, EXIT_ERROR);
}
