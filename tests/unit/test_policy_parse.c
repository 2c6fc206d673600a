// SPDX-License-Identifier: GPL-2.0-only
/* The policy parser against the kernel's own test vectors and grammar rules. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/errno_name.h"
#include "lib/fileio.h"
#include "lib/macro.h"
#include "policy/digest.h"
#include "policy/policy.h"
#include "tests/harness.h"

/* Parse @len bytes and return the errno (0 = loads). */
static int parse_len(const char *text, size_t len)
{
	struct ipe_policy *p = NULL;
	int r = ipe_policy_parse(text, len, &p, NULL);

	if (r == 0)
		ASSERT_TRUE(p != NULL);
	else
		ASSERT_TRUE(p == NULL);
	ipe_policy_free(p);
	return r;
}

static int parse(const char *text)
{
	return parse_len(text, strlen(text));
}

/* The checker must agree with the parser on the verdict. */
static int check_errno(const char *text, size_t len)
{
	struct ipe_check_result res = {};
	int r;

	ASSERT_OK(ipe_policy_check(text, len, &res));
	r = res.kernel_errno;
	ASSERT_EQ(r == 0, res.policy != NULL);
	ASSERT_EQ(r != 0, res.n_errors > 0);
	ipe_check_result_done(&res);
	return r;
}

