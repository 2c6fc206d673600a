// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <json-c/linkhash.h>

#include "auditd/analysis.h"
#include "json/json.h"
#include "lib/macro.h"

/* A longer stats interval than a year is not one the auditor writes. */
#define MAX_STATS_INTERVAL (INT64_C(366) * 86400)

static void group_free(struct lh_entry *e)
{
	struct group *g = lh_entry_v(e);

	free(g->key);
	free(g->machines);
	json_object_put(g->event);
	free(g);
}

static void parent_free(struct lh_entry *e)
{
	free(lh_entry_k(e));
	json_object_put(lh_entry_v(e));
}

int analysis_init(struct analysis *a, nsec_t since, nsec_t until)
{
	*a = (struct analysis){ .since = since, .until = until };
	for (int k = 0; k < _GROUP_KIND_MAX; k++) {
		a->groups[k] = lh_kchar_table_new(256, group_free);
		if (!a->groups[k])
			return -ENOMEM;
	}
	a->parents = lh_kchar_table_new(1024, parent_free);
	return a->parents ? 0 : -ENOMEM;
}

void analysis_done(struct analysis *a)
{
	for (int k = 0; k < _GROUP_KIND_MAX; k++)
		if (a->groups[k])
			lh_table_free(a->groups[k]);
	if (a->parents)
		lh_table_free(a->parents);
	for (size_t i = 0; i < a->n_machines; i++) {
		free(a->machines[i].name);
		free(a->machines[i].beats);
	}
	free(a->machines);
	for (size_t i = 0; i < a->n_policies; i++) {
		free(a->policies[i].name);
		free(a->policies[i].version);
		free(a->policies[i].sha256);
	}
	free(a->policies);
	for (size_t i = 0; i < a->n_names; i++)
		free(a->names[i]);
}

static int machine_index(struct analysis *a, const char *name)
{
	struct machine *m;

	for (size_t i = 0; i < a->n_machines; i++)
		if (streq(a->machines[i].name, name))
			return (int)i;
	m = realloc(a->machines, (a->n_machines + 1) * sizeof(*m));
	if (!m)
		return -ENOMEM;
	a->machines = m;
	m += a->n_machines;
	*m = (struct machine){ .name = strdup(name) };
	if (!m->name)
		return -ENOMEM;
	return (int)a->n_machines++;
}

/* Bit of @name among the op and hook names (0 when the table is full). */
static uint32_t name_bit(struct analysis *a, const char *name)
{
	if (!name)
		return 0;
	for (size_t i = 0; i < a->n_names; i++)
		if (streq(a->names[i], name))
			return 1u << i;
	if (a->n_names == ANALYSIS_MAX_NAMES)
		return 0;
	a->names[a->n_names] = strdup(name);
	return a->names[a->n_names] ? 1u << a->n_names++ : 0;
}

static int beat_add(struct machine *m, struct heartbeat b)
{
	if (m->n_beats == m->allocated) {
		size_t n = m->allocated ? m->allocated * 2 : 64;
		struct heartbeat *p = realloc(m->beats, n * sizeof(*p));

		if (!p)
			return -ENOMEM;
		m->beats = p;
		m->allocated = n;
	}
	m->beats[m->n_beats++] = b;
	return 0;
}

/* Sum of the integers under every key "lost" in @o, at any depth. */
static int64_t sum_lost_deep(struct json_object *o)
{
	int64_t sum = 0;

	if (json_object_is_type(o, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(o); i++)
			if (__builtin_add_overflow(sum, sum_lost_deep(json_object_array_get_idx(o, i)),
						   &sum))
				sum = INT64_MAX;
	} else if (json_object_is_type(o, json_type_object)) {
		json_object_object_foreach(o, k, v)
		{
			int64_t n = streq(k, "lost") && json_object_is_type(v, json_type_int)
					    ? json_object_get_int64(v)
					    : sum_lost_deep(v);

			/* Counters from the input: saturate rather than overflow. */
			if (__builtin_add_overflow(sum, MAX(n, 0), &sum))
				sum = INT64_MAX;
		}
	}
	return sum;
}

