// SPDX-License-Identifier: GPL-2.0-only
/* Evaluation (security/ipe/eval.c semantics), audit rule= strings, serialisation, the builder API. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/macro.h"
#include "policy/policy.h"
#include "tests/harness.h"

static struct ipe_policy *must_parse(const char *text)
{
	struct ipe_parse_error err;
	struct ipe_policy *p = NULL;
	int r = ipe_policy_parse(text, strlen(text), &p, &err);

	if (r < 0)
		harness_fail(__FILE__, __LINE__, "parse: %d at line %u: %s", r, err.line, err.message);
	return p;
}

/* Decision for @ctx as "ALLOW|DENY rule-string". */
static char *decide(const struct ipe_policy *p, const struct ipe_eval_ctx *ctx)
{
	struct ipe_decision d;
	_cleanup_free_ char *rule = NULL;
	char *out;

	ipe_policy_evaluate(p, ctx, &d);
	if (d.match == IPE_MATCH_NONE)
		return strdup("ALLOW (no policy)");
	ASSERT_OK(ipe_decision_rule_string(&d, &rule));
	ASSERT_TRUE(asprintf(&out, "%s %s", ipe_action_name(d.action), rule) > 0);
	return out;
}

#define ASSERT_DECISION(p, ctx, want)                     \
	do {                                              \
		_cleanup_free_ char *_d = decide(p, ctx); \
		ASSERT_STREQ(_d, want);                   \
	} while (0)

static const unsigned char root_a[32] = { 0xde, 0xad, 0xbe, 0xef, [31] = 0x01 };
static const unsigned char root_b[32] = { 0x01, 0x02, [31] = 0xff };

TEST(no_policy_allows)
{
	struct ipe_eval_ctx ctx = { .op = IPE_OP_EXECUTE, .has_file = true };
	struct ipe_decision d;
	char *s = NULL;

	ipe_policy_evaluate(NULL, &ctx, &d);
	ASSERT_EQ(d.action, IPE_ACTION_ALLOW);
	ASSERT_EQ(d.match, IPE_MATCH_NONE);
	ASSERT_EQ(ipe_decision_rule_string(&d, &s), -ENOENT);
}

TEST(first_match_then_op_default_then_global)
{
	_cleanup_(ipe_policy_freep) struct ipe_policy *p = must_parse(
		"policy_name=t policy_version=0.0.0\n"
		"DEFAULT action=ALLOW\n"
		"DEFAULT op=EXECUTE action=DENY\n"
		"op=EXECUTE dmverity_roothash=sha256:deadbeef00000000000000000000000000000000000000000000000000000001 action=DENY\n"
		"op=EXECUTE dmverity_signature=TRUE action=ALLOW\n"
		"op=KMODULE boot_verified=TRUE action=DENY\n");
	struct ipe_eval_ctx ctx = { .op = IPE_OP_EXECUTE,
				    .hook = IPE_HOOK_BPRM_CHECK,
				    .has_file = true,
				    .has_dmverity = true,
				    .dmv_alg = "sha256",
				    .dmv_digest = root_a,
				    .dmv_digest_len = 32,
				    .dmv_signed = true };

	/* signed and pinned: the earlier DENY wins */
	ASSERT_DECISION(p, &ctx,
			"DENY op=EXECUTE dmverity_roothash=\"sha256\":DEADBEEF00000000000000000000000000000000000000000000000000000001 action=DENY");
	/* another signed volume: the second rule */
	ctx.dmv_digest = root_b;
	ASSERT_DECISION(p, &ctx, "ALLOW op=EXECUTE dmverity_signature=TRUE action=ALLOW");
	/* unsigned: the op default */
	ctx.dmv_signed = false;
	ASSERT_DECISION(p, &ctx, "DENY DEFAULT op=EXECUTE action=DENY");
	/* an op with no default of its own: the global default */
	ctx.op = IPE_OP_FIRMWARE;
	ctx.hook = IPE_HOOK_KERNEL_READ;
	ASSERT_DECISION(p, &ctx, "ALLOW DEFAULT action=ALLOW");
	/* rules of other ops are not consulted */
	ctx.op = IPE_OP_KMODULE;
	ctx.initramfs = true;
	ASSERT_DECISION(p, &ctx, "DENY op=KMODULE boot_verified=TRUE action=DENY");
	/* IPE_OP_INVALID goes to the global default */
	ctx.op = IPE_OP_INVALID;
	ASSERT_DECISION(p, &ctx, "ALLOW DEFAULT action=ALLOW");
}