/* security/ipe/policy_tests.c, every vector with the errno ipe_new_policy() returns. */
static const struct {
	const char *desc;
	const char *text;
	int errno_;
} kunit[] = {
	{ "basic", "policy_name=allowall policy_version=0.0.0\nDEFAULT action=ALLOW", 0 },
	{ "trailing comment",
	  "policy_name=trailing_comment policy_version=152.0.0 #This is comment\nDEFAULT action=ALLOW",
	  0 },
	{ "trailing newline",
	  "policy_name=allowallnewline policy_version=0.2.0\nDEFAULT action=ALLOW\n\n", 0 },
	{ "clrf newline",
	  "policy_name=carriagereturnlinefeed policy_version=0.0.1\nDEFAULT action=ALLOW\n\r\n", 0 },
	{ "various whitespaces and nested default",
	  "policy_name=whitespace policy_version=0.0.0\n"
	  "DEFAULT\taction=ALLOW\n"
	  "     \t     DEFAULT \t    op=EXECUTE      action=DENY\n"
	  "op=EXECUTE boot_verified=TRUE action=ALLOW\n"
	  "# this is a\tcomment\t\t\t\t\n"
	  "DEFAULT \t op=KMODULE\t\t\t  action=DENY\r\n"
	  "op=KMODULE boot_verified=TRUE action=ALLOW\n",
	  0 },
	{ "negative version",
	  "policy_name=boot_verified policy_version=-1236.0.0\nDEFAULT\taction=ALLOW\n", -EINVAL },
	{ "special characters",
	  "policy_name=$@!*&^%%\\:;{}() policy_version=0.0.0\nDEFAULT action=ALLOW", 0 },
	{ "overflow version", "policy_name=test policy_version=999999.0.0\nDEFAULT action=ALLOW",
	  -ERANGE },
	{ "incomplete version", "policy_name=test policy_version=255.0\nDEFAULT action=ALLOW", -EBADMSG },
	{ "extra version", "policy_name=test policy_version=111.0.0.0\nDEFAULT action=ALLOW", -EBADMSG },
	{ "0-length policy", "", -EBADMSG },
	{ "random null in header", "policy_name=test\0policy_version=0.0.0\nDEFAULT action=ALLOW",
	  -EBADMSG },
	{ "incomplete policy from NULL",
	  "policy_name=test policy_version=0.0.0\n\0DEFAULT action=ALLOW", -EBADMSG },
	{ "NULL truncates policy",
	  "policy_name=test policy_version=0.0.0\nDEFAULT action=DENY\n\0"
	  "op=EXECUTE dmverity_signature=TRUE action=ALLOW\n",
	  0 },
	{ "invalid property type",
	  "policy_name=test policy_version=0.0.0\nDEFAULT action=ALLOW\n"
	  "op=EXECUTE dmverity_signature=abc action=ALLOW",
	  -EBADMSG },
	{ "missing policy header", "DEFAULT action=ALLOW", -EBADMSG },
	{ "missing default definition", "policy_name=test policy_version=0.0.0\n", -EBADMSG },
	{ "invalid rule ordering",
	  "policy_name=test policy_version=0.0.0\nDEFAULT action=ALLOW\n"
	  "dmverity_signature=TRUE op=EXECUTE action=ALLOW",
	  -EBADMSG },
	{ "invalid rule ordering (2)",
	  "policy_name=test policy_version=0.0.0\nDEFAULT action=ALLOW\n"
	  "action=ALLOW op=EXECUTE dmverity_signature=TRUE",
	  -EBADMSG },
	{ "invalid version",
	  "policy_name=test policy_version=0.0\nDEFAULT action=ALLOW\n"
	  "op=EXECUTE dmverity_signature=TRUE action=ALLOW",
	  -EBADMSG },
	{ "unknown operation",
	  "policy_name=test policy_version=0.0.0\nDEFAULT action=ALLOW\n"
	  "op=UNKNOWN dmverity_signature=TRUE action=ALLOW",
	  -EBADMSG },
	{ "missing space after policy name",
	  "policy_name=asdvpolicy_version=0.0.0\nDEFAULT action=ALLOW\n", -EBADMSG },
	{ "expanded ascii",
	  "policy_name=test\xFF\xEF policy_version=0.0.0\nDEFAULT action=ALLOW\n"
	  "op=EXECUTE dmverity_signature=TRUE action=ALLOW",
	  0 },
	{ "invalid property value (2)",
	  "policy_name=test\xFF\xEF policy_version=0.0.0\nDEFAULT action=ALLOW\n"
	  "op=EXECUTE dmverity_roothash=GOOD_DOG action=ALLOW",
	  -EBADMSG },
	{ "double header",
	  "policy_name=test policy_version=0.0.0\npolicy_name=test policy_version=0.1.0\nDEFAULT action=ALLOW",
	  -EBADMSG },
	{ "double default",
	  "policy_name=test policy_version=0.0.0\nDEFAULT action=ALLOW\nDEFAULT action=ALLOW\n",
	  -EBADMSG },
	{ "double operation default",
	  "policy_name=test policy_version=0.0.0\nDEFAULT action=ALLOW\n"
	  "DEFAULT op=EXECUTE action=DENY\nDEFAULT op=EXECUTE action=ALLOW\n",
	  -EBADMSG },
	{ "invalid action value",
	  "policy_name=test policy_version=0.0.0\nDEFAULT action=ALLOW\nDEFAULT op=EXECUTE action=DEN\n",
	  -EBADMSG },
	{ "invalid action value (2)",
	  "policy_name=test policy_version=0.0.0\nDEFAULT action=ALLOW\nDEFAULT op=EXECUTE action\n",
	  -EBADMSG },
	{ "unrecognized statement",
	  "policy_name=test policy_version=0.0.0\nDEFAULT action=ALLOW\nUNKNOWN value=true\n",
	  -EBADMSG },
	{ "old-style digest",
	  "policy_name=test policy_version=0.0.0\nDEFAULT action=ALLOW\n"
	  "op=EXECUTE dmverity_roothash=1c0d7ee1f8343b7fbe418378e8eb22c061d7dec7 action=DENY\n",
	  -EBADMSG },
	{ "old-style digest (fs-verity)",
	  "policy_name=test policy_version=0.0.0\nDEFAULT action=ALLOW\n"
	  "op=EXECUTE fsverity_digest=1c0d7ee1f8343b7fbe418378e8eb22c061d7dec7 action=DENY\n",
	  -EBADMSG },
};

TEST(kunit_vectors)
{
	ASSERT_EQ(ELEMENTSOF(kunit), 32);
	for (size_t i = 0; i < ELEMENTSOF(kunit); i++) {
		int r = parse(kunit[i].text);

		if (r != kunit[i].errno_)
			harness_fail(__FILE__, __LINE__, "vector %zu '%s': got %d, want %d", i + 1,
				     kunit[i].desc, r, kunit[i].errno_);
		ASSERT_EQ(check_errno(kunit[i].text, strlen(kunit[i].text)), kunit[i].errno_);
	}
}

