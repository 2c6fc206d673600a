// SPDX-License-Identifier: GPL-2.0-only
/* ipe-auditd and the kernel's word: IPE's 1420 records parsed, and the cross-check's matching. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "auditd/audit_record.h"
#include "auditd/xcheck.h"
#include "lib/macro.h"
#include "tests/harness.h"

/* Captured from IPE in the test VM (Linux 6.12, tests/vm/auditd_test.sh), as the audit
 * netlink group delivers them: the text after "type=1420 " in dmesg. */
static const char rec_tmpfs[] =
	"audit(1796027270.151:6): ipe_op=EXECUTE ipe_hook=BPRM_CHECK enforcing=0 pid=236 comm=\"sh\" "
	"path=\"/tmp/busybox\" dev=\"tmpfs\" ino=5 rule=\"DEFAULT op=EXECUTE action=DENY\"";
/* a path with a space: audit_log_untrustedstring() writes it in hex */
static const char rec_memfd[] =
	"audit(1796027270.247:10): ipe_op=EXECUTE ipe_hook=BPRM_CHECK enforcing=0 pid=239 comm=\"memfd-exec\" "
	"path=2F6D656D66643A6175646974642D6D656D6664202864656C6574656429 dev=\"tmpfs\" ino=5 "
	"rule=\"DEFAULT op=EXECUTE action=DENY\"";
static const char rec_anon[] = "audit(1796027270.311:16): ipe_op=EXECUTE ipe_hook=MPROTECT enforcing=0 pid=242 comm=\"mmap-exec\" "
			       "path=? dev=? ino=? rule=\"DEFAULT op=EXECUTE action=DENY\"";
static const char rec_kmod_enforce[] =
	"audit(1796027297.451:67): ipe_op=KMODULE ipe_hook=KERNEL_READ enforcing=1 pid=460 comm=\"insmod\" "
	"path=\"/tmp/mod.ko\" dev=\"tmpfs\" ino=17 rule=\"DEFAULT op=KMODULE action=DENY\"";
static const char rec_kload[] = "audit(1796027282.487:46): ipe_op=KMODULE ipe_hook=KERNEL_LOAD enforcing=0 pid=328 comm=\"insmod\" "
				"path=? dev=? ino=? rule=\"DEFAULT op=KMODULE action=DENY\"";
static const char rec_verity[] =
	"audit(1796027282.219:30): ipe_op=EXECUTE ipe_hook=BPRM_CHECK enforcing=0 pid=320 comm=\"sh\" "
	"path=\"/mnt/sq/bin/busybox\" dev=\"dm-0\" ino=2 rule=\"DEFAULT op=EXECUTE action=DENY\"";

TEST(access_record_file)
{
	struct ipe_access a;

	ASSERT_OK(ipe_access_parse(rec_tmpfs, strlen(rec_tmpfs), &a));
	ASSERT_EQ(a.time_ms, 1796027270151ull);
	ASSERT_EQ(a.serial, 6);
	ASSERT_EQ(a.op, IPE_OP_EXECUTE);
	ASSERT_EQ(a.hook, IPE_HOOK_BPRM_CHECK);
	ASSERT_EQ(a.enforcing, 0);
	ASSERT_EQ(a.pid, 236);
	ASSERT_STREQ(a.comm, "sh");
	ASSERT_TRUE(a.has_file);
	ASSERT_STREQ(a.path, "/tmp/busybox");
	ASSERT_EQ(a.path_len, 12);
	ASSERT_STREQ(a.dev, "tmpfs");
	ASSERT_EQ(a.ino, 5);
	ASSERT_STREQ(a.rule, "DEFAULT op=EXECUTE action=DENY");
	ASSERT_EQ(a.action, IPE_ACTION_DENY);
	ipe_access_done(&a);

	ASSERT_OK(ipe_access_parse(rec_verity, strlen(rec_verity), &a));
	ASSERT_STREQ(a.dev, "dm-0");
	ASSERT_EQ(a.ino, 2);
	ipe_access_done(&a);

	ASSERT_OK(ipe_access_parse(rec_kmod_enforce, strlen(rec_kmod_enforce), &a));
	ASSERT_EQ(a.op, IPE_OP_KMODULE);
	ASSERT_EQ(a.hook, IPE_HOOK_KERNEL_READ);
	ASSERT_EQ(a.enforcing, 1);
	ASSERT_STREQ(a.rule, "DEFAULT op=KMODULE action=DENY");
	ipe_access_done(&a);
}

