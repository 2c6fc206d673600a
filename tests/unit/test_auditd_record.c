// SPDX-License-Identifier: GPL-2.0-only
/*
 * auditd/record.c: the one check of the ring buffer's records before any
 * field is read (the fuzz target tests/fuzz/fuzz_auditd_events.c goes on
 * from here).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "auditd/bpf/event.h"
#include "auditd/record.h"
#include "tests/harness.h"

#define HEAD offsetof(struct auditd_event, data)

TEST(record_event)
{
	struct auditd_event *e = calloc(1, sizeof(*e));

	ASSERT_TRUE(e);
	e->kind = AUDITD_KIND_EVENT;
	ASSERT_EQ(auditd_record_kind(e, HEAD), AUDITD_KIND_EVENT);
	ASSERT_EQ(auditd_record_kind(e, HEAD - 1), -EBADMSG);
	e->path_len = 10;
	e->exe_len = 20;
	e->argv_len = 30;
	ASSERT_EQ(auditd_record_kind(e, HEAD + 60), AUDITD_KIND_EVENT);
	ASSERT_EQ(auditd_record_kind(e, HEAD + 59), -EBADMSG);
	ASSERT_EQ(auditd_record_kind(e, sizeof(*e)), AUDITD_KIND_EVENT);
	/* each length within its own limit, not only within the record */
	e->path_len = AUDITD_PATH_LEN + 1;
	e->exe_len = e->argv_len = 0;
	ASSERT_EQ(auditd_record_kind(e, sizeof(*e)), -EBADMSG);
	e->path_len = 0;
	e->argv_len = AUDITD_ARGV_LEN + 1;
	ASSERT_EQ(auditd_record_kind(e, sizeof(*e)), -EBADMSG);
	/* 16-bit lengths whose sum would wrap a 16-bit count */
	e->path_len = e->exe_len = AUDITD_PATH_LEN;
	e->argv_len = AUDITD_ARGV_LEN;
	ASSERT_EQ(auditd_record_kind(e, HEAD + (size_t)2 * AUDITD_PATH_LEN + AUDITD_ARGV_LEN),
		  AUDITD_KIND_EVENT);
	ASSERT_EQ(auditd_record_kind(e, HEAD + (size_t)2 * AUDITD_PATH_LEN + AUDITD_ARGV_LEN - 1),
		  -EBADMSG);
	free(e);
}

TEST(record_volume_and_junk)
{
	struct auditd_volume_event ve = { .kind = AUDITD_KIND_VOLUME };
	unsigned char junk[8] = { 3 };

	ASSERT_EQ(auditd_record_kind(&ve, sizeof(ve)), AUDITD_KIND_VOLUME);
	ASSERT_EQ(auditd_record_kind(&ve, sizeof(ve) - 1), -EBADMSG);
	ASSERT_EQ(auditd_record_kind(junk, sizeof(junk)), -EBADMSG);
	ASSERT_EQ(auditd_record_kind(junk, 3), -EBADMSG);
	ASSERT_EQ(auditd_record_kind(junk, 0), -EBADMSG);
}
