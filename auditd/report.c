// SPDX-License-Identifier: GPL-2.0-only
/*
 * ipe-auditd report: what would break under enforce, from the logs of
 * `ipe-auditd run` (one or many machines): the would-be denials grouped by
 * executable, volume, reason and process ancestry, with counts, first and
 * last seen and machines, the policy lines that would allow the dm-verity
 * volumes not yet allowed, and the fix where no rule can help.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "auditd/analysis.h"
#include "auditd/verb_util.h"
#include "auditd/verbs.h"
#include "json/json.h"
#include "lib/log.h"
#include "lib/verbs.h"
#include "policy/digest.h"
#include "policy/policy.h"

/* What to do when no rule for the file's volume can help, by the auditor's reason word. */
static const struct {
	const char *reason, *fix;
} fixes[] = {
	{ "not-verity", "move the file onto a dm-verity image" },
	{ "overlay-upper",
	  "the file was written to an overlay's upper layer: put it into the image (the lower layer)" },
	{ "anonymous",
	  "executable memory without a file (JIT, memfd): no property matches it; change the program or keep it off this machine" },
	{ "unsigned",
	  "open the volume with its root-hash signature (veritysetup open --root-hash-signature), or allow its root hash" },
	{ "initramfs",
	  "allow the initramfs with op=EXECUTE boot_verified=TRUE action=ALLOW only if the boot chain verifies it; else move the file onto an image" },
	{ "fsverity-missing", "enable fs-verity on the file and allow its digest (fsverity_digest=)" },
};

static const char *fix_for(const char *reason)
{
	for (size_t i = 0; reason && i < ELEMENTSOF(fixes); i++)
		if (streq(fixes[i].reason, reason))
			return fixes[i].fix;
	return NULL;
}

static struct json_object *verity_of(const struct group *g)
{
	struct json_object *v = NULL;

	if (json_object_object_get_ex(g->event, "verity", &v) &&
	    json_object_is_type(v, json_type_object))
		return v;
	return NULL;
}

static bool verity_signed(struct json_object *verity)
{
	struct json_object *s;

	return json_object_object_get_ex(verity, "signed", &s) && json_object_get_boolean(s);
}

/* The names of the bits in @mask, joined by @sep, into @buf. */
static const char *names_of(const struct analysis *a, uint32_t mask, const char *sep, char *buf,
			    size_t size)
{
	size_t o = 0;

	buf[0] = 0;
	for (size_t i = 0; i < a->n_names; i++)
		if (mask & (1u << i))
			o += (size_t)snprintf(buf + o, o < size ? size - o : 0, "%s%s",
					      o ? sep : "", a->names[i]);
	return buf;
}

static struct json_object *names_json(const struct analysis *a, uint32_t mask)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; arr && i < a->n_names; i++)
		if (mask & (1u << i))
			json_object_array_add(arr, json_object_new_string(a->names[i]));
	return arr;
}

static const char *machines_of(const struct analysis *a, const struct group *g, char *buf, size_t size)
{
	size_t o = 0;

	buf[0] = 0;
	for (size_t i = 0; i < g->n_machines; i++)
		o += (size_t)snprintf(buf + o, o < size ? size - o : 0, "%s%s", i ? "," : "",
				      a->machines[g->machines[i]].name);
	return buf;
}

static struct json_object *time_json(nsec_t t)
{
	char buf[TIMESTAMP_MAX];

	return json_object_new_string(timestamp_format(t, buf, sizeof(buf)));
}

/*
 * A root hash as run writes it, "ALG:HEX": an algorithm name (the kernel keeps
 * it verbatim, security/ipe/digest.c) and an even number of lower-case hex
 * digits. Logs come from anywhere: anything else (a space, a newline, '#'),
 * or an op IPE does not have, could smuggle another rule into a suggested
 * policy line.
 */
static bool roothash_valid(const char *rh)
{
	size_t alg = strspn(rh, "abcdefghijklmnopqrstuvwxyz0123456789-_");
	size_t hex = rh[alg] == ':' ? strspn(rh + alg + 1, "0123456789abcdef") : 0;

	return alg > 0 && alg < 64 && hex > 0 && hex % 2 == 0 &&
	       hex <= (size_t)2 * DIGEST_MAX_SIZE && !rh[alg + 1 + hex];
}