TEST(access_record_hex_and_none)
{
	struct ipe_access a;

	ASSERT_OK(ipe_access_parse(rec_memfd, strlen(rec_memfd), &a));
	ASSERT_STREQ(a.path, "/memfd:auditd-memfd (deleted)");
	ASSERT_EQ(a.path_len, 29);
	ASSERT_STREQ(a.comm, "memfd-exec");
	ipe_access_done(&a);

	ASSERT_OK(ipe_access_parse(rec_anon, strlen(rec_anon), &a));
	ASSERT_EQ(a.hook, IPE_HOOK_MPROTECT);
	ASSERT_TRUE(!a.has_file);
	ASSERT_TRUE(a.path == NULL);
	ASSERT_STREQ(a.dev, "");
	ipe_access_done(&a);

	ASSERT_OK(ipe_access_parse(rec_kload, strlen(rec_kload), &a));
	ASSERT_EQ(a.hook, IPE_HOOK_KERNEL_LOAD);
	ASSERT_TRUE(!a.has_file);
	ipe_access_done(&a);
}

TEST(access_record_rules_and_bytes)
{
	/* audit_rule()'s form of a matched rule (security/ipe/audit.c), an allow, a comm in hex
	 * with a byte that is not UTF-8, and the dmesg form with a trailing newline */
	static const char rule[] =
		"audit(1.5:7): ipe_op=EXECUTE ipe_hook=MMAP enforcing=1 pid=9 comm=6120FF "
		"path=\"/usr/lib/libc.so.6\" dev=\"dm-3\" ino=14549020 "
		"rule=\"op=EXECUTE dmverity_roothash=sha256:ED96F577 dmverity_signature=TRUE action=ALLOW\"\n";
	struct ipe_access a;

	ASSERT_OK(ipe_access_parse(rule, sizeof(rule) - 1, &a));
	ASSERT_EQ(a.time_ms, 1005);
	ASSERT_EQ(a.comm_len, 3);
	ASSERT_MEMEQ(a.comm, "a \xff", 3);
	ASSERT_STREQ(a.rule,
		     "op=EXECUTE dmverity_roothash=sha256:ED96F577 dmverity_signature=TRUE action=ALLOW");
	ASSERT_EQ(a.action, IPE_ACTION_ALLOW);
	ipe_access_done(&a);

	/* without the audit(...) prefix */
	ASSERT_OK(ipe_access_parse(strstr(rec_tmpfs, "ipe_op"), strlen(strstr(rec_tmpfs, "ipe_op")),
				   &a));
	ASSERT_EQ(a.time_ms, 0);
	ASSERT_EQ(a.ino, 5);
	ipe_access_done(&a);
}

