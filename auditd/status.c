// SPDX-License-Identifier: GPL-2.0-only
/* ipe-auditd status: IPE's state (policies, versions, the active one, enforce,
 * success_audit) and the last switch to enforce with its deadline. */
#include <getopt.h>
#include <stdio.h>

#include "auditd/ipefs.h"
#include "auditd/switch_state.h"
#include "auditd/verbs.h"
#include "json/json.h"
#include "lib/log.h"
#include "lib/verbs.h"

static struct json_object *mode_json(int v)
{
	return v < 0 ? NULL : json_object_new_boolean(v);
}

static int status_json(const struct ipe_state *ipe, const struct switch_state *s, bool have_switch)
{
	_cleanup_json_ struct json_object *o = json_object_new_object();
	struct json_object *arr = json_object_new_array(), *x;
	char t[TIMESTAMP_MAX];

	if (!o || !arr) {
		json_object_put(arr);
		return -ENOMEM;
	}
	json_add(o, "type", json_object_new_string("status"));
	json_add(o, "enforce", mode_json(ipe->enforce));
	json_add(o, "success_audit", mode_json(ipe->success_audit));
	json_add(o, "active", ipe->active ? json_object_new_string(ipe->active->name) : NULL);
	for (size_t i = 0; i < ipe->n_policies; i++) {
		x = json_object_new_object();
		json_add(x, "name", json_str_new(ipe->policies[i].name));
		json_add(x, "version", json_object_new_string(ipe->policies[i].version));
		json_add(x, "active", json_object_new_boolean(ipe->policies[i].active));
		json_object_array_add(arr, x);
	}
	json_add(o, "policies", arr);
	if (have_switch) {
		x = json_object_new_object();
		json_add(x, "phase", json_object_new_string(switch_phase_name(s->phase)));
		json_add(x, "name", json_str_new(s->name));
		json_add(x, "version", json_str_new(s->version));
		json_add(x, "sha256", json_str_new(s->sha256));
		json_add(x, "previous", json_str_new(s->prev_name));
		json_add(x, "previous_version", json_str_new(s->prev_version));
		json_add(x, "previous_enforce",
			 s->prev_enforce < 0 ? NULL : json_object_new_boolean(s->prev_enforce));
		json_add(x, "deadline",
			 json_object_new_string(timestamp_format(s->deadline_wall, t, sizeof(t))));
		json_add(x, "seconds_left",
			 s->phase == SWITCH_PENDING
				 ? json_object_new_int64(
					   MAX(0, (s->deadline - boottime_now()) / NSEC_PER_SEC))
				 : NULL);
		json_add(x, "watchdog_pid", s->watchdog > 0 ? json_object_new_int(s->watchdog) : NULL);
		json_add(x, "message", json_str_new(s->message));
		json_add(o, "switch", x);
	} else
		json_add(o, "switch", NULL);
	return json_write_line(STDOUT_FILENO, o);
}

static void status_text(const struct ipe_state *ipe, const struct switch_state *s, bool have_switch)
{
	char t[TIMESTAMP_MAX];

	printf("enforce: %s\nsuccess_audit: %s\nactive policy: %s\n",
	       ipe->enforce < 0 ? "?"
	       : ipe->enforce   ? "1 (enforce)"
				: "0 (permissive)",
	       ipe->success_audit < 0 ? "?"
	       : ipe->success_audit   ? "1"
				      : "0",
	       ipe->active ? ipe->active->name : "none");
	printf("loaded policies:%s\n", ipe->n_policies ? "" : " none");
	for (size_t i = 0; i < ipe->n_policies; i++)
		printf("  %-32s %s%s\n", ipe->policies[i].name, ipe->policies[i].version,
		       ipe->policies[i].active ? "  (active)" : "");
	if (!have_switch)
		return;
	printf("switch to %s %s: %s", s->name, s->version ?: "?", switch_phase_name(s->phase));
	if (s->phase == SWITCH_PENDING)
		printf(", %lld s left (until %s): ipe-auditd confirm",
		       (long long)MAX(0, (s->deadline - boottime_now()) / NSEC_PER_SEC),
		       timestamp_format(s->deadline_wall, t, sizeof(t)));
	printf("\n");
	if (s->message)
		printf("  %s\n", s->message);
}

const struct verb status_verb = {
	.name = "status",
	.run = verb_status,
	.min_operands = 0,
	.max_operands = 0,
	.synopsis = "status [--json]",
	.help = "Show IPE's state: enforce, success_audit, the active policy, every loaded\n"
		"policy with its version, and the last switch to enforce.\n\n"
		"  --json                   print one JSON object\n",
};

int verb_status(int argc, char *argv[])
{
	static const struct option options[] = { { "json", no_argument, NULL, 'j' }, {} };
	_cleanup_(switch_state_done) struct switch_state s = {};
	struct ipe_state ipe = {};
	bool json = false, have_switch;
	int c, r;

	while ((c = getopt_long(argc, argv, "", options, NULL)) >= 0) {
		if (c != 'j')
			return -EINVAL;
		json = true;
	}
	r = verb_operands(argc - optind);
	if (r < 0)
		return r;
	r = ipe_state_read(&ipe);
	if (r < 0) {
		if (r == -ENOENT)
			log_error("IPE is not available: no " IPE_FS " (securityfs not mounted, or ipe not "
				  "among the active LSMs)");
		else
			log_error_errno(r, "cannot read IPE's state under " IPE_FS ": %m");
		goto out;
	}
	/* The state is read without the lock: status only looks. */
	r = switch_read(&s);
	have_switch = r >= 0;
	if (r < 0 && r != -ENOENT)
		log_warning_errno(r, "cannot read the state of the last switch: %m");
	if (json)
		r = status_json(&ipe, &s, have_switch);
	else {
		status_text(&ipe, &s, have_switch);
		r = fflush(stdout) == 0 ? 0 : -errno;
	}
	if (r < 0)
		log_error_errno(r, "cannot write the status: %m");
out:
	ipe_state_done(&ipe);
	return r;
}
