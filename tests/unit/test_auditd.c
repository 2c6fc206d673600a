// SPDX-License-Identifier: GPL-2.0-only
/* ipe-auditd's judging of records: decisions, rule strings, reasons, hints, trusted volumes, dedup. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "auditd/dedup.h"
#include "auditd/evaluate.h"
#include "auditd/output.h"
#include "json/json.h"
#include "lib/macro.h"
#include "tests/harness.h"

static struct ipe_policy *must_parse(const char *text)
{
	struct ipe_parse_error err;
	struct ipe_policy *p = NULL;

	if (ipe_policy_parse(text, strlen(text), &p, &err) < 0)
		harness_fail(__FILE__, __LINE__, "parse: line %u: %s", err.line, err.message);
	return p;
}

static const char pol[] = "policy_name=cand policy_version=0.0.1\n"
			  "DEFAULT action=ALLOW\n"
			  "DEFAULT op=EXECUTE action=DENY\n"
			  "op=EXECUTE dmverity_roothash=sha256:deadbeef00000000000000000000000000000000000000000000000000000001 action=ALLOW\n"
			  "op=EXECUTE dmverity_signature=TRUE action=ALLOW\n";

static struct auditd_volume volume(unsigned char first, bool sig)
{
	struct auditd_volume v = { .dev = 253u << 20, .digest_len = 32, .sig_valid = sig };

	strcpy(v.alg, "sha256");
	strcpy(v.name, "root");
	v.digest[0] = first;
	v.digest[31] = 1;
	return v;
}

static struct auditd_event file_event(void)
{
	struct auditd_event e = { .kind = AUDITD_KIND_EVENT,
				  .op = AUDITD_OP_EXECUTE,
				  .hook = AUDITD_HOOK_BPRM_CHECK,
				  .flags = AUDITD_F_HAS_FILE,
				  .dev = 253u << 20,
				  .ino = 12 };

	strcpy(e.comm, "sh");
	return e;
}

TEST(allowed_volume_rule_string_is_ipes)
{
	_cleanup_(ipe_policy_freep) struct ipe_policy *p = must_parse(pol);
	struct auditd_volume v = volume(0xde, false);
	struct auditd_event e = file_event();
	struct auditd_verdict r;

	v.digest[1] = 0xad, v.digest[2] = 0xbe, v.digest[3] = 0xef;
	ASSERT_OK(auditd_evaluate(p, &e, &v, NULL, &r));
	ASSERT_EQ(r.decision.action, IPE_ACTION_ALLOW);
	/* security/ipe/audit.c: the algorithm as an untrusted string, the digest in upper-case hex */
	ASSERT_STREQ(r.rule,
		     "op=EXECUTE dmverity_roothash=\"sha256\":DEADBEEF00000000000000000000000000000000000000000000000000000001 action=ALLOW");
	ASSERT_TRUE(r.reason == NULL && r.hint == NULL);
	auditd_verdict_done(&r);
}