TEST(invalid_op_without_global_default_allows)
{
	_cleanup_(ipe_policy_freep) struct ipe_policy *p = must_parse(
		"policy_name=t policy_version=0.0.0\n"
		"DEFAULT op=EXECUTE action=DENY\nDEFAULT op=FIRMWARE action=DENY\nDEFAULT op=KMODULE action=DENY\n"
		"DEFAULT op=KEXEC_IMAGE action=DENY\nDEFAULT op=KEXEC_INITRAMFS action=DENY\n"
		"DEFAULT op=POLICY action=DENY\nDEFAULT op=X509_CERT action=DENY\n");
	struct ipe_eval_ctx ctx = { .op = IPE_OP_INVALID };
	struct ipe_decision d;

	ipe_policy_evaluate(p, &ctx, &d);
	ASSERT_EQ(d.action, IPE_ACTION_ALLOW);
	ASSERT_EQ(d.match, IPE_MATCH_GLOBAL);
	ctx.op = IPE_OP_X509;
	ASSERT_DECISION(p, &ctx, "DENY DEFAULT op=X509_CERT action=DENY");
}

TEST(rule_without_properties_matches_everything)
{
	_cleanup_(ipe_policy_freep) struct ipe_policy *p = must_parse(
		"policy_name=t policy_version=0.0.0\nDEFAULT action=DENY\nop=EXECUTE action=ALLOW\n");
	struct ipe_eval_ctx anon = { .op = IPE_OP_EXECUTE, .hook = IPE_HOOK_MMAP, .has_file = false };

	ASSERT_DECISION(p, &anon, "ALLOW op=EXECUTE action=ALLOW");
}

TEST(signature_false_semantics)
{
	_cleanup_(ipe_policy_freep) struct ipe_policy *p = must_parse(
		"policy_name=t policy_version=0.0.0\nDEFAULT action=ALLOW\n"
		"op=EXECUTE dmverity_signature=FALSE action=DENY\n"
		"op=KMODULE fsverity_signature=FALSE action=DENY\n"
		"op=FIRMWARE boot_verified=FALSE action=DENY\n");
	struct ipe_eval_ctx ctx = { .op = IPE_OP_EXECUTE, .has_file = true };

	/* no block device (tmpfs, memfd): FALSE is true */
	ASSERT_DECISION(p, &ctx, "DENY op=EXECUTE dmverity_signature=FALSE action=DENY");
	/* anonymous memory: FALSE is true as well */
	ctx.has_file = false;
	ASSERT_DECISION(p, &ctx, "DENY op=EXECUTE dmverity_signature=FALSE action=DENY");
	/* an unsigned verity device */
	ctx = (struct ipe_eval_ctx){ .op = IPE_OP_EXECUTE,
				     .has_file = true,
				     .has_dmverity = true,
				     .dmv_alg = "sha256",
				     .dmv_digest = root_a,
				     .dmv_digest_len = 32 };
	ASSERT_DECISION(p, &ctx, "DENY op=EXECUTE dmverity_signature=FALSE action=DENY");
	/* a signed one: FALSE no longer matches */
	ctx.dmv_signed = true;
	ASSERT_DECISION(p, &ctx, "ALLOW DEFAULT action=ALLOW");
	/* kernel built without the property: TRUE and FALSE both evaluate false */
	ctx.dmv_signed = false;
	ctx.props_unsupported = 1u << IPE_PROP_DMV_SIG_FALSE;
	ASSERT_DECISION(p, &ctx, "ALLOW DEFAULT action=ALLOW");

	/* fs-verity: not a verity file, verity unsigned, verity signed */
	ctx = (struct ipe_eval_ctx){ .op = IPE_OP_KMODULE, .has_file = true };
	ASSERT_DECISION(p, &ctx, "DENY op=KMODULE fsverity_signature=FALSE action=DENY");
	ctx.has_fsverity = true;
	ASSERT_DECISION(p, &ctx, "DENY op=KMODULE fsverity_signature=FALSE action=DENY");
	ctx.fsv_signed = true;
	ASSERT_DECISION(p, &ctx, "ALLOW DEFAULT action=ALLOW");
	/* fsv_signed without fs-verity means nothing */
	ctx.has_fsverity = false;
	ASSERT_DECISION(p, &ctx, "DENY op=KMODULE fsverity_signature=FALSE action=DENY");

	/* boot_verified=FALSE: true for files outside the initramfs and for no file */
	ctx = (struct ipe_eval_ctx){ .op = IPE_OP_FIRMWARE, .has_file = true, .initramfs = true };
	ASSERT_DECISION(p, &ctx, "ALLOW DEFAULT action=ALLOW");
	ctx.initramfs = false;
	ASSERT_DECISION(p, &ctx, "DENY op=FIRMWARE boot_verified=FALSE action=DENY");
	ctx.has_file = false;
	ctx.initramfs = true; /* ignored without a file */
	ASSERT_DECISION(p, &ctx, "DENY op=FIRMWARE boot_verified=FALSE action=DENY");
}

