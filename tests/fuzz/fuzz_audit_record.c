// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for auditd/audit_record.c, the parser of IPE's 1420
 * records (whose comm and path any process chooses). Invariants: a record
 * is accepted or refused with -EBADMSG (never anything else, never a
 * crash); an accepted one has a known hook, a rule ending in its action, a
 * path exactly when it has a file, and parses the same again.
 */
#include <errno.h>
#include <string.h>

#include "auditd/audit_record.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ipe_access a, b;
	int r = ipe_access_parse((const char *)data, size, &a);
	size_t n;

	REQUIRE(r == 0 || r == -EBADMSG || r == -ENOMEM);
	if (r < 0) {
		REQUIRE(a.path == NULL && a.rule == NULL);
		return 0;
	}
	REQUIRE(a.hook < IPE_HOOK_MAX);
	REQUIRE(a.rule);
	n = strlen(a.rule);
	REQUIRE(a.action == IPE_ACTION_ALLOW ? n >= 12 && !strcmp(a.rule + n - 12, "action=ALLOW")
					     : a.action == IPE_ACTION_DENY && n >= 11 &&
						       !strcmp(a.rule + n - 11, "action=DENY"));
	REQUIRE(a.has_file == (a.path != NULL));
	REQUIRE(a.comm_len < sizeof(a.comm));
	REQUIRE(ipe_access_parse((const char *)data, size, &b) == 0);
	REQUIRE(a.op == b.op && a.hook == b.hook && a.pid == b.pid && a.ino == b.ino &&
		a.path_len == b.path_len && !strcmp(a.rule, b.rule) && !strcmp(a.dev, b.dev) &&
		!memcmp(a.comm, b.comm, sizeof(a.comm)));
	REQUIRE(!a.path || !memcmp(a.path, b.path, a.path_len));
	ipe_access_done(&a);
	ipe_access_done(&b);
	return 0;
}