TEST(reasons_and_hints)
{
	_cleanup_(ipe_policy_freep) struct ipe_policy *p = must_parse(pol);
	struct auditd_volume other = volume(0x11, false);
	struct auditd_event e = file_event();
	struct auditd_verdict r;

	/* a verity volume neither allowed by root hash nor signed: the policy allows signed ones */
	ASSERT_OK(auditd_evaluate(p, &e, &other, NULL, &r));
	ASSERT_STREQ(r.rule, "DEFAULT op=EXECUTE action=DENY");
	ASSERT_STREQ(r.reason, "unsigned");
	ASSERT_TRUE(strstr(r.hint,
			   "op=EXECUTE dmverity_roothash=sha256:1100000000000000000000000000000000000000000000000000000000000001 action=ALLOW") !=
		    NULL);
	auditd_verdict_done(&r);

	/* signed: allowed by dmverity_signature=TRUE */
	other.sig_valid = true;
	ASSERT_OK(auditd_evaluate(p, &e, &other, NULL, &r));
	ASSERT_STREQ(r.rule, "op=EXECUTE dmverity_signature=TRUE action=ALLOW");
	auditd_verdict_done(&r);

	ASSERT_OK(auditd_evaluate(p, &e, NULL, NULL, &r));
	ASSERT_STREQ(r.reason, "not-verity");
	auditd_verdict_done(&r);

	e.flags |= AUDITD_F_OVERLAY;
	ASSERT_OK(auditd_evaluate(p, &e, NULL, NULL, &r));
	ASSERT_STREQ(r.reason, "overlay-upper");
	auditd_verdict_done(&r);

	e.flags = AUDITD_F_HAS_FILE | AUDITD_F_INITRAMFS;
	ASSERT_OK(auditd_evaluate(p, &e, NULL, NULL, &r));
	ASSERT_STREQ(r.reason, "initramfs");
	ASSERT_TRUE(strstr(r.hint, "boot_verified=TRUE") != NULL);
	auditd_verdict_done(&r);

	/* anonymous memory: every property false, so dmverity_signature=TRUE cannot match */
	e.flags = 0;
	e.hook = AUDITD_HOOK_MMAP;
	ASSERT_OK(auditd_evaluate(p, &e, &other, NULL, &r));
	ASSERT_EQ(r.decision.action, IPE_ACTION_DENY);
	ASSERT_STREQ(r.reason, "anonymous");
	auditd_verdict_done(&r);

	/* kernel_load_data: never a file */
	e.op = AUDITD_OP_KMODULE;
	e.hook = AUDITD_HOOK_KERNEL_LOAD;
	ASSERT_OK(auditd_evaluate(p, &e, NULL, NULL, &r));
	ASSERT_EQ(r.decision.action, IPE_ACTION_ALLOW); /* the global DEFAULT */
	ASSERT_STREQ(r.rule, "DEFAULT action=ALLOW");
	auditd_verdict_done(&r);
}

TEST(kernel_load_reason)
{
	_cleanup_(ipe_policy_freep) struct ipe_policy *p = must_parse(
		"policy_name=x policy_version=0.0.1\nDEFAULT action=ALLOW\nDEFAULT op=KMODULE action=DENY\n");
	struct auditd_event e = { .kind = AUDITD_KIND_EVENT,
				  .op = AUDITD_OP_KMODULE,
				  .hook = AUDITD_HOOK_KERNEL_LOAD };
	struct auditd_verdict r;

	ASSERT_OK(auditd_evaluate(p, &e, NULL, NULL, &r));
	ASSERT_STREQ(r.rule, "DEFAULT op=KMODULE action=DENY");
	ASSERT_STREQ(r.reason, "no-file");
	auditd_verdict_done(&r);
}

TEST(file_less_event_with_false_properties_allowed)
{
	/* IPE: a FALSE property is true for a file-less event, so this rule allows anonymous memory */
	_cleanup_(ipe_policy_freep) struct ipe_policy *p = must_parse(
		"policy_name=x policy_version=0.0.1\nDEFAULT action=DENY\nop=EXECUTE dmverity_signature=FALSE action=ALLOW\n");
	struct auditd_event e = file_event();
	struct auditd_verdict r;

	e.flags = 0;
	e.hook = AUDITD_HOOK_MPROTECT;
	ASSERT_OK(auditd_evaluate(p, &e, NULL, NULL, &r));
	ASSERT_EQ(r.decision.action, IPE_ACTION_ALLOW);
	ASSERT_STREQ(r.rule, "op=EXECUTE dmverity_signature=FALSE action=ALLOW");
	auditd_verdict_done(&r);
}

TEST(fsverity_missing)
{
	_cleanup_(ipe_policy_freep) struct ipe_policy *p = must_parse(
		"policy_name=x policy_version=0.0.1\nDEFAULT action=DENY\nop=EXECUTE fsverity_signature=TRUE action=ALLOW\n");
	struct auditd_event e = file_event();
	struct auditd_fsverity f = {
		.enabled = true, .builtin_sig = true, .alg = "sha256", .digest_len = 32
	};
	struct auditd_verdict r;

	ASSERT_OK(auditd_evaluate(p, &e, NULL, NULL, &r));
	ASSERT_STREQ(r.reason, "fsverity-missing");
	auditd_verdict_done(&r);
	ASSERT_OK(auditd_evaluate(p, &e, NULL, &f, &r));
	ASSERT_EQ(r.decision.action, IPE_ACTION_ALLOW);
	auditd_verdict_done(&r);
}