TEST(digest_match_rules)
{
	_cleanup_(ipe_policy_freep) struct ipe_policy *p = must_parse(
		"policy_name=t policy_version=0.0.0\nDEFAULT action=DENY\n"
		"op=EXECUTE fsverity_digest=sha256:DEADBEEF00000000000000000000000000000000000000000000000000000001 action=ALLOW\n"
		"op=KMODULE dmverity_roothash=SHA256:deadbeef00000000000000000000000000000000000000000000000000000001 action=ALLOW\n"
		"op=FIRMWARE dmverity_roothash=sha256:deadbeef action=ALLOW\n");
	struct ipe_eval_ctx ctx = { .op = IPE_OP_EXECUTE,
				    .has_file = true,
				    .has_fsverity = true,
				    .fsv_alg = "sha256",
				    .fsv_digest = root_a,
				    .fsv_digest_len = 32 };

	/* same alg, length and bytes; the policy's hex case does not matter */
	ASSERT_DECISION(p, &ctx,
			"ALLOW op=EXECUTE fsverity_digest=\"sha256\":DEADBEEF00000000000000000000000000000000000000000000000000000001 action=ALLOW");
	/* another algorithm name with the same bytes does not match */
	ctx.fsv_alg = "sha512";
	ASSERT_DECISION(p, &ctx, "DENY DEFAULT action=DENY");
	/* not an fs-verity file */
	ctx.fsv_alg = "sha256";
	ctx.has_fsverity = false;
	ASSERT_DECISION(p, &ctx, "DENY DEFAULT action=DENY");
	/* algorithm names are compared exactly: SHA256 never matches the kernel's sha256 */
	ctx = (struct ipe_eval_ctx){ .op = IPE_OP_KMODULE,
				     .has_file = true,
				     .has_dmverity = true,
				     .dmv_alg = "sha256",
				     .dmv_digest = root_a,
				     .dmv_digest_len = 32 };
	ASSERT_DECISION(p, &ctx, "DENY DEFAULT action=DENY");
	ctx.dmv_alg = "SHA256";
	ASSERT_DECISION(p, &ctx,
			"ALLOW op=KMODULE dmverity_roothash=\"SHA256\":DEADBEEF00000000000000000000000000000000000000000000000000000001 action=ALLOW");
	/* a prefix of the digest is not a match: the lengths differ */
	ctx.op = IPE_OP_FIRMWARE;
	ctx.dmv_alg = "sha256";
	ASSERT_DECISION(p, &ctx, "DENY DEFAULT action=DENY");
	ctx.dmv_digest_len = 4;
	ASSERT_DECISION(p, &ctx,
			"ALLOW op=FIRMWARE dmverity_roothash=\"sha256\":DEADBEEF action=ALLOW");
}

