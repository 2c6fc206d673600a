// SPDX-License-Identifier: GPL-2.0-only
/*
 * ipe-auditd confirm: keep the pending switch to enforce. Only while it is
 * pending and before its deadline, and only when IPE still has the policy
 * active and enforce=1; the watchdog then ends without touching anything.
 */
#include <signal.h>
#include <stdio.h>

#include "auditd/ipefs.h"
#include "auditd/switch_state.h"
#include "auditd/verbs.h"
#include "lib/log.h"
#include "lib/verbs.h"

const struct verb confirm_verb = {
	.name = "confirm",
	.run = verb_confirm,
	.min_operands = 0,
	.max_operands = 0,
	.synopsis = "confirm",
	.help = "Keep the pending switch to enforce (from any shell). Exit 1 when none is\n"
		"pending, its deadline has passed, or IPE no longer enforces its policy.\n",
};

int verb_confirm(int argc, char *argv[] _unused_)
{
	_cleanup_(switch_state_done) struct switch_state s = {};
	_cleanup_close_ int lock = -1;
	struct ipe_state ipe = {};
	int r;

	r = verb_operands(argc - 1);
	if (r < 0)
		return r;
	lock = switch_lock();
	if (lock < 0)
		return log_error_errno(lock, "cannot lock %s: %m", SWITCH_RUNTIME_DIR);
	r = switch_read(&s);
	if (r == -ENOENT) {
		log_error("no switch to enforce is pending");
		return EXIT_NEGATIVE;
	}
	if (r < 0)
		return log_error_errno(r, "cannot read the state of the switch: %m");
	if (s.phase != SWITCH_PENDING) {
		log_error("no switch is pending: the last one (%s %s) was %s%s%s", s.name,
			  s.version ?: "?", switch_phase_name(s.phase), s.message ? ": " : "",
			  s.message ?: "");
		return EXIT_NEGATIVE;
	}
	if (boottime_now() >= s.deadline) {
		log_error("too late: the deadline of the switch to %s %s has passed; it is being reverted",
			  s.name, s.version ?: "?");
		return EXIT_NEGATIVE;
	}
	r = ipe_state_read(&ipe);
	if (r < 0) {
		log_error_errno(r, "cannot read IPE's state under " IPE_FS ": %m");
		goto out;
	}
	if (ipe.enforce != 1 || !ipe.active || !streq(ipe.active->name, s.name)) {
		log_error("IPE no longer has %s active with enforce=1 (active: %s, enforce=%d): not confirming",
			  s.name, ipe.active ? ipe.active->name : "none", ipe.enforce);
		r = EXIT_NEGATIVE;
		goto out;
	}
	s.phase = SWITCH_CONFIRMED;
	r = switch_write(&s);
	if (r < 0) {
		log_error_errno(r, "cannot record the confirmation: %m; the switch stays pending");
		goto out;
	}
	if (s.watchdog > 0)
		(void)kill(s.watchdog, SIGTERM); /* it finds the switch confirmed and ends */
	printf("confirmed: %s %s stays active with enforce=1 (until reboot: IPE keeps neither across one)\n",
	       s.name, s.version ?: "?");
	r = fflush(stdout) == 0 ? 0 : -errno;
out:
	ipe_state_done(&ipe);
	return r;
}