TEST(trust_bits)
{
	_cleanup_(ipe_policy_freep) struct ipe_policy *p = must_parse(pol);
	_cleanup_(ipe_policy_freep) struct ipe_policy *boot = must_parse(
		"policy_name=x policy_version=0.0.1\nDEFAULT action=DENY\nop=EXECUTE boot_verified=TRUE action=ALLOW\n"
		"op=KMODULE dmverity_signature=TRUE action=ALLOW\n");
	_cleanup_(ipe_policy_freep) struct ipe_policy *fsv = must_parse(
		"policy_name=x policy_version=0.0.1\nDEFAULT action=ALLOW\nop=EXECUTE fsverity_signature=FALSE action=DENY\n");
	struct auditd_volume allowed = volume(0xde, false), other = volume(0x11, false),
			     sig = volume(0x22, true);
	struct auditd_trust t;

	allowed.digest[1] = 0xad, allowed.digest[2] = 0xbe, allowed.digest[3] = 0xef;
	auditd_trust_bits(p, &allowed, &t);
	/* EXECUTE by root hash, every other op by the global default */
	ASSERT_EQ(t.allow_ops, (1u << IPE_OP_MAX) - 1);
	ASSERT_EQ(t.allow_ops_initramfs, (1u << IPE_OP_MAX) - 1);
	auditd_trust_bits(p, &other, &t);
	ASSERT_EQ(t.allow_ops, ((1u << IPE_OP_MAX) - 1) & ~(1u << IPE_OP_EXECUTE));
	auditd_trust_bits(boot, &sig, &t);
	ASSERT_EQ(t.allow_ops, 1u << IPE_OP_KMODULE);
	ASSERT_EQ(t.allow_ops_initramfs, 1u << IPE_OP_EXECUTE | 1u << IPE_OP_KMODULE);
	/* an op whose answer depends on the file's fs-verity is never decided per volume */
	auditd_trust_bits(fsv, &sig, &t);
	ASSERT_EQ(t.allow_ops & (1u << IPE_OP_EXECUTE), 0);
}

TEST(dedup_keys_and_bound)
{
	struct dedup d;
	struct auditd_event e = file_event(), anon = file_event();

	ASSERT_EQ(dedup_init(&d, 3), -EINVAL);
	ASSERT_OK(dedup_init(&d, 8));
	ASSERT_TRUE(!dedup_seen(&d, &e));
	ASSERT_TRUE(dedup_seen(&d, &e));
	e.hook = AUDITD_HOOK_MMAP; /* another hook, another key */
	ASSERT_TRUE(!dedup_seen(&d, &e));
	anon.flags = 0;
	ASSERT_TRUE(!dedup_seen(&d, &anon));
	anon.ino = 99; /* anonymous memory is keyed by comm, not by inode */
	ASSERT_TRUE(dedup_seen(&d, &anon));
	strcpy(anon.comm, "other");
	ASSERT_TRUE(!dedup_seen(&d, &anon));
	/* 8 slots keep at most 6; later keys are not remembered, and counted */
	for (unsigned i = 0; i < 10; i++) {
		e.ino = 1000 + i;
		(void)dedup_seen(&d, &e);
	}
	ASSERT_EQ(d.n, 6);
	ASSERT_EQ(d.full, 8);
	e.ino = 1009;
	ASSERT_TRUE(!dedup_seen(&d, &e));
	dedup_clear(&d);
	ASSERT_EQ(d.n, 0);
	dedup_done(&d);
}

TEST(walked_path_as_d_path)
{
	size_t len;
	_cleanup_free_ char *a = walked_path("tru\0mnt\0tmp\0", 12, false, &len);
	_cleanup_free_ char *b = walked_path("memfd:x\0", 8, true, &len);
	_cleanup_free_ char *c = walked_path("", 0, false, &len);

	ASSERT_STREQ(a, "/tmp/mnt/tru");
	ASSERT_STREQ(b, "/memfd:x (deleted)");
	ASSERT_EQ(len, 1);
	ASSERT_STREQ(c, "/");
}