/*
 * What a stats record says was lost: its top-level "lost" (the sum of its
 * by_op_hook rows, docs/events.md) plus "dropped" (records user space could
 * not use), so the rows are not counted twice; a record without a top-level
 * "lost" is summed at every depth.
 */
static int64_t sum_lost(struct json_object *o)
{
	struct json_object *lost, *dropped;
	int64_t sum;

	if (!json_object_object_get_ex(o, "lost", &lost) || !json_object_is_type(lost, json_type_int))
		return sum_lost_deep(o);
	sum = MAX(json_object_get_int64(lost), 0);
	if (json_object_object_get_ex(o, "dropped", &dropped) &&
	    json_object_is_type(dropped, json_type_int) &&
	    __builtin_add_overflow(sum, MAX(json_object_get_int64(dropped), 0), &sum))
		sum = INT64_MAX;
	return sum;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int policy_add(struct analysis *a, struct json_object *start, uint32_t machine)
{
	struct json_object *p = NULL;
	const char *name, *version, *sha;
	struct policy_seen *n;

	if (json_object_object_get_ex(start, "policy", &p) && json_object_is_type(p, json_type_object)) {
		name = json_get_str(p, "name");
		version = json_get_str(p, "version");
		sha = json_get_str(p, "sha256");
	} else {
		name = json_get_str(start, "policy_name");
		version = json_get_str(start, "policy_version");
		sha = json_get_str(start, "policy_sha256");
	}
	for (size_t i = 0; i < a->n_policies; i++) {
		struct policy_seen *s = &a->policies[i];

		if (s->machine == machine && !strcmp(s->name ?: "", name ?: "") &&
		    !strcmp(s->version ?: "", version ?: "") && !strcmp(s->sha256 ?: "", sha ?: "")) {
			s->runs++;
			return 0;
		}
	}
	n = realloc(a->policies, (a->n_policies + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	a->policies = n;
	n += a->n_policies++;
	*n = (struct policy_seen){ .name = dup_or_null(name),
				   .version = dup_or_null(version),
				   .sha256 = dup_or_null(sha),
				   .machine = machine,
				   .runs = 1 };
	return 0;
}

/* The fields of @ev a report shows, sharing the values (not the rest of the
 * record: argv and the like would make a group cost kilobytes). */
static struct json_object *event_fields(struct json_object *ev)
{
	static const char *const keys[] = { "path",   "comm",   "exe",    "argv", "dev",
					    "fstype", "verity", "reason", "hint" };
	struct json_object *o = json_object_new_object(), *v;

	for (size_t i = 0; o && i < ELEMENTSOF(keys); i++)
		if (json_object_object_get_ex(ev, keys[i], &v) &&
		    json_add(o, keys[i], json_object_get(v)) < 0) {
			json_object_put(o);
			return NULL;
		}
	return o;
}

static struct group *group_get(struct analysis *a, enum group_kind kind, const char *key,
			       struct json_object *ev)
{
	struct group *g;
	void *v;

	if (lh_table_lookup_ex(a->groups[kind], key, &v))
		return v;
	/* Bounded memory whatever the logs hold: the rest is counted together. */
	if (lh_table_length(a->groups[kind]) >= ANALYSIS_MAX_GROUPS) {
		key = "(more)";
		if (lh_table_lookup_ex(a->groups[kind], key, &v))
			return v;
	}
	g = calloc(1, sizeof(*g));
	if (!g)
		return NULL;
	g->key = strdup(key);
	if (!g->key || lh_table_insert(a->groups[kind], g->key, g) < 0) {
		free(g->key);
		free(g);
		return NULL;
	}
	if (ev) {
		g->event = event_fields(ev);
		if (!g->event)
			return NULL; /* the table frees the group */
	}
	return g;
}

static int group_count(struct group *g, nsec_t t, uint32_t machine, uint32_t op, uint32_t hook)
{
	size_t i;

	if (g->count == 0 || t < g->first)
		g->first = t;
	if (g->count == 0 || t > g->last)
		g->last = t;
	g->count++;
	g->ops |= op;
	g->hooks |= hook;
	for (i = 0; i < g->n_machines; i++)
		if (g->machines[i] == machine)
			return 0;
	uint32_t *p = realloc(g->machines, (g->n_machines + 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	g->machines = p;
	p[g->n_machines++] = machine;
	return 0;
}

/* A JSON value as a compact key ("null" for none). */
static const char *key_of(struct json_object *o)
{
	return o ? json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
							     JSON_C_TO_STRING_NOSLASHESCAPE)
		 : "null";
}

static int ancestry_key(struct analysis *a, struct json_object *ev, const char *machine,
			const char *self, char *buf, size_t size)
{
	struct json_object *anc;
	void *parent = NULL;
	char pidkey[320];
	int64_t ppid;

	if (json_object_object_get_ex(ev, "ancestry", &anc) &&
	    json_object_is_type(anc, json_type_array)) {
		snprintf(buf, size, "%s < %s", self, key_of(anc));
		return 0;
	}
	ppid = json_get_int(ev, "ppid", -1);
	snprintf(pidkey, sizeof(pidkey), "%s\x1f%lld", machine, (long long)ppid);
	(void)lh_table_lookup_ex(a->parents, pidkey, &parent);
	snprintf(buf, size, "%s < %s", self, parent ? json_object_get_string(parent) : "?");
	return 0;
}

/* Remember which program a pid ran, to name the parent of later events: the
 * record's own string is kept (a reference, no copy). */
static int parent_note(struct analysis *a, struct json_object *ev, const char *machine)
{
	struct json_object *exe = NULL;
	int64_t pid = json_get_int(ev, "pid", -1);
	struct lh_entry *e;
	char pidkey[320], *k;

	if ((!json_object_object_get_ex(ev, "exe", &exe) &&
	     !json_object_object_get_ex(ev, "comm", &exe)) ||
	    !json_object_is_type(exe, json_type_string) || pid < 0)
		return 0;
	snprintf(pidkey, sizeof(pidkey), "%s\x1f%lld", machine, (long long)pid);
	e = lh_table_lookup_entry(a->parents, pidkey);
	if (e) { /* the pid was reused, or exec'd another program */
		json_object_put(lh_entry_v(e));
		lh_entry_set_val(e, json_object_get(exe));
		return 0;
	}
	if (lh_table_length(a->parents) >= (1 << 18))
		return 0; /* bounded: a parent then shows as "?" */
	k = strdup(pidkey);
	if (!k || lh_table_insert(a->parents, k, json_object_get(exe)) < 0) {
		free(k);
		json_object_put(exe);
		return -ENOMEM;
	}
	return 0;
}

static int add_event(struct analysis *a, const struct log_record *rec, uint32_t mi)
{
	struct json_object *ev = rec->json, *path = NULL, *verity = NULL;
	const char *decision = json_get_str(ev, "decision");
	const char *comm = json_get_str(ev, "comm");
	const char *reason = json_get_str(ev, "reason");
	uint32_t op = name_bit(a, json_get_str(ev, "op")),
		 hook = name_bit(a, json_get_str(ev, "hook"));
	char exe_key[4096 + 64], vol_key[512], anc_key[8192 + 64];
	struct group *ge, *gv, *g;
	int r;

	r = parent_note(a, ev, rec->machine);
	if (r < 0)
		return r;
	if (decision && !strcasecmp(decision, "allow")) {
		a->allows++;
		return 0;
	}
	a->denials++;
	a->machines[mi].denials++;
	if (a->denials == 1 || rec->time < a->first_denial)
		a->first_denial = rec->time;
	if (rec->time > a->last_denial)
		a->last_denial = rec->time;

	(void)json_object_object_get_ex(ev, "path", &path);
	(void)json_object_object_get_ex(ev, "verity", &verity);
	if (verity && json_object_is_type(verity, json_type_object))
		snprintf(vol_key, sizeof(vol_key), "verity %s",
			 json_get_str(verity, "roothash") ?: "?");
	else if (path) /* a block device is one machine's */
		snprintf(vol_key, sizeof(vol_key), "dev %s %s on %s", json_get_str(ev, "dev") ?: "?",
			 json_get_str(ev, "fstype") ?: "?", rec->machine);
	else
		snprintf(vol_key, sizeof(vol_key), "anonymous");
	/* A file is a path on a volume: the same path on two machines' tmpfs is
	 * two files, on the same dm-verity image one. */
	if (path)
		snprintf(exe_key, sizeof(exe_key), "%s\x1f%s", vol_key, key_of(path));
	else
		snprintf(exe_key, sizeof(exe_key), "anonymous %s", comm ?: "?");

	gv = group_get(a, GROUP_VOLUME, vol_key, ev);
	ge = group_get(a, GROUP_EXECUTABLE, exe_key, ev);
	if (!gv || !ge)
		return -ENOMEM;
	if (ge->count == 0) {
		ge->volume = gv;
		gv->n_files++;
	}
	if (group_count(gv, rec->time, mi, op, hook) < 0 || group_count(ge, rec->time, mi, op, hook) < 0)
		return -ENOMEM;

	g = group_get(a, GROUP_REASON, reason ?: "?", ev);
	if (!g || group_count(g, rec->time, mi, op, hook) < 0)
		return -ENOMEM;

	ancestry_key(a, ev, rec->machine, json_get_str(ev, "exe") ?: comm ?: "?", anc_key, sizeof(anc_key));
	g = group_get(a, GROUP_ANCESTRY, anc_key, NULL);
	if (!g || group_count(g, rec->time, mi, op, hook) < 0)
		return -ENOMEM;
	return 0;
}

int analysis_add(const struct log_record *rec, void *userdata)
{
	struct analysis *a = userdata;
	struct machine *m;
	int64_t interval;
	int mi, r;

	/* Records come in runs of one machine: try the last one first. */
	if (a->n_machines && a->last_machine < a->n_machines &&
	    streq(a->machines[a->last_machine].name, rec->machine))
		mi = (int)a->last_machine;
	else
		mi = machine_index(a, rec->machine);
	if (mi < 0)
		return mi;
	a->last_machine = (size_t)mi;
	m = &a->machines[mi];
	if (m->first_record == 0 || rec->time < m->first_record)
		m->first_record = rec->time;
	if (rec->time > m->last_record)
		m->last_record = rec->time;
	if (rec->time > a->last_record)
		a->last_record = rec->time;

	/* Start and stats records are kept whatever the window: coverage and
	 * lost counters need the ones before it. */
	switch (rec->type) {
	case LOG_RECORD_START:
		r = policy_add(a, rec->json, (uint32_t)mi);
		if (r < 0)
			return r;
		interval = json_get_int(rec->json, "stats_interval", 0);
		return beat_add(m, (struct heartbeat){
					   .time = rec->time,
					   .start = true,
					   .interval = interval <= MAX_STATS_INTERVAL ? interval : 0,
					   .lost = -1 });
	case LOG_RECORD_STATS:
		return beat_add(m, (struct heartbeat){ .time = rec->time, .lost = sum_lost(rec->json) });
	case LOG_RECORD_RELOAD:
		/* A policy taken on SIGHUP audits the rest of the run: the logs were made with it too. */
		if (json_get_bool(rec->json, "ok", false))
			return policy_add(a, rec->json, (uint32_t)mi);
		return 0;
	default:
		break;
	}
	if (rec->time < a->since || rec->time > a->until)
		return 0;
	if (rec->type == LOG_RECORD_MISMATCH) {
		a->mismatches++;
		m->mismatches++;
	} else if (rec->type == LOG_RECORD_EVENT)
		return add_event(a, rec, (uint32_t)mi);
	return 0;
}

static int group_cmp(const void *x, const void *y)
{
	const struct group *a = *(struct group *const *)x, *b = *(struct group *const *)y;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	if (a->first != b->first)
		return a->first < b->first ? -1 : 1;
	return strcmp(a->key, b->key);
}

int analysis_sorted(const struct analysis *a, enum group_kind kind, struct group ***ret, size_t *ret_n)
{
	struct lh_entry *e;
	struct group **v;
	size_t n = 0;

	/* NOLINTBEGIN(bugprone-sizeof-expression): the elements are pointers, as meant. */
	v = malloc(((size_t)lh_table_length(a->groups[kind]) + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	lh_foreach(a->groups[kind], e) v[n++] = lh_entry_v(e);
	qsort(v, n, sizeof(*v), group_cmp);
	/* NOLINTEND(bugprone-sizeof-expression) */
	*ret = v;
	*ret_n = n;
	return 0;
}

static int beat_cmp(const void *x, const void *y)
{
	const struct heartbeat *a = x, *b = y;

	if (a->time != b->time)
		return a->time < b->time ? -1 : 1;
	return (int)b->start - (int)a->start; /* a start before a stats of the same instant */
}

/* Slack allowed on top of the stats interval: a timer is never exact. */
static nsec_t gap_allowed(int64_t interval)
{
	nsec_t i = interval * NSEC_PER_SEC;

	return i + MAX(2 * NSEC_PER_SEC, i / 10);
}

static void lost_add(struct coverage *c, int64_t n)
{
	if (n > 0 && __builtin_add_overflow(c->lost, n, &c->lost))
		c->lost = INT64_MAX;
}

static void gap_note(struct coverage *c, nsec_t gf, nsec_t gt)
{
	if (gt <= gf)
		return;
	c->gaps++;
	if (gt - gf > c->gap_to - c->gap_from) {
		c->gap_from = gf;
		c->gap_to = gt;
	}
}

void analysis_coverage(const struct analysis *a, size_t mi, nsec_t from, nsec_t to, struct coverage *c)
{
	struct machine *m = &a->machines[mi];
	int64_t lost_before = 0, lost_max = 0, interval = 0;
	nsec_t cursor = from, prev = 0;
	bool in_run = false;

	*c = (struct coverage){ .from = from, .to = to, .no_start = true };
	if (m->n_beats)
		qsort(m->beats, m->n_beats, sizeof(*m->beats), beat_cmp);
	for (size_t i = 0; i < m->n_beats; i++) {
		const struct heartbeat *b = &m->beats[i];

		/* [prev, b] is covered when prev belongs to a run and the two are
		 * no further apart than the run's stats interval allows (a quick
		 * restart included: the gap is what counts). */
		if (in_run && interval > 0 && b->time - prev <= gap_allowed(interval) &&
		    b->time > cursor) {
			if (prev > cursor && cursor < to)
				gap_note(c, cursor, MIN(prev, to));
			cursor = b->time;
		}
		if (b->start) {
			c->no_start = false;
			if (b->interval <= 0)
				c->no_interval = true;
			if (in_run)
				lost_add(c, lost_max - lost_before);
			in_run = true;
			interval = b->interval;
			c->interval = MAX(c->interval, interval);
			lost_before = lost_max = 0;
		} else if (in_run && b->lost >= 0) {
			/* Cumulative counters: what was lost before the window is not the window's. */
			if (b->time < from)
				lost_before = MAX(lost_before, b->lost);
			else if (b->time <= to)
				lost_max = MAX(lost_max, b->lost);
		}
		prev = b->time;
	}
	if (in_run)
		lost_add(c, lost_max - lost_before);
	if (cursor < to)
		gap_note(c, cursor, to);
}
