/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/*
 * What the auditor's logs say, aggregated for `report` and `gate`: the
 * would-be denials grouped by executable, volume, reason and ancestry, the
 * policies the logs were made with, lost events, mismatch records, and for
 * each machine the stretches of time the logs cover. Never prints.
 *
 * Records read (docs/events.md, "How report and gate read the logs"):
 * start: time, hostname (else machine_id), stats_interval (seconds),
 *        policy {name, version, sha256} (or policy_name, policy_version,
 *        policy_sha256);
 * event: time, decision (all but "allow" count as denials), op, hook, path,
 *        comm, exe, pid, ppid, ancestry (optional), dev, fstype,
 *        verity {name, roothash, signed}, reason, hint;
 * stats: time, and every integer under a key "lost" at any depth, summed:
 *        counters are taken as cumulative since the run's start;
 * mismatch: time.
 */

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "auditd/logread.h"
#include "auditd/timestamp.h"

enum group_kind { GROUP_EXECUTABLE, GROUP_VOLUME, GROUP_REASON, GROUP_ANCESTRY, _GROUP_KIND_MAX };

struct group {
	char *key;
	uint64_t count;
	nsec_t first, last;
	uint32_t *machines; /* indices into analysis.machines */
	size_t n_machines;
	uint32_t ops, hooks;       /* bit i: analysis.names[i] */
	struct json_object *event; /* fields of its first event (none for ancestry) */
	struct group *volume;      /* executables: their volume */
	size_t n_files;            /* volumes: their executables */
};

struct heartbeat {
	nsec_t time;
	bool start;
	int64_t interval; /* seconds, start records only; <= 0 unknown */
	int64_t lost;     /* stats: the record's total; -1 otherwise */
};

struct machine {
	char *name;
	struct heartbeat *beats;
	size_t n_beats, allocated;
	uint64_t denials, mismatches;
	nsec_t first_record, last_record;
};

struct policy_seen {
	char *name, *version, *sha256; /* any may be NULL */
	uint32_t machine;
	uint64_t runs;
};

/* The coverage verdict of one machine over a window. */
struct coverage {
	nsec_t from, to;         /* the window used */
	nsec_t gap_from, gap_to; /* the longest gap inside the window, 0 when none */
	int64_t interval;        /* seconds (the largest a start record gave) */
	uint64_t gaps;           /* number of gaps inside the window */
	int64_t lost;            /* events lost inside the window */
	bool no_start, no_interval;
};

#define ANALYSIS_MAX_NAMES 32
/* Groups of one kind kept apart; later ones are counted in one "(more)" group. */
#define ANALYSIS_MAX_GROUPS 100000

struct analysis {
	nsec_t since, until; /* the window; 0 and NSEC_INFINITY when open */
	struct log_counts counts;
	struct machine *machines;
	size_t n_machines, last_machine;
	struct policy_seen *policies;
	size_t n_policies;
	struct lh_table *groups[_GROUP_KIND_MAX];
	struct lh_table *parents;        /* "machine\x1fpid" -> exe, for ancestry */
	char *names[ANALYSIS_MAX_NAMES]; /* op and hook names seen */
	size_t n_names;
	uint64_t denials, allows, mismatches;
	nsec_t first_denial, last_denial, last_record;
};

int analysis_init(struct analysis *a, nsec_t since, nsec_t until);
void analysis_done(struct analysis *a);

/* log_read() callback: @userdata is the struct analysis. */
int analysis_add(const struct log_record *rec, void *userdata);

/* The groups of @kind, most frequent first (ties by first seen); @ret is malloc'd. */
int analysis_sorted(const struct analysis *a, enum group_kind kind, struct group ***ret, size_t *ret_n);

/* The coverage of machine @m over [@from, @to]. */
void analysis_coverage(const struct analysis *a, size_t m, nsec_t from, nsec_t to,
		       struct coverage *ret);
