// SPDX-License-Identifier: GPL-2.0-only
/* ipe-auditd: loading IPE policies at boot, and auditing what they would deny. */
#include "auditd/verbs.h"
#include "lib/fileio.h"
#include "lib/log.h"
#include "lib/verbs.h"

static const struct verb verbs[] = {
	{
		.name = "load",
		.run = verb_load,
		.synopsis = "load [DIR...]",
		.help = "Load and activate the signed IPE policies NAME.p7b found in DIR... (default\n"
			"/etc/ipe, /run/ipe, /usr/local/lib/ipe, /usr/lib/ipe), as systemd (v257+)\n"
			"does at boot: a file in an earlier directory overrides one of the same name\n"
			"in a later one, and one that is empty or a link to /dev/null masks it. NAME\n"
			"must be the policy's policy_name. A loaded policy is updated, a new one\n"
			"loaded; each is then activated. A policy the kernel already holds at the same\n"
			"or a higher version is skipped. Exit 1 when the kernel refused a policy.\n",
	},
};

int main(int argc, char *argv[])
{
	log_set_program("ipe-auditd");
	log_parse_environment();
	if (atomic_file_cleanup_on_signal() < 0)
		log_warning("cannot handle signals: an interrupted run may leave a temporary file");
	return dispatch_verb(argc, argv, verbs, ELEMENTSOF(verbs),
			     "IPE policy loading and auditing");
}
