// SPDX-License-Identifier: GPL-2.0-only
/* ipe-auditd: the run-time half of ipe-tools: what IPE would deny before it does, the safe switch to enforce, loading at boot. */
#include "auditd/verbs.h"
#include "lib/fileio.h"
#include "lib/log.h"
#include "lib/verbs.h"

/* In the order of the work: audit, read the logs, gate, explain a decision, switch, load at boot. */
static const struct verb *const verbs[] = {
	&run_verb,     &report_verb,  &gate_verb,   &explain_verb,
	&enforce_verb, &confirm_verb, &status_verb, &load_verb,
};

int main(int argc, char *argv[])
{
	struct verb_dispatch d;

	(void)stdio_reserve(); /* before anything is opened: no file may become stdout or stderr */
	log_set_program("ipe-auditd");
	log_parse_environment();
	if (atomic_file_cleanup_on_signal() < 0)
		log_warning("cannot handle signals: an interrupted run may leave a temporary file");
	dispatch_verb(argc, argv, verbs, ELEMENTSOF(verbs), &d);
	return log_verb_dispatch(&d, verbs, ELEMENTSOF(verbs),
				 "what an IPE policy would deny, before it is enforced; the safe switch to enforce");
}