/* The policy line that allows the volume of @g for @op, or NULL (not a verity volume). */
static char *suggestion(const struct group *g, const char *op)
{
	struct json_object *v = verity_of(g);
	const char *rh = v ? json_get_str(v, "roothash") : NULL;
	char *s;

	if (!rh || !roothash_valid(rh) || ipe_op_from_name(op) == IPE_OP_INVALID)
		return NULL;
	if (asprintf(&s, "op=%s dmverity_roothash=%s action=ALLOW", op, rh) < 0)
		return NULL;
	return s;
}

/* Common fields of every group as JSON. */
static struct json_object *group_json(const struct analysis *a, const struct group *g)
{
	struct json_object *o = json_object_new_object(), *m = json_object_new_array();

	if (!o || !m) {
		json_object_put(m);
		json_object_put(o);
		return NULL;
	}
	for (size_t i = 0; i < g->n_machines; i++)
		json_object_array_add(m, json_object_new_string(a->machines[g->machines[i]].name));
	json_add(o, "count", json_object_new_uint64(g->count));
	json_add(o, "first_seen", time_json(g->first));
	json_add(o, "last_seen", time_json(g->last));
	json_add(o, "machines", m);
	json_add(o, "ops", names_json(a, g->ops));
	json_add(o, "hooks", names_json(a, g->hooks));
	return o;
}

static struct json_object *copy_field(struct json_object *ev, const char *key)
{
	struct json_object *v = NULL;

	return json_object_object_get_ex(ev, key, &v) ? json_object_get(v) : NULL;
}

/* Every suggested policy line, once, in the order of the volumes. */
static int suggestions_json(const struct analysis *a, struct group **vols, size_t n,
			    struct json_object **ret)
{
	_cleanup_json_ struct json_object *arr = json_object_new_array();
	bool all_signed = true, any = false;

	if (!arr)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct json_object *v = verity_of(vols[i]);

		if (!v || !roothash_valid(json_get_str(v, "roothash") ?: ""))
			continue;
		any = true;
		all_signed &= verity_signed(v);
		for (size_t b = 0; b < a->n_names; b++) {
			char *line;

			if (!(vols[i]->ops & (1u << b)))
				continue;
			line = suggestion(vols[i], a->names[b]);
			if (line)
				json_object_array_add(arr, json_object_new_string(line));
			free(line);
		}
	}
	if (any && all_signed)
		json_object_array_add(arr, json_object_new_string(
						   "op=EXECUTE dmverity_signature=TRUE action=ALLOW"));
	*ret = TAKE_PTR(arr);
	return 0;
}

