// SPDX-License-Identifier: GPL-2.0-only
/*
 * ipe-auditd gate: may this machine (or these machines) switch to enforce?
 * Ready only when, in the window, the logs show no would-be denial, no lost
 * event and no mismatch with the kernel, cover the whole window (a start
 * record, then stats records no further apart than the stats interval), and
 * were made with the policy about to be enforced.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "auditd/analysis.h"
#include "auditd/gate.h"
#include "auditd/policy_file.h"
#include "auditd/verb_util.h"
#include "auditd/verbs.h"
#include "json/json.h"
#include "lib/log.h"
#include "lib/verbs.h"

static int reason(struct json_object *reasons, const char *fmt, ...)
{
	_cleanup_free_ char *s = NULL;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0)
		return -ENOMEM;
	return json_object_array_add(reasons, json_object_new_string(s)) < 0 ? -ENOMEM : 0;
}

static int judge(struct analysis *a, const struct policy_file *pf, const char *policy_path,
		 struct json_object *reasons)
{
	char t1[TIMESTAMP_MAX], t2[TIMESTAMP_MAX];
	const char *first_sha = NULL;
	int r = 0;

	if (a->n_machines == 0)
		return reason(reasons, "no record of ipe-auditd run in the logs");
	if (a->counts.corrupt)
		r = reason(reasons, "%llu line(s) are not records: the logs may have been altered",
			   (unsigned long long)a->counts.corrupt);
	for (size_t i = 0; r >= 0 && i < a->n_machines; i++) {
		const struct machine *m = &a->machines[i];
		struct coverage c;
		nsec_t from = a->since;

		if (!from) /* the machine's first start record */
			for (size_t b = 0; b < m->n_beats; b++)
				if (m->beats[b].start && (!from || m->beats[b].time < from))
					from = m->beats[b].time;
		analysis_coverage(a, i, from ?: m->first_record, a->last_record, &c);
		if (a->since > a->last_record)
			r = reason(reasons, "%s: the logs end at %s, before the window starts",
				   m->name, timestamp_format(a->last_record, t1, sizeof(t1)));
		else if (c.no_start)
			r = reason(reasons,
				   "%s: no start record: the logs do not show which policy was audited",
				   m->name);
		else if (c.no_interval)
			r = reason(reasons,
				   "%s: a run without periodic stats records (its start record's "
				   "stats_interval is 0 or missing): coverage cannot be proven",
				   m->name);
		else if (c.gaps)
			r = reason(reasons,
				   "%s: the logs do not cover %s to %s (%llu gap(s) longer than the stats interval of %llds)",
				   m->name, timestamp_format(c.gap_from, t1, sizeof(t1)),
				   timestamp_format(c.gap_to, t2, sizeof(t2)),
				   (unsigned long long)c.gaps, (long long)c.interval);
		if (r >= 0 && c.lost > 0)
			r = reason(reasons, "%s: %lld event(s) lost", m->name, (long long)c.lost);
		if (r >= 0 && m->denials)
			r = reason(reasons, "%s: %llu would-be denial(s) (see ipe-auditd report)",
				   m->name, (unsigned long long)m->denials);
		if (r >= 0 && m->mismatches)
			r = reason(reasons,
				   "%s: %llu mismatch record(s): the auditor and the kernel disagree",
				   m->name, (unsigned long long)m->mismatches);
	}
	for (size_t i = 0; r >= 0 && i < a->n_policies; i++) {
		const struct policy_seen *p = &a->policies[i];
		const char *mn = a->machines[p->machine].name;

		if (!p->sha256)
			r = reason(reasons, "%s: a start record names no policy sha256", mn);
		else if (pf && !policy_file_matches(pf, p->sha256))
			r = reason(reasons,
				   "%s: the logs were made with policy %s %s (sha256 %s), not %s (sha256 %s)",
				   mn, p->name ?: "?", p->version ?: "?", p->sha256, policy_path,
				   pf->sha256);
		else if (!pf && first_sha && strcasecmp(first_sha, p->sha256) != 0)
			r = reason(reasons,
				   "%s: the logs were made with more than one policy (sha256 %s and %s)",
				   mn, first_sha, p->sha256);
		if (p->sha256 && !first_sha)
			first_sha = p->sha256;
	}
	return r;
}