TEST(rule_string_property_order_and_escaping)
{
	_cleanup_(ipe_policy_freep) struct ipe_policy *p = must_parse(
		"policy_name=t policy_version=0.0.0\nDEFAULT action=ALLOW\n"
		"op=KEXEC_IMAGE   fsverity_signature=TRUE\tboot_verified=FALSE dmverity_roothash=sha\xe9:0a action=DENY # c\n");
	_cleanup_free_ char *audit = NULL, *text = NULL;

	ASSERT_EQ(p->n_rules, 1);
	ASSERT_OK(ipe_rule_to_string(&p->rules[0], true, &audit));
	/* an algorithm name with a byte above 0x7e is written as hex, without quotes */
	ASSERT_STREQ(audit,
		     "op=KEXEC_IMAGE fsverity_signature=TRUE boot_verified=FALSE dmverity_roothash=736861E9:0A action=DENY");
	ASSERT_OK(ipe_rule_to_string(&p->rules[0], false, &text));
	ASSERT_STREQ(text,
		     "op=KEXEC_IMAGE fsverity_signature=TRUE boot_verified=FALSE dmverity_roothash=sha\xe9:0a action=DENY");
}

TEST(format_roundtrip)
{
	static const char in[] = "# header comment\r\n"
				 "  policy_name=Spectrum_root  policy_version=+01.02.0003 # c\n"
				 "op=EXECUTE dmverity_roothash=sha256:ABCDEF action=ALLOW\n"
				 "DEFAULT op=KMODULE action=DENY\n"
				 "DEFAULT action=ALLOW\n"
				 "op=KMODULE boot_verified=TRUE fsverity_digest=:  action=ALLOW\n";
	_cleanup_(ipe_policy_freep) struct ipe_policy *p = must_parse(in), *q = NULL;
	_cleanup_free_ char *out = NULL, *out2 = NULL;
	size_t len;

	ASSERT_OK(ipe_policy_format(p, &out, &len));
	ASSERT_EQ(len, strlen(out));
	ASSERT_STREQ(out, "policy_name=Spectrum_root policy_version=1.2.3\n"
			  "DEFAULT action=ALLOW\n"
			  "DEFAULT op=KMODULE action=DENY\n"
			  "op=EXECUTE dmverity_roothash=sha256:abcdef action=ALLOW\n"
			  "op=KMODULE boot_verified=TRUE fsverity_digest=: action=ALLOW\n");
	q = must_parse(out);
	ASSERT_TRUE(ipe_policy_equal(p, q));
	ASSERT_OK(ipe_policy_format(q, &out2, NULL));
	ASSERT_STREQ(out2, out);
	q->rules[0].action = IPE_ACTION_DENY;
	ASSERT_TRUE(!ipe_policy_equal(p, q));
}

TEST(builder_api)
{
	static const uint16_t v[3] = { 2, 0, 7 };
	_cleanup_(ipe_policy_freep) struct ipe_policy *p = NULL, *q = NULL;
	_cleanup_free_ char *text = NULL;
	char sha256[] = "sha256", bad[] = "sha:256";
	unsigned char digest[32];
	struct ipe_prop props[2] = {
		{ .type = IPE_PROP_DMV_ROOTHASH,
		  .digest = { .alg = sha256, .bytes = digest, .len = 32 } },
		{ .type = IPE_PROP_DMV_SIG_TRUE },
	};

	memcpy(digest, root_a, sizeof(digest));
	ASSERT_EQ(ipe_policy_new("a/b", v, &p), -EACCES);
	ASSERT_OK(ipe_policy_new("spectrum", v, &p));
	/* no default yet: nothing the kernel would load */
	ASSERT_EQ(ipe_policy_format(p, &text, NULL), -EINVAL);
	ASSERT_OK(ipe_policy_set_default(p, IPE_OP_INVALID, IPE_ACTION_DENY));
	ASSERT_EQ(ipe_policy_set_default(p, IPE_OP_INVALID, IPE_ACTION_ALLOW), -EEXIST);
	ASSERT_OK(ipe_policy_set_default(p, IPE_OP_KMODULE, IPE_ACTION_ALLOW));
	ASSERT_OK(ipe_policy_add_rule(p, IPE_OP_EXECUTE, IPE_ACTION_ALLOW, props, 2));
	ASSERT_EQ(ipe_policy_add_rule(p, IPE_OP_INVALID, IPE_ACTION_ALLOW, NULL, 0), -EINVAL);
	ASSERT_EQ(ipe_policy_add_rule(p, IPE_OP_EXECUTE, IPE_ACTION_INVALID, NULL, 0), -EINVAL);
	props[0].digest.alg = bad;
	ASSERT_EQ(ipe_policy_add_rule(p, IPE_OP_EXECUTE, IPE_ACTION_ALLOW, props, 1), -EINVAL);
	ASSERT_OK(ipe_policy_format(p, &text, NULL));
	ASSERT_STREQ(text,
		     "policy_name=spectrum policy_version=2.0.7\n"
		     "DEFAULT action=DENY\n"
		     "DEFAULT op=KMODULE action=ALLOW\n"
		     "op=EXECUTE dmverity_roothash=sha256:deadbeef00000000000000000000000000000000000000000000000000000001 dmverity_signature=TRUE action=ALLOW\n");
	ASSERT_OK(ipe_policy_parse(text, strlen(text), &q, NULL));
	ASSERT_TRUE(ipe_policy_equal(p, q));
}