static int report_json(const struct analysis *a, struct group **g[], size_t n[])
{
	_cleanup_json_ struct json_object *o = json_object_new_object();
	struct json_object *arr, *x, *sugg = NULL;
	int r;

	if (!o)
		return -ENOMEM;
	json_add(o, "type", json_object_new_string("report"));
	x = json_object_new_object();
	json_add(x, "since", a->since ? time_json(a->since) : NULL);
	json_add(x, "until", a->until != NSEC_INFINITY ? time_json(a->until) : NULL);
	json_add(o, "window", x);
	x = json_object_new_object();
	json_add(x, "files", json_object_new_uint64(a->counts.files));
	json_add(x, "lines", json_object_new_uint64(a->counts.lines));
	json_add(x, "records", json_object_new_uint64(a->counts.records));
	json_add(x, "torn", json_object_new_uint64(a->counts.torn));
	json_add(x, "corrupt", json_object_new_uint64(a->counts.corrupt));
	json_add(o, "inputs", x);
	json_add(o, "denials", json_object_new_uint64(a->denials));
	json_add(o, "allows", json_object_new_uint64(a->allows));
	json_add(o, "mismatches", json_object_new_uint64(a->mismatches));

	arr = json_object_new_array();
	for (size_t i = 0; i < a->n_machines; i++) {
		const struct machine *m = &a->machines[i];
		struct coverage c;

		analysis_coverage(a, i, a->since ?: m->first_record, MIN(a->until, a->last_record), &c);
		x = json_object_new_object();
		json_add(x, "name", json_object_new_string(m->name));
		json_add(x, "first_record", time_json(m->first_record));
		json_add(x, "last_record", time_json(m->last_record));
		json_add(x, "denials", json_object_new_uint64(m->denials));
		json_add(x, "lost", json_object_new_int64(c.lost));
		json_add(x, "gaps", json_object_new_uint64(c.gaps));
		json_object_array_add(arr, x);
	}
	json_add(o, "machines", arr);

	arr = json_object_new_array();
	for (size_t i = 0; i < a->n_policies; i++) {
		const struct policy_seen *p = &a->policies[i];

		x = json_object_new_object();
		json_add(x, "name", json_str_new(p->name));
		json_add(x, "version", json_str_new(p->version));
		json_add(x, "sha256", json_str_new(p->sha256));
		json_add(x, "machine", json_object_new_string(a->machines[p->machine].name));
		json_add(x, "runs", json_object_new_uint64(p->runs));
		json_object_array_add(arr, x);
	}
	json_add(o, "policies", arr);

	arr = json_object_new_array();
	for (size_t i = 0; i < n[GROUP_EXECUTABLE]; i++) {
		const struct group *e = g[GROUP_EXECUTABLE][i];

		x = group_json(a, e);
		json_add(x, "more", json_object_new_boolean(streq(e->key, "(more)")));
		json_add(x, "path", copy_field(e->event, "path"));
		json_add(x, "comm", copy_field(e->event, "comm"));
		json_add(x, "exe", copy_field(e->event, "exe"));
		json_add(x, "argv", copy_field(e->event, "argv"));
		json_add(x, "dev", copy_field(e->event, "dev"));
		json_add(x, "fstype", copy_field(e->event, "fstype"));
		json_add(x, "verity", copy_field(e->event, "verity"));
		json_add(x, "reason", copy_field(e->event, "reason"));
		json_add(x, "hint", copy_field(e->event, "hint"));
		json_object_array_add(arr, x);
	}
	json_add(o, "executables", arr);

	arr = json_object_new_array();
	for (size_t i = 0; i < n[GROUP_VOLUME]; i++) {
		const struct group *v = g[GROUP_VOLUME][i];
		struct json_object *lines = json_object_new_array();

		x = group_json(a, v);
		json_add(x, "verity", copy_field(v->event, "verity"));
		json_add(x, "dev", copy_field(v->event, "dev"));
		json_add(x, "fstype", copy_field(v->event, "fstype"));
		json_add(x, "files", json_object_new_uint64(v->n_files));
		for (size_t b = 0; b < a->n_names; b++) {
			char *line = (v->ops & (1u << b)) ? suggestion(v, a->names[b]) : NULL;

			if (line)
				json_object_array_add(lines, json_object_new_string(line));
			free(line);
		}
		json_add(x, "policy_lines", lines);
		json_add(x, "fix",
			 verity_of(v) ? NULL : json_str_new(fix_for(json_get_str(v->event, "reason"))));
		json_object_array_add(arr, x);
	}
	json_add(o, "volumes", arr);

	arr = json_object_new_array();
	for (size_t i = 0; i < n[GROUP_REASON]; i++) {
		const struct group *e = g[GROUP_REASON][i];

		x = group_json(a, e);
		json_add(x, "reason", json_object_new_string(e->key));
		json_add(x, "fix", json_str_new(fix_for(e->key)));
		json_object_array_add(arr, x);
	}
	json_add(o, "reasons", arr);

	arr = json_object_new_array();
	for (size_t i = 0; i < n[GROUP_ANCESTRY]; i++) {
		const struct group *e = g[GROUP_ANCESTRY][i];

		x = group_json(a, e);
		json_add(x, "ancestry", json_object_new_string(e->key));
		json_object_array_add(arr, x);
	}
	json_add(o, "ancestry", arr);

	r = suggestions_json(a, g[GROUP_VOLUME], n[GROUP_VOLUME], &sugg);
	if (r < 0)
		return r;
	json_add(o, "suggested_policy_lines", sugg);
	return json_write_line(STDOUT_FILENO, o);
}

static void print_group_line(const struct analysis *a, const struct group *g, const char *what)
{
	char first[TIMESTAMP_MAX], last[TIMESTAMP_MAX], ops[256], machines[256];

	print_line("%8llu  %-20s  %-20s  %-16s  %-20s  %s", (unsigned long long)g->count,
		   timestamp_format(g->first, first, sizeof(first)),
		   timestamp_format(g->last, last, sizeof(last)),
		   machines_of(a, g, machines, sizeof(machines)),
		   names_of(a, g->hooks, ",", ops, sizeof(ops)), what);
}