int gate_logs(char *const *logs, int n, nsec_t since, const char *policy_path, bool json)
{
	_cleanup_json_ struct json_object *reasons = json_object_new_array();
	struct policy_file pf = {};
	struct analysis a;
	size_t nr;
	int r;

	if (!reasons)
		return log_error_errno(-ENOMEM, "out of memory");
	if (policy_path) {
		r = policy_file_load(policy_path, &pf);
		if (r < 0 || pf.kernel_errno) {
			/* A file the kernel would not load cannot be the policy about to be enforced. */
			log_error("%s", pf.error);
			policy_file_done(&pf);
			return r == -ENOMEM ? r : -EINVAL;
		}
	}
	r = analysis_init(&a, since, NSEC_INFINITY);
	if (r < 0)
		log_error_errno(r, "out of memory");
	else
		r = read_logs_logged(&a, logs, n);
	if (r >= 0) {
		r = judge(&a, policy_path ? &pf : NULL, policy_path, reasons);
		if (r < 0)
			log_error_errno(r, "out of memory");
	}
	if (r >= 0) {
		nr = json_object_array_length(reasons);
		if (json) {
			_cleanup_json_ struct json_object *o = json_object_new_object();

			json_add(o, "type", json_object_new_string("gate"));
			json_add(o, "ready", json_object_new_boolean(nr == 0));
			json_add(o, "reasons", json_object_get(reasons));
			json_add(o, "denials", json_object_new_uint64(a.denials));
			json_add(o, "mismatches", json_object_new_uint64(a.mismatches));
			json_add(o, "torn", json_object_new_uint64(a.counts.torn));
			json_add(o, "corrupt", json_object_new_uint64(a.counts.corrupt));
			r = json_write_line(STDOUT_FILENO, o);
		} else {
			for (size_t i = 0; i < nr; i++)
				print_line("%s", json_object_get_string(
							 json_object_array_get_idx(reasons, i)));
			if (nr == 0)
				print_line("ready: %zu machine(s), no would-be denial, no lost event, logs cover the window",
					   a.n_machines);
			r = fflush(stdout) == 0 ? 0 : -errno;
		}
		if (r < 0)
			log_error_errno(r, "cannot write the verdict: %m");
		else
			r = nr ? EXIT_NEGATIVE : 0;
	}
	analysis_done(&a);
	policy_file_done(&pf);
	return r;
}

const struct verb gate_verb = {
	.name = "gate",
	.run = verb_gate,
	.min_operands = 1,
	.max_operands = VERB_ANY,
	.synopsis = "gate [--json] [--since T] [--policy FILE] LOG...",
	.help = "Exit 0 only when the logs show, in the window, no would-be denial, no lost\n"
		"event, no mismatch, no gap longer than the stats interval, and the policy\n"
		"about to be enforced; else exit 1 with each reason on its own line.\n\n"
		"  --json                   print one JSON object\n"
		"  --since T                the window's start (default: each machine's first start record)\n"
		"  --policy FILE            the logs must have been made with this policy (sha256)\n",
};

int verb_gate(int argc, char *argv[])
{
	static const struct option options[] = { { "json", no_argument, NULL, 'j' },
						 { "since", required_argument, NULL, 's' },
						 { "policy", required_argument, NULL, 'p' },
						 {} };
	const char *policy = NULL;
	nsec_t since = 0;
	bool json = false;
	int c, r;

	while ((c = getopt_long(argc, argv, "", options, NULL)) >= 0) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 's':
			r = parse_time_arg("--since", optarg, &since);
			if (r < 0)
				return r;
			break;
		case 'p':
			policy = optarg;
			break;
		default:
			return -EINVAL;
		}
	}
	if (verb_operands(argc - optind) < 0)
		return -EINVAL;
	return gate_logs(argv + optind, argc - optind, since, policy, json);
}
