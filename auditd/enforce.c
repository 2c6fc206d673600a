// SPDX-License-Identifier: GPL-2.0-only
/*
 * ipe-auditd enforce: load a signed policy the way systemd's IPE loader does
 * (update of the loaded policy of that name, else new_policy; the whole file
 * in one write), activate it, set enforce=1, and leave a detached watchdog
 * that sets enforce back to 0 and re-activates the previous policy unless
 * `ipe-auditd confirm` arrives before the timeout.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auditd/gate.h"
#include "auditd/ipe_explain.h"
#include "auditd/ipefs.h"
#include "auditd/policy_file.h"
#include "auditd/switch_state.h"
#include "auditd/verbs.h"
#include "auditd/watchdog.h"
#include "lib/log.h"
#include "lib/parse_util.h"
#include "lib/verbs.h"

#define DEFAULT_TIMEOUT 120
#define MAX_TIMEOUT 86400

static int fail_step(int r, const struct ipe_explain_ctx *c, const char *path)
{
	_cleanup_free_ char *why = ipe_explain(r, c);

	return log_error_errno(r, "%s: %s", path, why ?: "out of memory");
}

/* A pending switch of this boot whose watchdog still runs blocks another one. */
static int refuse_concurrent(void)
{
	_cleanup_(switch_state_done) struct switch_state s = {};
	char t[TIMESTAMP_MAX];
	int r = switch_read(&s);

	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return log_error_errno(r, "cannot read the state of the last switch: %m");
	if (s.phase != SWITCH_PENDING)
		return 0;
	if (s.watchdog > 0 && kill(s.watchdog, 0) == 0)
		return log_error_errno(-EBUSY,
				       "a switch to %s %s is pending until %s: run 'ipe-auditd confirm' "
				       "or wait for it to revert",
				       s.name, s.version ?: "?",
				       timestamp_format(s.deadline_wall, t, sizeof(t)));
	log_warning("the pending switch to %s %s lost its watchdog (pid %d); replacing it", s.name,
		    s.version ?: "?", (int)s.watchdog);
	return 0;
}

const struct verb enforce_verb = {
	.name = "enforce",
	.run = verb_enforce,
	.min_operands = 1,
	.max_operands = VERB_ANY,
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
};