/* Comments and the order of per-op defaults survive into the text; the parser drops the comments. */
TEST(format_comments_and_default_order)
{
	static const uint16_t v[3] = { 1, 0, 0 };
	_cleanup_(ipe_policy_freep) struct ipe_policy *p = NULL, *q = NULL;
	_cleanup_free_ char *text = NULL, *again = NULL;

	ASSERT_OK(ipe_policy_new("t", v, &p));
	ASSERT_OK(ipe_policy_set_comment(p, IPE_COMMENT_HEADER, 0, "top"));
	ASSERT_OK(ipe_policy_set_comment(p, IPE_COMMENT_DEFAULTS, 0, "two\nlines"));
	ASSERT_OK(ipe_policy_set_default(p, IPE_OP_INVALID, IPE_ACTION_ALLOW));
	ASSERT_OK(ipe_policy_set_default(p, IPE_OP_KMODULE, IPE_ACTION_DENY));
	ASSERT_OK(ipe_policy_set_default(p, IPE_OP_EXECUTE, IPE_ACTION_DENY));
	ASSERT_ERRNO(ipe_policy_set_comment(p, IPE_COMMENT_RULE, 0, "no rule yet"), EINVAL);
	ASSERT_OK(ipe_policy_add_rule(p, IPE_OP_EXECUTE, IPE_ACTION_ALLOW,
				      &(struct ipe_prop){ .type = IPE_PROP_BOOT_VERIFIED_TRUE }, 1));
	ASSERT_OK(ipe_policy_add_rule(p, IPE_OP_KMODULE, IPE_ACTION_ALLOW,
				      &(struct ipe_prop){ .type = IPE_PROP_BOOT_VERIFIED_TRUE }, 1));
	/* a carriage return or any control byte would end the comment early in the parser */
	ASSERT_OK(ipe_policy_set_comment(p, IPE_COMMENT_RULE, 1,
					 "cr\r here\x01 op=EXECUTE action=DENY"));
	ASSERT_OK(ipe_policy_format(p, &text, NULL));
	ASSERT_STREQ(text, "# top\n"
			   "policy_name=t policy_version=1.0.0\n"
			   "\n# two\n# lines\n"
			   "DEFAULT action=ALLOW\n"
			   "DEFAULT op=KMODULE action=DENY\n"
			   "DEFAULT op=EXECUTE action=DENY\n"
			   "op=EXECUTE boot_verified=TRUE action=ALLOW\n"
			   "\n# cr? here? op=EXECUTE action=DENY\n"
			   "op=KMODULE boot_verified=TRUE action=ALLOW\n");
	ASSERT_OK(ipe_policy_parse(text, strlen(text), &q, NULL));
	ASSERT_TRUE(ipe_policy_equal(p, q));
	ASSERT_TRUE(q->comment == NULL && q->rules[1].comment == NULL);
	/* the parser keeps the file's order of DEFAULT lines */
	ASSERT_OK(ipe_policy_format(q, &again, NULL));
	ASSERT_TRUE(strstr(again, "DEFAULT op=KMODULE action=DENY\nDEFAULT op=EXECUTE action=DENY\n"));
}
