// SPDX-License-Identifier: GPL-2.0-only
/* ipe-auditd: the run-time half of ipe-tools (what IPE would deny, before it does). */
#include "lib/log.h"
#include "lib/macro.h"
#include "lib/verbs.h"
#include "auditd/verbs.h"

/* Help texts: one line per option; the man pages (docs/man/ipe-auditd*.1) say the rest. */
static const struct verb verbs[] = {
	{
		.name = "run",
		.run = verb_run,
		.synopsis = "run --policy FILE [OPTIONS]",
		.help = "Watch every exec and executable mapping with eBPF, evaluate the candidate\n"
			"policy FILE (text or signed .p7b) as IPE would, and report each would-be\n"
			"denial as JSON Lines (docs/events.md).\n\n"
			"  --policy FILE            the candidate policy\n"
			"  --backend B              auto (default), lsm or tracepoint\n"
			"  --output FILE            append records to FILE (default: standard output)\n"
			"  --format F               json or text (default: text on a terminal, else json)\n"
			"  --duration SEC           stop after SEC seconds\n"
			"  --stats-interval SEC     a stats record every SEC seconds (default 60, 0: only at exit)\n"
			"  --ready-fd N             write a newline to fd N once attached (s6 notification-fd)\n"
			"  --ring-size BYTES        ring buffer size, a power of two (default 2 MiB)\n"
			"  --all                    also report what the policy allows\n"
			"  --no-dedup               report every denial, not only the first of each file\n\n"
			"Exit status: 0 stopped by a signal or --duration, 2 usage or system error.\n",
	},
};

int main(int argc, char *argv[])
{
	log_set_program("ipe-auditd");
	log_parse_environment();
	return dispatch_verb(argc, argv, verbs, ELEMENTSOF(verbs),
			     "report what an IPE policy would deny, before it is enforced");
}