int verb_enforce(int argc, char *argv[])
{
	static const struct option options[] = { { "confirm-timeout", required_argument, NULL, 't' },
						 { "no-confirm", no_argument, NULL, 'n' },
						 { "gate", no_argument, NULL, 'g' },
						 { "force", no_argument, NULL, 'f' },
						 {} };
	_cleanup_(switch_state_done) struct switch_state st = {};
	_cleanup_close_ int lock = -1;
	struct policy_file pf = {};
	struct ipe_state ipe = {};
	struct ipe_explain_ctx ctx = {};
	const struct ipe_loaded *old;
	char version[24], t[TIMESTAMP_MAX];
	uint32_t timeout = DEFAULT_TIMEOUT;
	bool no_confirm = false, gate = false, force = false, updated;
	const char *path;
	int c, r;

	while ((c = getopt_long(argc, argv, "", options, NULL)) >= 0) {
		switch (c) {
		case 't':
			if (safe_atou32(optarg, &timeout) < 0 || timeout == 0 || timeout > MAX_TIMEOUT)
				return usage_error("--confirm-timeout: '%s' is not a number of seconds from 1 to %d",
						   optarg, MAX_TIMEOUT);
			break;
		case 'n':
			no_confirm = true;
			break;
		case 'g':
			gate = true;
			break;
		case 'f':
			force = true;
			break;
		default:
			return -EINVAL;
		}
	}
	r = verb_operands(argc - optind);
	if (r < 0)
		return r;
	if (gate != (argc - optind > 1))
		return usage_error(gate ? "--gate needs at least one LOG after the policy"
					: "enforce takes one policy; logs only with --gate");
	if (force && !gate)
		return usage_error("--force only overrides --gate");
	path = argv[optind];

	r = policy_file_load(path, &pf);
	if (r < 0) {
		log_error_errno(r, "%s: cannot read the policy: %m", path);
		goto out;
	}
	if (pf.name)
		snprintf(version, sizeof(version), "%hu.%hu.%hu", pf.version[0], pf.version[1],
			 pf.version[2]);
	else
		log_warning("%s: the policy inside cannot be read here; the kernel decides", path);

	if (gate) {
		r = gate_logs(argv + optind + 1, argc - optind - 1, 0, path, false);
		if (r < 0)
			goto out;
		if (r > 0 && !force) {
			log_error("%s: the gate refuses the switch (--force switches anyway)", path);
			goto out;
		}
		if (r > 0)
			log_warning("%s: switching despite the gate (--force)", path);
	}

	lock = switch_lock();
	if (lock < 0) {
		r = log_error_errno(lock, "cannot lock %s: %m", SWITCH_RUNTIME_DIR);
		goto out;
	}
	r = refuse_concurrent();
	if (r < 0)
		goto out;
	r = ipe_state_read(&ipe);
	if (r == -ENOENT) {
		log_error("%s: IPE is not available: no " IPE_FS
			  " (securityfs not mounted, or ipe not among "
			  "the active LSMs in /sys/kernel/security/lsm)",
			  path);
		goto out;
	}
	if (r < 0) {
		log_error_errno(r, "%s: cannot read IPE's state under " IPE_FS ": %m", path);
		goto out;
	}
	old = ipe_state_find(&ipe, pf.name);

	/* Load: update when the name is loaded (systemd's loader does the same), else new_policy. */
	r = ipe_policy_load(pf.name, pf.data, pf.len, &updated);
	if (r < 0) {
		ctx = (struct ipe_explain_ctx){ .step = updated ? IPE_STEP_UPDATE : IPE_STEP_NEW_POLICY,
						.name = pf.name,
						.version = pf.name ? version : NULL,
						.old_version = old ? old->version : NULL,
						.file_signed = pf.signed_ };
		r = fail_step(r, &ctx, path);
		goto out;
	}
	if (!pf.name) {
		/* The kernel took what we could not parse; never switch to something unknown. */
		r = log_error_errno(-EBADMSG,
				    "%s: loaded, but its name is unknown here; not activating it",
				    path);
		goto out;
	}
	r = ipe_policy_activate(pf.name);
	if (r < 0) {
		ctx = (struct ipe_explain_ctx){ .step = IPE_STEP_ACTIVATE,
						.name = pf.name,
						.version = version,
						.active_name = ipe.active ? ipe.active->name : NULL,
						.active_version = ipe.active ? ipe.active->version
									     : NULL };
		fail_step(r, &ctx, path);
		/* Leave the kernel as it was: a policy just created is deleted again. */
		if (!updated && ipe_policy_delete(pf.name) >= 0)
			log_info("%s: %s %s removed again", path, pf.name, version);
		goto out;
	}

	st = (struct switch_state){
		.phase = no_confirm ? SWITCH_CONFIRMED : SWITCH_PENDING,
		.name = strdup(pf.name),
		.version = strdup(version),
		.sha256 = strdup(pf.sha256),
		.prev_name = ipe.active ? strdup(ipe.active->name) : NULL,
		.prev_version = ipe.active ? strdup(ipe.active->version) : NULL,
		.prev_enforce = ipe.enforce,
		.updated = updated,
		.deadline = boottime_now() + (int64_t)timeout * NSEC_PER_SEC,
		.deadline_wall = (nsec_t)time(NULL) * NSEC_PER_SEC + (int64_t)timeout * NSEC_PER_SEC,
		.tty = isatty(STDERR_FILENO) && ttyname(STDERR_FILENO) ? strdup(ttyname(STDERR_FILENO))
								       : NULL,
	};
	if (!st.name || !st.version || !st.sha256) {
		r = log_error_errno(-ENOMEM, "out of memory");
		goto out;
	}
	if (!no_confirm) {
		r = watchdog_start(st.deadline, &st.watchdog);
		if (r < 0) {
			log_error_errno(r, "cannot start the watchdog: %m; enforce stays %d",
					ipe.enforce);
			goto out;
		}
	}
	r = switch_write(&st);
	if (r < 0) {
		log_error_errno(r, "cannot write the switch state under %s: %m; enforce stays %d",
				SWITCH_RUNTIME_DIR, ipe.enforce);
		if (st.watchdog > 0)
			kill(st.watchdog, SIGKILL);
		goto out;
	}

	r = ipe_set_enforce(true);
	if (r < 0) {
		_cleanup_free_ char *msg = NULL;

		ctx = (struct ipe_explain_ctx){ .step = IPE_STEP_ENFORCE,
						.name = pf.name,
						.version = version };
		fail_step(r, &ctx, path);
		(void)switch_revert(&st, &msg);
		st.phase = SWITCH_FAILED;
		st.message = msg ? strdup(msg) : NULL;
		(void)switch_write(&st);
		if (st.watchdog > 0)
			kill(st.watchdog, SIGTERM);
		log_error("%s", msg ?: "out of memory");
		goto out;
	}

	printf("%s %s %s and active; enforce=1\n", pf.name, version, updated ? "updated" : "loaded");
	if (no_confirm)
		printf("No confirmation asked (--no-confirm). IPE forgets enforce and loaded policies at reboot.\n");
	else
		printf("Run 'ipe-auditd confirm' before %s (%u s), from any shell, or IPE returns to "
		       "enforce=0%s%s%s.\n",
		       timestamp_format(st.deadline_wall, t, sizeof(t)), timeout,
		       st.prev_name && !streq(st.prev_name, pf.name) ? " and " : "",
		       st.prev_name && !streq(st.prev_name, pf.name) ? st.prev_name : "",
		       st.prev_name && !streq(st.prev_name, pf.name) ? " is active again" : "");
	r = fflush(stdout) == 0 ? 0 : -errno;
out:
	ipe_state_done(&ipe);
	policy_file_done(&pf);
	return r;
}