/* One event record through output_event(), read back with the JSON reader. */
TEST(event_record)
{
	_cleanup_(ipe_policy_freep) struct ipe_policy *p = must_parse(pol);
	struct auditd_volume v = volume(0x11, false);
	struct auditd_event e = file_event();
	struct output o = { .boot_to_real_ns = 1000000000 };
	_cleanup_json_ struct json_object *j = NULL;
	struct auditd_verdict r;
	_cleanup_free_ char *arg1 = NULL;
	char buf[8192];
	size_t n = 0;
	int fds[2];
	ssize_t k;

	/* path "/x/a\nb", exe "/bin/sh", argv "sh", "-c\xff" */
	static const char data[] = "a\nb\0x\0sh\0bin\0sh\0-c\xff";
	memcpy(e.data, data, sizeof(data) - 1);
	e.path_len = 6, e.exe_len = 7, e.argv_len = 6;
	e.hook = AUDITD_HOOK_MMAP;
	e.prot = 5;
	e.dev = 253u << 20 | 3;
	e.pid = e.tgid = 42;
	e.time_ns = 5;
	strcpy(e.fstype, "squashfs");
	strcpy(e.sb_id, "dm-3");
	e.file_ino = 12;
	ASSERT_OK(pipe(fds));
	o.fd = fds[1];
	ASSERT_OK(auditd_evaluate(p, &e, &v, NULL, &r));
	ASSERT_OK(output_event(&o, &e, &r, &v));
	auditd_verdict_done(&r);
	close(fds[1]);
	while ((k = read(fds[0], buf + n, sizeof(buf) - n)) > 0)
		n += (size_t)k;
	close(fds[0]);
	ASSERT_TRUE(n > 0 && buf[n - 1] == '\n' && memchr(buf, '\n', n) == buf + n - 1);
	ASSERT_OK(json_parse_document(buf, n, &j));
	ASSERT_STREQ(json_object_get_string(json_object_object_get(j, "type")), "event");
	ASSERT_STREQ(json_object_get_string(json_object_object_get(j, "time")),
		     "1970-01-01T00:00:01.000000005Z");
	ASSERT_EQ(json_object_get_int64(json_object_object_get(j, "seq")), 1);
	ASSERT_STREQ(json_object_get_string(json_object_object_get(j, "hook")), "MMAP");
	ASSERT_STREQ(json_object_get_string(json_object_object_get(j, "path")), "/x/a\nb");
	ASSERT_STREQ(json_object_get_string(json_object_object_get(j, "exe")), "/bin/sh");
	ASSERT_STREQ(json_object_get_string(json_object_object_get(j, "dev")), "253:3");
	ASSERT_STREQ(json_object_get_string(json_object_object_get(j, "audit_dev")), "dm-3");
	ASSERT_STREQ(json_object_get_string(json_object_object_get(j, "reason")), "unsigned");
	ASSERT_TRUE(!json_object_get_boolean(
		json_object_object_get(json_object_object_get(j, "verity"), "signed")));
	ASSERT_STREQ(json_object_get_string(
			     json_object_object_get(json_object_object_get(j, "verity"), "roothash")),
		     "sha256:1100000000000000000000000000000000000000000000000000000000000001");
	ASSERT_EQ(json_object_array_length(json_object_object_get(j, "argv")), 2);
	/* "-c\xff" is not UTF-8: an array of byte values that decodes to the same bytes */
	ASSERT_TRUE(json_object_is_type(json_object_array_get_idx(json_object_object_get(j, "argv"), 1),
					json_type_array));
	ASSERT_OK(json_bytes_get(json_object_array_get_idx(json_object_object_get(j, "argv"), 1),
				 &arg1, &n));
	ASSERT_EQ(n, 3);
	ASSERT_MEMEQ(arg1, "-c\xff", 3);
}
