// SPDX-License-Identifier: GPL-2.0-only
/* ipe-auditd's reading of logs: timestamps, coverage, gaps and losses, escaping, the kernel's errors. */
#include <errno.h>
#include <string.h>

#include "auditd/analysis.h"
#include "auditd/ipe_explain.h"
#include "auditd/timestamp.h"
#include "auditd/verb_util.h"
#include "json/json.h"
#include "lib/macro.h"
#include "tests/harness.h"

TEST(timestamp_forms)
{
	nsec_t t;

	ASSERT_OK(timestamp_parse("2026-11-30T07:14:10.123456789Z", &t));
	ASSERT_EQ(t, INT64_C(1796022850) * NSEC_PER_SEC + 123456789);
	ASSERT_OK(timestamp_parse("2026-11-30T08:14:10.5+01:00", &t));
	ASSERT_EQ(t, INT64_C(1796022850) * NSEC_PER_SEC + 500000000);
	ASSERT_OK(timestamp_parse("2026-11-30", &t));
	ASSERT_EQ(t, INT64_C(1795996800) * NSEC_PER_SEC);
	ASSERT_OK(timestamp_parse("@1796022850", &t));
	ASSERT_EQ(t, INT64_C(1796022850) * NSEC_PER_SEC);
	ASSERT_EQ(timestamp_parse("2026-11-30T07:14:10", &t), -EINVAL); /* no zone */
	ASSERT_EQ(timestamp_parse("2026-13-30T07:14:10Z", &t), -EINVAL);
	ASSERT_EQ(timestamp_parse("2026-02-30", &t), -EINVAL); /* not March 2 */
	ASSERT_EQ(timestamp_parse("2026-11-31T00:00:00Z", &t), -EINVAL);
	ASSERT_OK(timestamp_parse("2024-02-29", &t));
	ASSERT_OK(timestamp_parse("2026-12-31T23:59:60Z", &t)); /* a leap second, as RFC 3339 allows */
	ASSERT_EQ(timestamp_parse("2026-11-30T07:14:10.Z", &t), -EINVAL);
	ASSERT_EQ(timestamp_parse("yesterday", &t), -EINVAL);
	ASSERT_EQ(timestamp_parse("@-1", &t), -EINVAL);
}

static int add(struct analysis *a, enum log_record_type type, const char *json, const char *time)
{
	_cleanup_json_ struct json_object *o = NULL;
	struct log_record rec = { .type = type, .machine = "m", .file = "f" };

	if (json_parse_document(json, strlen(json), &o) < 0 || timestamp_parse(time, &rec.time) < 0)
		return -EBADMSG;
	rec.json = o;
	return analysis_add(&rec, a);
}

/* Heartbeats 60 s apart cover; one missing stats record is a gap; a restart
 * inside the interval is not. Lost counters are cumulative per run. */