/* A terminal table shows the most frequent rows; --json has them all. */
#define TEXT_ROWS 100

static void print_more(size_t n)
{
	if (n > TEXT_ROWS)
		print_line("%8s  ... and %zu more (--json lists them all)", "", n - TEXT_ROWS);
}

static void print_header(const char *title, const char *what)
{
	print_line("%s", "");
	print_line("%s", title);
	print_line("%8s  %-20s  %-20s  %-16s  %-20s  %s", "COUNT", "FIRST SEEN", "LAST SEEN",
		   "MACHINES", "HOOKS", what);
}

static int report_text(const struct analysis *a, struct group **g[], size_t n[])
{
	_cleanup_json_ struct json_object *sugg = NULL;
	char t1[TIMESTAMP_MAX], t2[TIMESTAMP_MAX];
	int r;

	print_line("Would be denied under enforce: %llu event(s), %zu executable(s), %zu volume(s), on %zu machine(s)",
		   (unsigned long long)a->denials, n[GROUP_EXECUTABLE], n[GROUP_VOLUME],
		   a->n_machines);
	if (a->denials)
		print_line("Seen from %s to %s", timestamp_format(a->first_denial, t1, sizeof(t1)),
			   timestamp_format(a->last_denial, t2, sizeof(t2)));
	print_line("Read: %llu file(s), %llu record(s), %llu torn line(s) ignored, %llu corrupt line(s)",
		   (unsigned long long)a->counts.files, (unsigned long long)a->counts.records,
		   (unsigned long long)a->counts.torn, (unsigned long long)a->counts.corrupt);
	for (size_t i = 0; i < a->n_policies; i++) {
		const struct policy_seen *p = &a->policies[i];

		print_line("Policy on %s: %s %s sha256:%s (%llu run(s))",
			   a->machines[p->machine].name, p->name ?: "?", p->version ?: "?",
			   p->sha256 ?: "?", (unsigned long long)p->runs);
	}
	for (size_t i = 0; i < a->n_machines; i++) {
		struct coverage c;

		analysis_coverage(a, i, a->since ?: a->machines[i].first_record,
				  MIN(a->until, a->last_record), &c);
		if (c.lost > 0)
			print_line("LOST: %lld event(s) on %s: the logs are incomplete",
				   (long long)c.lost, a->machines[i].name);
	}
	if (a->mismatches)
		print_line("MISMATCH: %llu record(s) where the auditor and the kernel disagree",
			   (unsigned long long)a->mismatches);

	if (n[GROUP_EXECUTABLE]) {
		print_header("BY EXECUTABLE", "PATH (REASON)");
		for (size_t i = 0; i < MIN(n[GROUP_EXECUTABLE], (size_t)TEXT_ROWS); i++) {
			const struct group *e = g[GROUP_EXECUTABLE][i];
			struct json_object *path = NULL;
			_cleanup_free_ char *shown = NULL, *line = NULL;

			json_object_object_get_ex(e->event, "path", &path);
			shown = path && !streq(e->key, "(more)") ? display_bytes(path) : NULL;
			if (asprintf(&line, "%s (%s)", shown ?: e->key,
				     json_get_str(e->event, "reason") ?: "?") < 0)
				return -ENOMEM;
			print_group_line(a, e, line);
		}
		print_more(n[GROUP_EXECUTABLE]);
		print_header("BY VOLUME", "VOLUME");
		for (size_t i = 0; i < MIN(n[GROUP_VOLUME], (size_t)TEXT_ROWS); i++) {
			const struct group *v = g[GROUP_VOLUME][i];
			struct json_object *vy = verity_of(v);
			_cleanup_free_ char *line = NULL;

			if (vy)
				r = asprintf(&line, "dm-verity %s %s %s, %zu file(s)",
					     json_get_str(vy, "name") ?: "?",
					     json_get_str(vy, "roothash") ?: "?",
					     verity_signed(vy) ? "signed" : "unsigned", v->n_files);
			else
				r = asprintf(&line, "%s, %zu file(s)", v->key, v->n_files);
			if (r < 0)
				return -ENOMEM;
			print_group_line(a, v, line);
		}
		print_more(n[GROUP_VOLUME]);
		print_header("BY REASON", "REASON");
		for (size_t i = 0; i < MIN(n[GROUP_REASON], (size_t)TEXT_ROWS); i++)
			print_group_line(a, g[GROUP_REASON][i], g[GROUP_REASON][i]->key);
		print_more(n[GROUP_REASON]);
		print_header("BY ANCESTRY", "PROGRAM < PARENT");
		for (size_t i = 0; i < MIN(n[GROUP_ANCESTRY], (size_t)TEXT_ROWS); i++)
			print_group_line(a, g[GROUP_ANCESTRY][i], g[GROUP_ANCESTRY][i]->key);
		print_more(n[GROUP_ANCESTRY]);
	}

	r = suggestions_json(a, g[GROUP_VOLUME], n[GROUP_VOLUME], &sugg);
	if (r < 0)
		return r;
	if (json_object_array_length(sugg)) {
		print_line("%s", "");
		print_line("Suggested policy lines (dm-verity volumes not yet allowed; the last line, if");
		print_line("present, is an alternative: every such volume is signed):");
		for (size_t i = 0; i < json_object_array_length(sugg); i++)
			print_line("  %s", json_object_get_string(json_object_array_get_idx(sugg, i)));
	}
	bool header = false;
	for (size_t i = 0; i < n[GROUP_REASON]; i++) {
		const struct group *e = g[GROUP_REASON][i];
		const char *fix = fix_for(e->key) ?: json_get_str(e->event, "hint");

		if (!fix || streq(e->key, "roothash-not-allowed"))
			continue;
		if (!header) {
			print_line("%s", "");
			print_line("Fixes where a rule cannot help:");
		}
		header = true;
		print_line("  %s (%llu): %s", e->key, (unsigned long long)e->count, fix);
	}
	return fflush(stdout) == 0 ? 0 : -errno;
}