/* The vectors with an embedded NUL give the same answer with the bytes after it present. */
TEST(kunit_nul_vectors_full_length)
{
	static const char v12[] = "policy_name=test\0policy_version=0.0.0\nDEFAULT action=ALLOW";
	static const char v13[] = "policy_name=test policy_version=0.0.0\n\0DEFAULT action=ALLOW";
	static const char v14[] = "policy_name=test policy_version=0.0.0\nDEFAULT action=DENY\n\0"
				  "op=EXECUTE dmverity_signature=TRUE action=ALLOW\n";
	_cleanup_(ipe_policy_freep) struct ipe_policy *p = NULL;

	ASSERT_EQ(parse_len(v12, sizeof(v12) - 1), -EBADMSG);
	ASSERT_EQ(parse_len(v13, sizeof(v13) - 1), -EBADMSG);
	ASSERT_OK(ipe_policy_parse(v14, sizeof(v14) - 1, &p, NULL));
	ASSERT_EQ(p->n_rules, 0); /* the rule after the NUL is not there */
	ASSERT_EQ(p->global_default, IPE_ACTION_DENY);
}

TEST(kunit_widestring)
{
	static const wchar_t w[] = L"policy_name=Test policy_version=0.0.0\nDEFAULT action=ALLOW";
	struct ipe_check_result res = {};

	ASSERT_EQ(parse_len((const char *)w, sizeof(w) - sizeof(w[0])), -EBADMSG);
	ASSERT_OK(ipe_policy_check((const char *)w, sizeof(w) - sizeof(w[0]), &res));
	ASSERT_EQ(res.kernel_errno, -EBADMSG);
	ASSERT_EQ(res.n_warnings, 2);
	{
		bool hint = false; /* one of them is the UTF-16 hint */

		for (size_t i = 0; i < res.n_diags; i++)
			hint = hint || (res.diags[i].severity == IPE_SEVERITY_WARNING &&
					strstr(res.diags[i].message, "UTF-16"));
		ASSERT_TRUE(hint);
	}
	ipe_check_result_done(&res);
}

