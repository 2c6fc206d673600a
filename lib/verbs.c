// SPDX-License-Identifier: GPL-2.0-only
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "lib/log.h"
#include "lib/verbs.h"

#ifndef IPE_TOOLS_VERSION
#define IPE_TOOLS_VERSION "0.1.0"
#endif

static void print_help(const char *about, const struct verb *verbs, unsigned n)
{
	printf("%s - %s\n\nUsage:\n", log_program(), about);
	for (unsigned i = 0; i < n; i++)
		printf("  %s %s\n", log_program(), verbs[i].synopsis);
	printf("\nSee %s(1). Exit status: 0 success, 1 negative result, 2 usage or system error.\n",
	       log_program());
}

static bool wants_help(int argc, char *argv[])
{
	for (int i = 1; i < argc && !streq(argv[i], "--"); i++)
		if (streq(argv[i], "--help"))
			return true;
	return false;
}

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

int dispatch_verb(int argc, char *argv[], const struct verb *verbs, unsigned n, const char *about)
{
	const char *name;
	int r;

	if (argc < 2) {
		usage_error("no verb given (try --help)");
		return EXIT_ERROR;
	}
	name = argv[1];
	if (streq(name, "--help") || streq(name, "-h") || streq(name, "help")) {
		print_help(about, verbs, n);
		return 0;
	}
	if (streq(name, "--version")) {
		printf("%s %s\n", log_program(), IPE_TOOLS_VERSION);
		return 0;
	}
	for (unsigned i = 0; i < n; i++) {
		if (!streq(verbs[i].name, name))
			continue;
		if (wants_help(argc - 1, argv + 1)) {
			printf("Usage: %s %s\n", log_program(), verbs[i].synopsis);
			if (verbs[i].help)
				printf("\n%s", verbs[i].help);
			return 0;
		}
		optind = 0; /* each verb parses its own options from scratch */
		r = verbs[i].run(argc - 1, argv + 1);
		if (r < 0)
			return EXIT_ERROR;
		return r;
	}
	usage_error("unknown verb '%s' (try --help)", name);
	return EXIT_ERROR;
}

int log_output_error(int error, const char *path, const char *what)
{
	switch (-error) {
	case ENOLINK:
		return log_error_errno(error, "%s: a symbolic link owned by another user in a sticky world-writable directory; not following it, as the kernel's fs.protected_symlinks rule would not (remove it, or name its target)",
				       path);
	case EPERM:
		return log_error_errno(error, "%s: not a regular file; refusing to replace it with one (name a new file, or - for standard output)",
				       path);
	case EEXIST:
		return log_error_errno(error, "%s: already exists; not replacing it", path);
	default:
		return log_error_errno(error, "%s: %s: %m", path, what);
	}
}