const struct verb report_verb = {
	.name = "report",
	.run = verb_report,
	.min_operands = 1,
	.max_operands = VERB_ANY,
	.synopsis = "report [--json] [--since T] [--until T] LOG...",
	.help = "What would break under enforce, from the logs of `ipe-auditd run` (one or\n"
		"many machines; \"-\" is standard input): would-be denials by executable,\n"
		"volume, reason and ancestry, the policy lines that would allow the\n"
		"dm-verity volumes, and the fix where no rule can help.\n\n"
		"  --json                   print one JSON object\n"
		"  --since T, --until T     only records in this window (RFC 3339, a date, or @SECONDS)\n",
};

int verb_report(int argc, char *argv[])
{
	static const struct option options[] = { { "json", no_argument, NULL, 'j' },
						 { "since", required_argument, NULL, 's' },
						 { "until", required_argument, NULL, 'u' },
						 {} };
	struct group **g[_GROUP_KIND_MAX] = {};
	size_t n[_GROUP_KIND_MAX] = {};
	nsec_t since = 0, until = NSEC_INFINITY;
	struct analysis a;
	bool json = false;
	int c, r;

	while ((c = getopt_long(argc, argv, "", options, NULL)) >= 0) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 's':
		case 'u':
			r = parse_time_arg(c == 's' ? "--since" : "--until", optarg,
					   c == 's' ? &since : &until);
			if (r < 0)
				return r;
			break;
		default:
			return -EINVAL;
		}
	}
	r = verb_operands(argc - optind);
	if (r < 0)
		return r;
	if (until < since) /* an empty window reads like "nothing would be denied" */
		return usage_error("--until is before --since: the window holds nothing");

	r = analysis_init(&a, since, until);
	if (r < 0)
		log_error_errno(r, "out of memory");
	else
		r = read_logs_logged(&a, argv + optind, argc - optind); /* logs its errors */
	for (int k = 0; r >= 0 && k < _GROUP_KIND_MAX; k++) {
		r = analysis_sorted(&a, k, &g[k], &n[k]);
		if (r < 0)
			log_error_errno(r, "out of memory");
	}
	if (r >= 0) {
		r = json ? report_json(&a, g, n) : report_text(&a, g, n);
		if (r < 0)
			log_error_errno(r, "cannot write the report: %m");
	}
	for (int k = 0; k < _GROUP_KIND_MAX; k++)
		free(g[k]);
	analysis_done(&a);
	return r;
}
