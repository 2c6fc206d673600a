// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the log reader and the analysis of `report` and
 * `gate` (logs come from other machines, copied, rotated, cut). Invariants:
 * every line is a record, torn or corrupt; the executable groups hold every
 * would-be denial, each in exactly one group of each kind; coverage stays
 * inside its window; reading the same bytes twice gives the same counts.
 */
#include <string.h>

#include "auditd/analysis.h"
#include "auditd/logread.h"
#include "lib/macro.h"
#include "tests/fuzz/fuzz.h"

static int fd = -1;
static char path[32];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fd = fuzz_memfd("log", path);
	return 0;
}

static void check(struct analysis *a)
{
	for (int k = 0; k < _GROUP_KIND_MAX; k++) {
		struct group **g = NULL;
		uint64_t sum = 0;
		size_t n = 0;

		REQUIRE(analysis_sorted(a, (enum group_kind)k, &g, &n) == 0);
		for (size_t i = 0; i < n; i++) {
			REQUIRE(g[i]->count > 0 && g[i]->first <= g[i]->last);
			REQUIRE(g[i]->n_machines >= 1 && g[i]->n_machines <= a->n_machines);
			if (i)
				REQUIRE(g[i - 1]->count >= g[i]->count);
			sum += g[i]->count;
		}
		REQUIRE(sum == a->denials);
		free(g);
	}
	for (size_t i = 0; i < a->n_machines; i++) {
		struct coverage c;
		nsec_t from = a->machines[i].first_record, to = a->last_record;

		analysis_coverage(a, i, from, to, &c);
		REQUIRE(c.lost >= 0);
		if (c.gaps)
			REQUIRE(c.gap_from >= from && c.gap_to <= to && c.gap_from < c.gap_to);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *paths[] = { path, path };
	struct log_counts first = {};
	const char *failed = NULL;
	struct analysis a;

	fuzz_memfd_set(fd, data, size);
	REQUIRE(analysis_init(&a, 0, NSEC_INFINITY) == 0);
	REQUIRE(log_read(paths, 1, analysis_add, &a, &a.counts, &failed) == 0);
	REQUIRE(a.counts.files == 1);
	REQUIRE(a.counts.records + a.counts.torn + a.counts.corrupt <= a.counts.lines);
	REQUIRE(a.counts.torn <= 2);
	check(&a);
	first = a.counts;
	analysis_done(&a);

	/* The same file twice: twice the counts, and a machine inherited across files. */
	REQUIRE(analysis_init(&a, 0, NSEC_INFINITY) == 0);
	REQUIRE(log_read(paths, 2, analysis_add, &a, &a.counts, &failed) == 0);
	REQUIRE(a.counts.lines == 2 * first.lines && a.counts.records == 2 * first.records);
	REQUIRE(a.counts.torn == 2 * first.torn && a.counts.corrupt == 2 * first.corrupt);
	check(&a);
	analysis_done(&a);
	return 0;
}