TEST(access_record_refused)
{
	static const char *const bad[] = {
		"",
		"audit(1.0:1): ipe_op=EXECUTE",
		"ipe_op=NOPE ipe_hook=MMAP enforcing=0 pid=1 comm=\"a\" path=? dev=? ino=? rule=\"DEFAULT action=DENY\"",
		"ipe_op=EXECUTE ipe_hook=NOPE enforcing=0 pid=1 comm=\"a\" path=? dev=? ino=? rule=\"DEFAULT action=DENY\"",
		"ipe_op=EXECUTE ipe_hook=MMAP enforcing=2 pid=1 comm=\"a\" path=? dev=? ino=? rule=\"DEFAULT action=DENY\"",
		"ipe_op=EXECUTE ipe_hook=MMAP enforcing=0 pid=x comm=\"a\" path=? dev=? ino=? rule=\"DEFAULT action=DENY\"",
		"ipe_op=EXECUTE ipe_hook=MMAP enforcing=0 pid=1 comm=\"a path=? dev=? ino=? rule=\"DEFAULT action=DENY\"",
		"ipe_op=EXECUTE ipe_hook=MMAP enforcing=0 pid=1 comm=6 path=? dev=? ino=? rule=\"DEFAULT action=DENY\"",
		"ipe_op=EXECUTE ipe_hook=MMAP enforcing=0 pid=1 comm=ZZ path=? dev=? ino=? rule=\"DEFAULT action=DENY\"",
		"ipe_op=EXECUTE ipe_hook=MMAP enforcing=0 pid=1 comm=\"a\" path=\"/x\" dev=\"d\" ino=q rule=\"DEFAULT action=DENY\"",
		"ipe_op=EXECUTE ipe_hook=MMAP enforcing=0 pid=1 comm=\"a\" path=? dev=? ino=? rule=\"DEFAULT action=MAYBE\"",
		"ipe_op=EXECUTE ipe_hook=MMAP enforcing=0 pid=1 comm=\"a\" path=? dev=? ino=? rule=\"DEFAULT action=DENY",
		"ipe_op=EXECUTE ipe_hook=MMAP enforcing=0 pid=1 comm=\"a\" path=? dev=\"x\" ino=1 rule=\"DEFAULT action=DENY\"",
		/* bytes the kernel would have written in hex (audit_string_contains_control()) */
		"ipe_op=EXECUTE ipe_hook=MMAP enforcing=0 pid=1 comm=\"a b\" path=? dev=? ino=? rule=\"DEFAULT action=DENY\"",
		"ipe_op=EXECUTE ipe_hook=MMAP enforcing=0 pid=1 comm=\"a\x01\" path=? dev=? ino=? rule=\"DEFAULT action=DENY\"",
		"ipe_op=EXECUTE ipe_hook=MMAP enforcing=0 pid=1 comm=\"\xc3\xa9\" path=? dev=? ino=? rule=\"DEFAULT action=DENY\"",
	};
	struct ipe_access a;

	for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
		int k = ipe_access_parse(bad[i], strlen(bad[i]), &a);

		if (k != -EBADMSG)
			harness_fail(__FILE__, __LINE__, "bad record %zu: %d, expected -EBADMSG", i, k);
		ASSERT_TRUE(a.path == NULL && a.rule == NULL);
	}
}

/* ---- the cross-check ---- */

struct seen {
	int n;
	enum xcheck_side side[8];
	uint64_t id[8];
};

static int collect(void *ctx, const struct xcheck_item *it)
{
	struct seen *s = ctx;

	if (s->n < 8) {
		s->side[s->n] = it->side;
		s->id[s->n] = it->id;
	}
	s->n++;
	return 0;
}

static struct xcheck_item item(enum xcheck_side side, const char *dev, uint64_t ino, uint64_t id)
{
	struct xcheck_item it = { .side = side,
				  .id = id,
				  .key = { .op = IPE_OP_EXECUTE, .hook = IPE_HOOK_BPRM_CHECK } };

	if (dev) {
		it.key.has_file = true;
		snprintf(it.key.dev, sizeof(it.key.dev), "%s", dev);
		it.key.ino = ino;
		it.path = strdup("/x");
		it.path_len = 2;
	} else
		strcpy(it.key.comm, "jit");
	it.rule = strdup("DEFAULT op=EXECUTE action=DENY");
	return it;
}

TEST(xcheck_matches_either_order)
{
	struct xcheck x;
	struct seen s = {};
	struct xcheck_item it;

	ASSERT_OK(xcheck_init(&x, 1000));
	it = item(XCHECK_AUDITOR, "tmpfs", 5, 1);
	ASSERT_OK(xcheck_add(&x, &it, 0, collect, &s));
	it = item(XCHECK_KERNEL, "tmpfs", 5, 40);
	ASSERT_OK(xcheck_add(&x, &it, 10, collect, &s));
	ASSERT_EQ(x.n, 0);
	/* the kernel's record first, then the auditor's event */
	it = item(XCHECK_KERNEL, NULL, 0, 41);
	ASSERT_OK(xcheck_add(&x, &it, 20, collect, &s));
	ASSERT_EQ(xcheck_next_ms(&x, 20), 1000);
	it = item(XCHECK_AUDITOR, NULL, 0, 2);
	ASSERT_OK(xcheck_add(&x, &it, 900, collect, &s));
	ASSERT_EQ(x.n, 0);
	ASSERT_EQ(xcheck_next_ms(&x, 900), -1);
	ASSERT_OK(xcheck_expire(&x, 5000, true, collect, &s));
	ASSERT_EQ(s.n, 0);
	xcheck_done(&x);
}