/* Run every FILE<TAB>ERRNO line of @tsv (relative to tests/data/policies/@dir). */
static void run_tsv(const char *dir, size_t want_min)
{
	char path[512];
	_cleanup_free_ char *tsv = NULL;
	size_t len, n = 0;
	char *line, *save = NULL;

	snprintf(path, sizeof(path), "%s/policies/%s/expected.tsv", test_data_dir(), dir);
	ASSERT_OK(read_full_file(path, 1 << 20, &tsv, &len));
	for (line = strtok_r(tsv, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *tab = strchr(line, '\t'), *text = NULL;
		const char *got;
		size_t tlen;
		int r;

		ASSERT_TRUE(tab);
		*tab = 0;
		snprintf(path, sizeof(path), "%s/policies/%s/%s", test_data_dir(), dir, line);
		ASSERT_OK(read_full_file(path, 1 << 20, &text, &tlen));
		r = parse_len(text, tlen);
		got = r ? errno_name(r) : "0";
		if (!got || !streq(got, tab + 1))
			harness_fail(__FILE__, __LINE__, "%s: got %s, want %s", line,
				     got ? got : "?", tab + 1);
		ASSERT_EQ(check_errno(text, tlen), r);
		free(text);
		n++;
	}
	ASSERT_TRUE(n >= want_min);
}

TEST(msipe_test_load)
{
	run_tsv("msipe", 33);
}

TEST(corpus_expected)
{
	run_tsv("corpus", 40);
}

/* The VM loads the whole corpus in one boot: no two files may carry the same name. */
TEST(corpus_names_unique)
{
	char path[512];
	_cleanup_free_ char *tsv = NULL;
	char *names[128] = {};
	size_t len, n = 0;
	char *line, *save = NULL;

	snprintf(path, sizeof(path), "%s/policies/corpus/expected.tsv", test_data_dir());
	ASSERT_OK(read_full_file(path, 1 << 20, &tsv, &len));
	for (line = strtok_r(tsv, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct ipe_check_result res = {};
		_cleanup_free_ char *text = NULL;
		size_t tlen;

		*strchr(line, '\t') = 0;
		snprintf(path, sizeof(path), "%s/policies/corpus/%s", test_data_dir(), line);
		ASSERT_OK(read_full_file(path, 1 << 20, &text, &tlen));
		ASSERT_OK(ipe_policy_check(text, tlen, &res));
		if (res.name) {
			for (size_t i = 0; i < n; i++)
				if (streq(names[i], res.name))
					harness_fail(__FILE__, __LINE__, "%s: name '%s' used twice",
						     line, res.name);
			ASSERT_TRUE(n < ELEMENTSOF(names));
			names[n++] = TAKE_PTR(res.name);
		}
		ipe_check_result_done(&res);
	}
	ASSERT_TRUE(n >= 30);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
}

TEST(header_rules)
{
	ASSERT_OK(parse("  policy_name=a\t\tpolicy_version=1.2.3   \nDEFAULT action=ALLOW"));
	ASSERT_EQ(parse("policy_version=1.2.3 policy_name=a\nDEFAULT action=ALLOW"), -EBADMSG);
	ASSERT_EQ(parse("policy_name= policy_version=1.2.3\nDEFAULT action=ALLOW"), -EBADMSG);
	ASSERT_EQ(parse("policy_name=a policy_version=\nDEFAULT action=ALLOW"), -EBADMSG);
	ASSERT_EQ(parse("policy_name=a\nDEFAULT action=ALLOW"), -EBADMSG);
	ASSERT_EQ(parse("Policy_name=a policy_version=1.2.3\nDEFAULT action=ALLOW"), -EBADMSG);
	ASSERT_EQ(parse("policy_name=a policy_version=1.2.3 x\nDEFAULT action=ALLOW"), -EBADMSG);
	/* the version is parsed when its token is met, before the third token is seen */
	ASSERT_EQ(parse("policy_name=a policy_version=1.x.3 x\nDEFAULT action=ALLOW"), -EINVAL);
	/* '#' anywhere starts a comment, also inside a name */
	ASSERT_EQ(parse("policy_name=a#b policy_version=1.2.3\nDEFAULT action=ALLOW"), -EBADMSG);
	/* comments and blank lines before the header are skipped */
	ASSERT_OK(parse("# c\n\n   \t\npolicy_name=a policy_version=1.2.3\nDEFAULT action=ALLOW"));
	/* the header error comes first even when a rule is bad too */
	ASSERT_EQ(parse("policy_name=a policy_version=70000.0.0\nop=BAD action=ALLOW"), -ERANGE);
}

TEST(version_parse)
{
	uint16_t v[3];

	ASSERT_OK(ipe_version_parse("+1.007.0", v));
	ASSERT_EQ(v[0], 1);
	ASSERT_EQ(v[1], 7);
	ASSERT_EQ(v[2], 0);
	ASSERT_OK(ipe_version_parse("65535.65535.65535", v));
	ASSERT_EQ(v[2], 65535);
	ASSERT_EQ(ipe_version_parse("65536.0.0", v), -ERANGE);
	ASSERT_EQ(ipe_version_parse("99999999999999999999999.0.0", v), -ERANGE);
	ASSERT_EQ(ipe_version_parse("99999999999999999999999x.0.0", v), -ERANGE); /* overflow first */
	ASSERT_EQ(ipe_version_parse("99999x.0.0", v), -EINVAL); /* junk before range */
	ASSERT_EQ(ipe_version_parse("1.2", v), -EBADMSG);
	ASSERT_EQ(ipe_version_parse("1", v), -EBADMSG);
	ASSERT_EQ(ipe_version_parse("1.2.3.4", v), -EBADMSG);
	ASSERT_EQ(ipe_version_parse("1.2.3.x", v), -EBADMSG); /* 4th part refused before parsing */
	ASSERT_EQ(ipe_version_parse("1.x.3.4", v), -EINVAL);
	ASSERT_EQ(ipe_version_parse("-1.0.0", v), -EINVAL);
	ASSERT_EQ(ipe_version_parse("1..0", v), -EINVAL);
	ASSERT_EQ(ipe_version_parse("0.", v), -EINVAL);
	ASSERT_EQ(ipe_version_parse("+.0.0", v), -EINVAL);
	ASSERT_EQ(ipe_version_parse("++1.0.0", v), -EINVAL);
	ASSERT_EQ(ipe_version_parse("0x1.0.0", v), -EINVAL);
	ASSERT_EQ(ipe_version_parse(" 1.0.0", v), -EINVAL);
	ASSERT_EQ(ipe_version_parse("70000.1.2.3", v), -ERANGE);
}

TEST(anti_rollback_sequence)
{
	/* microsoft/ipe test-suite test_anti_rollback: each update must be strictly newer */
	static const char *const seq[] = { "0.0.0",   "0.0.1",   "5.6.898", "6.8.28",
					   "6.8.123", "6.8.124", "7.0.0" };
	uint16_t cur[3], next[3], old[3];

	ASSERT_OK(ipe_version_parse(seq[0], cur));
	for (size_t i = 1; i < ELEMENTSOF(seq); i++) {
		ASSERT_OK(ipe_version_parse(seq[i], next));
		ASSERT_TRUE(ipe_version_compare(next, cur) > 0); /* update accepted */
		for (size_t j = 0; j < i; j++) {
			ASSERT_OK(ipe_version_parse(seq[j], old));
			/* the kernel: ver_to_u64(old) >= ver_to_u64(new) -> -ESTALE */
			ASSERT_EQ(ipe_version_compare(next, old), 1);
			ASSERT_EQ(ipe_version_compare(old, next), -1);
			ASSERT_TRUE(ipe_version_to_u64(old) < ipe_version_to_u64(next));
		}
		memcpy(cur, next, sizeof(cur));
	}
	ASSERT_OK(ipe_version_parse("1.0.65535", old));
	ASSERT_OK(ipe_version_parse("1.1.0", next));
	ASSERT_TRUE(ipe_version_compare(old, next) < 0);
	ASSERT_TRUE(ipe_version_to_u64(next) == ((uint64_t)1 << 32 | 1 << 16));
	ASSERT_EQ(ipe_version_compare(next, next), 0);
}

TEST(line_breaks_and_comments)
{
	/* \r alone ends a line */
	ASSERT_OK(parse("policy_name=a policy_version=0.0.0\rDEFAULT action=ALLOW\r"));
	/* so a CR inside a rule splits it */
	ASSERT_EQ(parse("policy_name=a policy_version=0.0.0\nDEFAULT action=ALLOW\nop=EXECUTE\r action=ALLOW"),
		  -EBADMSG);
	/* a comment can swallow the action */
	ASSERT_EQ(parse("policy_name=a policy_version=0.0.0\nDEFAULT action=ALLOW\nop=EXECUTE #action=ALLOW"),
		  -EBADMSG);
	/* trailing isspace() is stripped, including \v \f and 0xa0 */
	ASSERT_OK(parse("policy_name=a policy_version=0.0.0\v\f\xa0\nDEFAULT action=ALLOW\xa0"));
	/* tokens are split on space and tab only */
	ASSERT_EQ(parse("policy_name=a policy_version=0.0.0\nDEFAULT\vaction=ALLOW"), -EBADMSG);
	ASSERT_EQ(parse("policy_name=a policy_version=0.0.0\n\vDEFAULT action=ALLOW"), -EBADMSG);
}

TEST(rule_grammar)
{
#define P "policy_name=a policy_version=0.0.0\nDEFAULT action=ALLOW\n"
	ASSERT_OK(parse(P "op=EXECUTE action=DENY"));
	ASSERT_OK(parse(
		P "op=X509_CERT boot_verified=FALSE dmverity_signature=FALSE fsverity_signature=TRUE action=DENY"));
	ASSERT_EQ(parse(P "op=execute action=DENY"), -EBADMSG);
	ASSERT_EQ(parse(P "op=EXECUTE action=deny"), -EBADMSG);
	ASSERT_EQ(parse(P "op=EXECUTE boot_verified=true action=DENY"), -EBADMSG);
	ASSERT_EQ(parse(P "op=KERNEL_MODULE action=DENY"), -EBADMSG);
	ASSERT_EQ(parse(P "op=FIRMWARE_READ action=DENY"), -EBADMSG);
	ASSERT_EQ(parse(P "op=KMODULE_LOAD action=DENY"), -EBADMSG);
	ASSERT_EQ(parse(P "op=EXECUTE op=KMODULE action=DENY"), -EBADMSG);
	ASSERT_EQ(parse(P "action=DENY"), -EBADMSG);
	ASSERT_EQ(parse(P "op=EXECUTE"), -EBADMSG);
	ASSERT_EQ(parse(P "DEFAULT"), -EBADMSG);
	ASSERT_EQ(parse(P "DEFAULT DEFAULT action=DENY"), -EBADMSG);
	ASSERT_EQ(parse(P "op=EXECUTE DEFAULT action=DENY"), -EBADMSG);
	ASSERT_EQ(parse(P "op=EXECUTE action=DENY action=DENY"), -EBADMSG);
	/* DEFAULT with properties: a bad digest is found before the DEFAULT rule is refused */
	ASSERT_EQ(parse(P "DEFAULT op=EXECUTE boot_verified=TRUE action=DENY"), -EBADMSG);
	ASSERT_EQ(parse(P "DEFAULT op=EXECUTE fsverity_digest=sha256:abc action=DENY"), -EINVAL);
	ASSERT_EQ(parse(P "DEFAULT boot_verified=TRUE action=DENY"), -EBADMSG);
	/* repeated and contradictory properties load (and never match) */
	ASSERT_OK(parse(P "op=EXECUTE boot_verified=TRUE boot_verified=FALSE action=DENY"));
#undef P
}

TEST(digest_values)
{
#define P "policy_name=a policy_version=0.0.0\nDEFAULT action=ALLOW\nop=EXECUTE "
	_cleanup_(ipe_policy_freep) struct ipe_policy *p = NULL;

	ASSERT_OK(parse(P "dmverity_roothash=sha256:00ff action=DENY"));
	ASSERT_OK(parse(P "dmverity_roothash=sha256:00FF action=DENY"));
	ASSERT_OK(parse(P "dmverity_roothash=sha256: action=DENY"));
	ASSERT_OK(parse(P "dmverity_roothash=:00 action=DENY"));
	ASSERT_OK(parse(P "fsverity_digest=whatever-alg:00 action=DENY"));
	ASSERT_EQ(parse(P "dmverity_roothash=sha256 action=DENY"), -EBADMSG);
	ASSERT_EQ(parse(P "dmverity_roothash= action=DENY"), -EBADMSG);
	ASSERT_EQ(parse(P "dmverity_roothash=sha256:abc action=DENY"), -EINVAL);
	ASSERT_EQ(parse(P "dmverity_roothash=sha256:zz action=DENY"), -EINVAL);
	ASSERT_EQ(parse(P "fsverity_digest=sha256:ab:cd action=DENY"), -EINVAL);
	/* left to right: the bad digest before the second op= */
	ASSERT_EQ(parse(P "dmverity_roothash=sha256:zz op=KMODULE action=DENY"), -EINVAL);
	ASSERT_EQ(parse(P "op=KMODULE dmverity_roothash=sha256:zz action=DENY"), -EBADMSG);

	ASSERT_OK(ipe_policy_parse(P "dmverity_roothash=SHA3-256:0aFF action=DENY",
				   strlen(P "dmverity_roothash=SHA3-256:0aFF action=DENY"), &p, NULL));
	ASSERT_EQ(p->n_rules, 1);
	ASSERT_EQ(p->rules[0].n_props, 1);
	ASSERT_STREQ(p->rules[0].props[0].digest.alg, "SHA3-256");
	ASSERT_EQ(p->rules[0].props[0].digest.len, 2);
	ASSERT_EQ(p->rules[0].props[0].digest.bytes[0], 0x0a);
	ASSERT_EQ(p->rules[0].props[0].digest.bytes[1], 0xff);
	ASSERT_EQ(p->rules[0].line, 3);
#undef P
}

TEST(defaults)
{
	static const char all7[] = "policy_name=a policy_version=0.0.0\n"
				   "DEFAULT op=EXECUTE action=DENY\nDEFAULT op=FIRMWARE action=ALLOW\n"
				   "DEFAULT op=KMODULE action=ALLOW\nDEFAULT op=KEXEC_IMAGE action=ALLOW\n"
				   "DEFAULT op=KEXEC_INITRAMFS action=ALLOW\nDEFAULT op=POLICY action=ALLOW\n"
				   "DEFAULT op=X509_CERT action=ALLOW\n";
	_cleanup_(ipe_policy_freep) struct ipe_policy *p = NULL;
	struct ipe_parse_error err;

	ASSERT_OK(ipe_policy_parse(all7, strlen(all7), &p, NULL));
	ASSERT_EQ(p->global_default, IPE_ACTION_INVALID);
	ASSERT_EQ(p->op_default[IPE_OP_EXECUTE], IPE_ACTION_DENY);
	ASSERT_EQ(p->op_default[IPE_OP_X509], IPE_ACTION_ALLOW);
	/* six of seven is not enough */
	ASSERT_EQ(parse_len(all7, strlen(all7) - strlen("DEFAULT op=X509_CERT action=ALLOW\n")),
		  -EBADMSG);
	static const char twice[] =
		"policy_name=a policy_version=0.0.0\nDEFAULT action=ALLOW\nDEFAULT action=DENY";

	ipe_policy_free(TAKE_PTR(p));
	ASSERT_EQ(ipe_policy_parse(twice, sizeof(twice) - 1, &p, &err), -EBADMSG);
	ASSERT_EQ(err.line, 3);
	ASSERT_TRUE(strstr(err.message, "line 2") != NULL);
}

TEST(names_at_load_time)
{
	char name[300], text[400];

	ASSERT_EQ(parse("policy_name=. policy_version=0.0.0\nDEFAULT action=ALLOW"), -EACCES);
	ASSERT_EQ(parse("policy_name=.. policy_version=0.0.0\nDEFAULT action=ALLOW"), -EACCES);
	ASSERT_EQ(parse("policy_name=a/b policy_version=0.0.0\nDEFAULT action=ALLOW"), -EACCES);
	ASSERT_EQ(parse("policy_name=/ policy_version=0.0.0\nDEFAULT action=ALLOW"), -EACCES);
	ASSERT_OK(parse("policy_name=... policy_version=0.0.0\nDEFAULT action=ALLOW"));
	ASSERT_OK(parse("policy_name=.a policy_version=0.0.0\nDEFAULT action=ALLOW"));
	/* a syntax error wins over the name: the kernel never gets to create the directory */
	ASSERT_EQ(parse("policy_name=. policy_version=0.0.0\nDEFAULT action=ALLOW\nop=X action=DENY"),
		  -EBADMSG);

	memset(name, 'n', 255);
	name[255] = 0;
	snprintf(text, sizeof(text), "policy_name=%s policy_version=0.0.0\nDEFAULT action=ALLOW", name);
	ASSERT_OK(parse(text));
	name[255] = 'n';
	name[256] = 0;
	snprintf(text, sizeof(text), "policy_name=%s policy_version=0.0.0\nDEFAULT action=ALLOW", name);
	ASSERT_EQ(parse(text), -ENAMETOOLONG);

	ASSERT_OK(ipe_policy_name_valid("spectrum_root-1.0"));
	ASSERT_EQ(ipe_policy_name_valid(""), -EBADMSG);
	ASSERT_EQ(ipe_policy_name_valid("a b"), -EBADMSG);
	ASSERT_EQ(ipe_policy_name_valid("a#b"), -EBADMSG);
	ASSERT_EQ(ipe_policy_name_valid(".."), -EACCES);
	ASSERT_EQ(ipe_policy_name_valid("."), -EACCES);
	ASSERT_EQ(ipe_policy_name_valid("a/b"), -EACCES);
	ASSERT_EQ(ipe_policy_name_valid(name), -ENAMETOOLONG);
	/* Other bytes load: the kernel splits the header only on white space (generate relies on it). */
	ASSERT_OK(ipe_policy_name_valid("a:b@c"));
	ASSERT_OK(ipe_policy_name_valid("\xc3\xa9t\xc3\xa9"));
}

TEST(parse_error_reports_line)
{
	struct ipe_parse_error err;
	struct ipe_policy *p = NULL;
	static const char t[] = "# c\r\npolicy_name=a policy_version=0.0.0\r\nDEFAULT action=ALLOW\r\n"
				"op=EXECUTE boot_verified=MAYBE action=DENY\r\n";

	ASSERT_EQ(ipe_policy_parse(t, sizeof(t) - 1, &p, &err), -EBADMSG);
	ASSERT_EQ(err.line, 4); /* CRLF counts as one line break */
	ASSERT_TRUE(strstr(err.message, "boot_verified=MAYBE") != NULL);
	ASSERT_TRUE(p == NULL);
}

TEST(names_tables)
{
	ASSERT_STREQ(ipe_op_name(IPE_OP_EXECUTE), "EXECUTE");
	ASSERT_STREQ(ipe_op_name(IPE_OP_X509), "X509_CERT");
	ASSERT_STREQ(ipe_op_name(IPE_OP_INVALID), "UNKNOWN");
	ASSERT_TRUE(ipe_op_name((enum ipe_op)99) == NULL);
	ASSERT_STREQ(ipe_hook_name(IPE_HOOK_BPRM_CHECK), "BPRM_CHECK");
	ASSERT_STREQ(ipe_hook_name(IPE_HOOK_BPRM_CREDS_FOR_EXEC), "BPRM_CREDS_FOR_EXEC");
	ASSERT_STREQ(ipe_hook_name(IPE_HOOK_KERNEL_LOAD), "KERNEL_LOAD");
	ASSERT_TRUE(ipe_hook_name(IPE_HOOK_MAX) == NULL);
	ASSERT_EQ(ipe_op_from_name("KEXEC_INITRAMFS"), IPE_OP_KEXEC_INITRAMFS);
	ASSERT_EQ(ipe_op_from_name("kmodule"), IPE_OP_INVALID);
}

/* The digest table against the kernel's lists (ipe.rst, fs/verity/hash_algs.c) and the sizes. */
TEST(digest_table)
{
	static const char *const ipe_algs[] = { "blake2b-512", "blake2s-256", "sha256",
						"sha384",      "sha512",      "sha3-224",
						"sha3-256",    "sha3-384",    "sha3-512",
						"sm3",         "rmd160" };
	const struct digest_alg *a;

	for (size_t i = 0; i < ELEMENTSOF(ipe_algs); i++) {
		a = digest_alg_find(ipe_algs[i]);
		ASSERT_TRUE(a && a->ipe);
		ASSERT_TRUE(a->size >= 20 && a->size <= DIGEST_MAX_SIZE);
		ASSERT_EQ(a->fs_verity, streq(ipe_algs[i], "sha256") || streq(ipe_algs[i], "sha512"));
	}
	a = digest_alg_find("sha3-256");
	ASSERT_TRUE(a && !a->fs_verity && a->dm_verity && a->size == 32);
	ASSERT_STREQ(a->openssl, "SHA3-256");
	a = digest_alg_find("rmd160");
	ASSERT_TRUE(a && a->size == 20 && !a->dm_verity);
	a = digest_alg_find("sha1");
	ASSERT_TRUE(a && !a->ipe && a->dm_verity);
	ASSERT_TRUE(digest_alg_find("SHA256") == NULL);
	ASSERT_TRUE(digest_alg_find("") == NULL);
	ASSERT_STREQ(digest_alg_assumed(20)->name, "sha1");
	ASSERT_STREQ(digest_alg_assumed(28)->name, "sha224");
	ASSERT_STREQ(digest_alg_assumed(32)->name, "sha256");
	ASSERT_STREQ(digest_alg_assumed(48)->name, "sha384");
	ASSERT_STREQ(digest_alg_assumed(64)->name, "sha512");
	ASSERT_TRUE(digest_alg_assumed(33) == NULL);
}
