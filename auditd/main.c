// SPDX-License-Identifier: GPL-2.0-only
/* ipe-auditd: what an IPE policy would deny, and the safe switch to enforce. */
#include "auditd/verbs.h"
#include "lib/fileio.h"
#include "lib/log.h"
#include "lib/verbs.h"

/* Help texts: one line per option; the man pages (docs/man/ipe-auditd-*.1) say the rest. */
static const struct verb verbs[] = {
	{
		.name = "report",
		.run = verb_report,
		.synopsis = "report [--json] [--since T] [--until T] LOG...",
		.help = "What would break under enforce, from the logs of `ipe-auditd run` (one or\n"
			"many machines; \"-\" is standard input): would-be denials by executable,\n"
			"volume, reason and ancestry, the policy lines that would allow the\n"
			"dm-verity volumes, and the fix where no rule can help.\n\n"
			"  --json                   print one JSON object\n"
			"  --since T, --until T     only records in this window (RFC 3339, a date, or @SECONDS)\n",
	},
	{
		.name = "gate",
		.run = verb_gate,
		.synopsis = "gate [--json] [--since T] [--policy FILE] LOG...",
		.help = "Exit 0 only when the logs show, in the window, no would-be denial, no lost\n"
			"event, no mismatch, no gap longer than the stats interval, and the policy\n"
			"about to be enforced; else exit 1 with each reason on its own line.\n\n"
			"  --json                   print one JSON object\n"
			"  --since T                the window's start (default: each machine's first start record)\n"
			"  --policy FILE            the logs must have been made with this policy (sha256)\n",
	},
	{
		.name = "enforce",
		.run = verb_enforce,
		.synopsis = "enforce POLICY.p7b [--confirm-timeout SEC] [--no-confirm] [--gate LOG... [--force]]",
		.help = "Load the signed policy (update of the loaded policy of its name, else\n"
			"new_policy; the whole file in one write), activate it and set enforce=1.\n"
			"Unless 'ipe-auditd confirm' arrives in time, a detached watchdog sets\n"
			"enforce back to 0 and re-activates the previous policy. Kernel refusals\n"
			"are explained (ENOKEY, EKEYREJECTED, EBADMSG, ESTALE, EEXIST, EPERM, EINVAL).\n\n"
			"  --confirm-timeout SEC    seconds to wait for confirm (default 120)\n"
			"  --no-confirm             switch without asking for confirmation\n"
			"  --gate                   run the gate on the LOGs after POLICY first; refuse on failure\n"
			"  --force                  switch even when the gate fails\n",
	},
	{
		.name = "confirm",
		.run = verb_confirm,
		.synopsis = "confirm",
		.help = "Keep the pending switch to enforce (from any shell). Exit 1 when none is\n"
			"pending, its deadline has passed, or IPE no longer enforces its policy.\n",
	},
	{
		.name = "status",
		.run = verb_status,
		.synopsis = "status [--json]",
		.help = "Show IPE's state: enforce, success_audit, the active policy, every loaded\n"
			"policy with its version, and the last switch to enforce.\n\n"
			"  --json                   print one JSON object\n",
	},
};

int main(int argc, char *argv[])
{
	log_set_program("ipe-auditd");
	log_parse_environment();
	if (atomic_file_cleanup_on_signal() < 0)
		log_warning("cannot handle signals: an interrupted run may leave a temporary file");
	return dispatch_verb(argc, argv, verbs, ELEMENTSOF(verbs),
			     "what an IPE policy would deny, and the safe switch to enforce");
}