TEST(xcheck_unmatched_after_window)
{
	struct xcheck x;
	struct seen s = {};
	struct xcheck_item it;

	ASSERT_OK(xcheck_init(&x, 1000));
	/* same file, another hook or device or inode: no match */
	it = item(XCHECK_AUDITOR, "tmpfs", 5, 1);
	ASSERT_OK(xcheck_add(&x, &it, 0, collect, &s));
	it = item(XCHECK_KERNEL, "tmpfs", 6, 50);
	ASSERT_OK(xcheck_add(&x, &it, 100, collect, &s));
	it = item(XCHECK_KERNEL, "dm-0", 5, 51);
	it.key.hook = IPE_HOOK_MMAP;
	ASSERT_OK(xcheck_add(&x, &it, 200, collect, &s));
	ASSERT_EQ(x.n, 3);
	ASSERT_OK(xcheck_expire(&x, 999, false, collect, &s));
	ASSERT_EQ(s.n, 0);
	ASSERT_OK(xcheck_expire(&x, 1100, false, collect, &s));
	ASSERT_EQ(s.n, 2);
	ASSERT_EQ(s.side[0], XCHECK_AUDITOR);
	ASSERT_EQ(s.id[0], 1);
	ASSERT_EQ(s.side[1], XCHECK_KERNEL);
	ASSERT_EQ(s.id[1], 50);
	ASSERT_OK(xcheck_expire(&x, 1100, true, collect, &s));
	ASSERT_EQ(s.n, 3);
	ASSERT_EQ(x.n, 0);
	xcheck_done(&x);
}

TEST(xcheck_repeat_of_a_known_denial)
{
	struct xcheck x;
	struct seen s = {};
	struct xcheck_item it;

	ASSERT_OK(xcheck_init(&x, 1000));
	it = item(XCHECK_AUDITOR, "tmpfs", 5, 1);
	ASSERT_OK(xcheck_add(&x, &it, 0, collect, &s));
	it = item(XCHECK_KERNEL, "tmpfs", 5, 60);
	ASSERT_OK(xcheck_add(&x, &it, 0, collect, &s));
	/* IPE records the same exec again; the auditor's kernel side counted it without sending it */
	it = item(XCHECK_KERNEL, "tmpfs", 5, 61);
	ASSERT_OK(xcheck_add(&x, &it, 3000, collect, &s));
	ASSERT_OK(xcheck_expire(&x, 9000, false, collect, &s));
	ASSERT_EQ(s.n, 0);
	/* a new policy: the earlier denial vouches for nothing */
	xcheck_forget(&x);
	it = item(XCHECK_KERNEL, "tmpfs", 5, 62);
	ASSERT_OK(xcheck_add(&x, &it, 10000, collect, &s));
	ASSERT_OK(xcheck_expire(&x, 11000, false, collect, &s));
	ASSERT_EQ(s.n, 1);
	ASSERT_EQ(s.id[0], 62);
	xcheck_done(&x);
}

TEST(xcheck_bounded)
{
	struct xcheck x;
	struct seen s = {};

	ASSERT_OK(xcheck_init(&x, 1000));
	for (uint64_t i = 0; i <= XCHECK_PENDING_MAX; i++) {
		struct xcheck_item it = item(XCHECK_AUDITOR, "tmpfs", i, i + 1);

		ASSERT_OK(xcheck_add(&x, &it, 0, collect, &s));
	}
	/* the oldest was reported at once to make room */
	ASSERT_EQ(x.n, XCHECK_PENDING_MAX);
	ASSERT_EQ(s.n, 1);
	ASSERT_EQ(s.id[0], 1);
	xcheck_done(&x);
}