TEST(coverage_gaps_and_lost)
{
	struct analysis a;
	struct coverage c;
	nsec_t from, to;

	ASSERT_OK(analysis_init(&a, 0, NSEC_INFINITY));
	ASSERT_OK(add(&a, LOG_RECORD_START, "{\"stats_interval\":60}", "2026-11-30T08:00:00Z"));
	ASSERT_OK(add(&a, LOG_RECORD_STATS, "{\"c\":[{\"lost\":1}]}", "2026-11-30T08:01:00Z"));
	ASSERT_OK(add(&a, LOG_RECORD_STATS, "{\"c\":[{\"lost\":4},{\"lost\":1}]}",
		      "2026-11-30T08:02:01Z"));
	ASSERT_OK(add(&a, LOG_RECORD_STATS, "{\"c\":[]}", "2026-11-30T08:04:30Z")); /* a gap */
	ASSERT_OK(add(&a, LOG_RECORD_START, "{\"stats_interval\":60}", "2026-11-30T08:05:00Z"));
	ASSERT_OK(add(&a, LOG_RECORD_STATS, "{\"lost\":2}", "2026-11-30T08:06:00Z"));
	ASSERT_EQ(a.n_machines, 1u);

	ASSERT_OK(timestamp_parse("2026-11-30T08:00:00Z", &from));
	ASSERT_OK(timestamp_parse("2026-11-30T08:06:00Z", &to));
	analysis_coverage(&a, 0, from, to, &c);
	ASSERT_TRUE(!c.no_start && !c.no_interval);
	ASSERT_EQ(c.gaps, 1u);
	ASSERT_EQ(c.gap_to - c.gap_from, INT64_C(149) * NSEC_PER_SEC);
	ASSERT_EQ(c.lost, 5 + 2);

	/* Inside the first stretch: covered, and what was lost before it is not counted. */
	ASSERT_OK(timestamp_parse("2026-11-30T08:01:30Z", &from));
	ASSERT_OK(timestamp_parse("2026-11-30T08:02:01Z", &to));
	analysis_coverage(&a, 0, from, to, &c);
	ASSERT_EQ(c.gaps, 0u);
	ASSERT_EQ(c.lost, 5 - 1);

	/* After the last record: not covered. */
	ASSERT_OK(timestamp_parse("2026-11-30T08:10:00Z", &to));
	analysis_coverage(&a, 0, from, to, &c);
	ASSERT_EQ(c.gaps, 2u);
	analysis_done(&a);
}

TEST(display_bytes_escapes)
{
	_cleanup_json_ struct json_object *s = json_bytes_new("a\nb\xc3\xa9", 5);
	_cleanup_json_ struct json_object *b = json_bytes_new("/t\xff\x01", 4);
	_cleanup_free_ char *ds = display_bytes(s), *db = display_bytes(b);

	ASSERT_STREQ(ds, "a\\x0ab\xc3\xa9");
	ASSERT_STREQ(db, "/t\\xff\\x01");
}

TEST(explain_names_errno_and_cause)
{
	struct ipe_explain_ctx c = {
		.step = IPE_STEP_UPDATE, .name = "p", .version = "1.0.0", .old_version = "1.0.0"
	};
	_cleanup_free_ char *stale = ipe_explain(-ESTALE, &c), *key = NULL, *act = NULL;

	ASSERT_STREQ(stale,
		     "update of p 1.0.0 refused by the kernel with ESTALE: version 1.0.0 is not "
		     "higher than the loaded p 1.0.0 (an update needs a strictly higher version)");
	c.step = IPE_STEP_NEW_POLICY;
	key = ipe_explain(-ENOKEY, &c);
	ASSERT_TRUE(strstr(key, "ENOKEY") && strstr(key, ".secondary_trusted_keys") &&
		    strstr(key, ".platform"));
	c = (struct ipe_explain_ctx){ .step = IPE_STEP_ACTIVATE,
				      .name = "low",
				      .version = "1.0.0",
				      .active_name = "high",
				      .active_version = "2.0.0" };
	act = ipe_explain(-EINVAL, &c);
	ASSERT_TRUE(strstr(act, "EINVAL") &&
		    strstr(act, "active policy high has the higher version 2.0.0"));
}

/* EEXIST needs another loader racing enforce (which takes update for a loaded
 * name), so the VM test cannot make it on purpose: its sentence is checked here. */
TEST(explain_eexist_and_eperm)
{
	struct ipe_explain_ctx c = { .step = IPE_STEP_NEW_POLICY, .name = "p", .version = "2.0.0" };
	_cleanup_free_ char *exist = ipe_explain(-EEXIST, &c), *perm = ipe_explain(-EPERM, &c);

	ASSERT_STREQ(exist,
		     "new_policy of p 2.0.0 refused by the kernel with EEXIST: a policy of this name is already loaded");
	ASSERT_TRUE(strstr(perm, "EPERM") && strstr(perm, "CAP_MAC_ADMIN"));
}
