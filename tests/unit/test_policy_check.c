// SPDX-License-Identifier: GPL-2.0-only
/* The checker: errors with lines and errnos, and every class of warning. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/macro.h"
#include "policy/policy.h"
#include "tests/harness.h"

#define HDR "policy_name=t policy_version=0.0.0\nDEFAULT action=ALLOW\n"
#define H64 "a3f1a3f1a3f1a3f1a3f1a3f1a3f1a3f1a3f1a3f1a3f1a3f1a3f1a3f1a3f1a3f1"

static void check(const char *text, struct ipe_check_result *res)
{
	ASSERT_OK(ipe_policy_check(text, strlen(text), res));
}

/* Is there a diagnostic of @sev on @line whose message contains @needle? */
static bool has(const struct ipe_check_result *r, enum ipe_severity sev, unsigned line,
		const char *needle)
{
	for (size_t i = 0; i < r->n_diags; i++)
		if (r->diags[i].severity == sev && r->diags[i].line == line &&
		    strstr(r->diags[i].message, needle))
			return true;
	return false;
}

/* has(), and on failure every diagnostic there is, so the failure says what the checker said instead. */
static void assert_diag(const struct ipe_check_result *r, enum ipe_severity sev, unsigned line,
			const char *needle, const char *file, int at)
{
	char all[4096] = "";
	size_t o = 0;

	if (has(r, sev, line, needle))
		return;
	for (size_t i = 0; i < r->n_diags && o < sizeof(all); i++) {
		int n = snprintf(all + o, sizeof(all) - o, "\n    %u: %s: %s", r->diags[i].line,
				 r->diags[i].severity == IPE_SEVERITY_ERROR ? "error" : "warning",
				 r->diags[i].message);

		if (n < 0)
			break;
		o += (size_t)n;
	}
	harness_fail(file, at, "no %s on line %u containing \"%s\"; the checker said:%s",
		     sev == IPE_SEVERITY_ERROR ? "error" : "warning", line, needle,
		     r->n_diags ? all : " nothing");
}

#define ASSERT_WARN(r, line, needle) \
	assert_diag(r, IPE_SEVERITY_WARNING, line, needle, __FILE__, __LINE__)
#define ASSERT_ERR(r, line, needle) \
	assert_diag(r, IPE_SEVERITY_ERROR, line, needle, __FILE__, __LINE__)

TEST(clean_policy_has_no_diagnostics)
{
	struct ipe_check_result r = {};

	check("policy_name=spectrum policy_version=1.0.0\nDEFAULT action=ALLOW\n"
	      "DEFAULT op=EXECUTE action=DENY\n"
	      "op=EXECUTE dmverity_roothash=sha256:" H64 " action=ALLOW\n"
	      "op=EXECUTE dmverity_signature=TRUE action=ALLOW\n",
	      &r);
	ASSERT_EQ(r.kernel_errno, 0);
	ASSERT_EQ(r.n_diags, 0);
	ASSERT_STREQ(r.name, "spectrum");
	ASSERT_TRUE(r.have_version);
	ASSERT_EQ(r.version[0], 1);
	ASSERT_TRUE(r.policy != NULL);
	ASSERT_EQ(r.policy->n_rules, 2);
	ipe_check_result_done(&r);
}

TEST(every_bad_line_reported_first_decides)
{
	struct ipe_check_result r = {};

	check("policy_name=t policy_version=0.0.0\nDEFAULT action=ALLOW\n"
	      "op=EXECUTE fsverity_digest=sha256:abc action=ALLOW\n" /* EINVAL */
	      "op=KERNEL_MODULE action=DENY\n"                       /* EBADMSG */
	      "DEFAULT action=DENY\n",                               /* EBADMSG */
	      &r);
	ASSERT_EQ(r.kernel_errno, -EINVAL);
	ASSERT_EQ(r.n_errors, 3);
	ASSERT_ERR(&r, 3, "odd number of hex digits");
	ASSERT_ERR(&r, 4, "unknown operation 'op=KERNEL_MODULE'");
	ASSERT_ERR(&r, 5, "second global DEFAULT (the first is on line 2)");
	ASSERT_EQ(r.diags[0].error, -EINVAL);
	ASSERT_EQ(r.diags[1].error, -EBADMSG);
	ASSERT_TRUE(r.policy == NULL);
	ipe_check_result_done(&r);
}

TEST(whole_file_errors)
{
	struct ipe_check_result r = {};

	ASSERT_OK(ipe_policy_check("", 0, &r));
	ASSERT_EQ(r.kernel_errno, -EBADMSG);
	ASSERT_ERR(&r, 0, "empty policy");
	ipe_check_result_done(&r);

	check("policy_name=t policy_version=0.0.0\nDEFAULT op=EXECUTE action=ALLOW\n", &r);
	ASSERT_EQ(r.kernel_errno, -EBADMSG);
	ASSERT_ERR(&r, 0,
		   "missing for FIRMWARE, KMODULE, KEXEC_IMAGE, KEXEC_INITRAMFS, POLICY, X509_CERT");
	ipe_check_result_done(&r);

	check("# only a comment\n", &r);
	ASSERT_EQ(r.kernel_errno, -EBADMSG);
	ASSERT_ERR(&r, 0, "no policy header");
	ipe_check_result_done(&r);

	check("policy_name=a/b policy_version=0.0.0\nDEFAULT action=ALLOW\n", &r);
	ASSERT_EQ(r.kernel_errno, -EACCES);
	ASSERT_ERR(&r, 1, "securityfs");
	ipe_check_result_done(&r);
}

TEST(binary_garbage)
{
	static const unsigned char elf[] = { 0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0,    0,
					     0,    0,   0,   0,   0, 0, 3, 0, 0x3e, 0 };
	unsigned char noise[4096];
	struct ipe_check_result r = {};
	unsigned s = 12345;

	ASSERT_OK(ipe_policy_check((const char *)elf, sizeof(elf), &r));
	ASSERT_EQ(r.kernel_errno, -EBADMSG);
	ASSERT_ERR(&r, 1, "\\x7fELF");
	ipe_check_result_done(&r);

	for (size_t i = 0; i < sizeof(noise); i++) {
		s = s * 1103515245 + 12345;
		noise[i] = (unsigned char)(s >> 16);
	}
	ASSERT_OK(ipe_policy_check((const char *)noise, sizeof(noise), &r));
	ASSERT_EQ(r.kernel_errno, -EBADMSG);
	for (size_t i = 0; i < r.n_diags; i++)
		for (const char *m = r.diags[i].message; *m; m++)
			ASSERT_TRUE(*m >= 0x20 && *m < 0x7f); /* messages stay printable */
	ipe_check_result_done(&r);
}

TEST(warn_digest_algorithms_and_lengths)
{
	struct ipe_check_result r = {};

	check(HDR "op=EXECUTE dmverity_roothash=SHA256:" H64 " action=ALLOW\n"
		  "op=EXECUTE dmverity_roothash=md5:00112233445566778899aabbccddeeff action=ALLOW\n"
		  "op=EXECUTE fsverity_digest=sha384:" H64 H64 " action=ALLOW\n"
		  "op=EXECUTE dmverity_roothash=sha256:401fcec5944823ae12f62726e8184407a5fa9599783f030dec146938 action=ALLOW\n"
		  "op=EXECUTE dmverity_roothash=sha256: action=ALLOW\n"
		  "op=EXECUTE dmverity_roothash=:00 action=ALLOW\n"
		  "op=EXECUTE dmverity_roothash=sha3-256:" H64 " action=ALLOW\n"
		  "op=EXECUTE fsverity_digest=sha512:" H64 H64 " action=ALLOW\n",
	      &r);
	ASSERT_EQ(r.kernel_errno, 0);
	ASSERT_WARN(&r, 3, "'SHA256' is not lower case");
	ASSERT_WARN(&r, 4, "unknown algorithm 'md5'");
	ASSERT_WARN(&r, 5, "not sha256 or sha512");
	ASSERT_WARN(&r, 6, "a sha256 digest is 32 bytes (64 hex digits), this one is 28 bytes");
	ASSERT_WARN(&r, 7, "empty sha256 digest");
	ASSERT_WARN(&r, 8, "empty algorithm name");
	ASSERT_EQ(r.n_warnings, 6); /* lines 9 and 10 are right */
	ipe_check_result_done(&r);
}

TEST(warn_rules_that_never_match)
{
	struct ipe_check_result r = {};

	check(HDR "op=EXECUTE boot_verified=TRUE boot_verified=FALSE action=DENY\n" /* 3 */
		  "op=EXECUTE dmverity_roothash=sha256:" H64 " dmverity_roothash=sha256:" H64
		  "00 action=DENY\n"                                  /* 4 */
		  "op=KMODULE dmverity_signature=TRUE action=ALLOW\n" /* 5 */
		  "op=KMODULE dmverity_signature=TRUE action=ALLOW\n" /* 6 dup */
		  "op=KMODULE dmverity_signature=TRUE action=DENY\n"  /* 7 */
		  "op=KMODULE fsverity_signature=TRUE dmverity_signature=TRUE action=DENY\n" /* 8 */
		  "op=FIRMWARE dmverity_signature=TRUE action=DENY\n" /* 9 other op */
		  "op=FIRMWARE fsverity_signature=FALSE fsverity_signature=FALSE action=DENY\n" /* 10 */
		  "op=POLICY action=DENY\n"                      /* 11 */
		  "op=POLICY boot_verified=FALSE action=ALLOW\n" /* 12 */
		  "op=EXECUTE boot_verified=TRUE action=DENY\n", /* 13 */
	      &r);
	ASSERT_EQ(r.kernel_errno, 0);
	ASSERT_WARN(&r, 3, "'boot_verified=TRUE' and 'boot_verified=FALSE' contradict");
	ASSERT_WARN(&r, 4, "contradict");
	ASSERT_WARN(&r, 6, "duplicate of the rule on line 5");
	ASSERT_WARN(&r, 7, "the rule on line 5 has the same properties and action=ALLOW");
	ASSERT_WARN(&r, 8, "the rule on line 5 ('op=KMODULE dmverity_signature=TRUE action=ALLOW')");
	ASSERT_TRUE(!has(&r, IPE_SEVERITY_WARNING, 9, "never matches"));
	ASSERT_WARN(&r, 10, "property 'fsverity_signature=FALSE' is repeated");
	ASSERT_WARN(&r, 12, "the rule on line 11");
	/* a contradictory rule hides nothing: line 13 is reachable */
	ASSERT_TRUE(!has(&r, IPE_SEVERITY_WARNING, 13, "never matches"));
	ipe_check_result_done(&r);
}

TEST(warn_risky_rules_and_text)
{
	struct ipe_check_result r = {};
	static const char nul[] =
		"policy_name=t policy_version=0.0.0\nDEFAULT action=DENY\n\0op=EXECUTE action=ALLOW\n";

	check("policy_name=t policy_version=0.0.0\r\nDEFAULT action=DENY\r\n"
	      "op=EXECUTE boot_verified=TRUE action=ALLOW\r\n"
	      "op=KMODULE boot_verified=TRUE action=ALLOW\r\n"
	      "op=EXECUTE action=ALLOW\r\n",
	      &r);
	ASSERT_EQ(r.kernel_errno, 0);
	ASSERT_WARN(&r, 1, "CR line break");
	ASSERT_WARN(&r, 3, "boot_verified=TRUE trusts every file in the initramfs");
	ASSERT_TRUE(!has(&r, IPE_SEVERITY_WARNING, 4, "initramfs")); /* said once */
	ASSERT_WARN(&r, 5, "allows every execution");
	ipe_check_result_done(&r);

	ASSERT_OK(ipe_policy_check(nul, sizeof(nul) - 1, &r));
	ASSERT_EQ(r.kernel_errno, 0);
	ASSERT_WARN(&r, 3, "NUL byte: the kernel ignores the 24 bytes after it");
	ASSERT_EQ(r.policy->n_rules, 0);
	ipe_check_result_done(&r);

	check("policy_name=t policy_version=0.0.0\n"
	      "DEFAULT op=EXECUTE action=DENY\nDEFAULT op=FIRMWARE action=DENY\nDEFAULT op=KMODULE action=DENY\n"
	      "DEFAULT op=KEXEC_IMAGE action=DENY\nDEFAULT op=KEXEC_INITRAMFS action=DENY\n"
	      "DEFAULT op=POLICY action=DENY\nDEFAULT op=X509_CERT action=DENY\n",
	      &r);
	ASSERT_EQ(r.kernel_errno, 0);
	ASSERT_WARN(&r, 0, "no global DEFAULT");
	ipe_check_result_done(&r);

	check("policy_name=we\"ird policy_version=0.0.0\nDEFAULT action=DENY\n", &r);
	ASSERT_EQ(r.kernel_errno, 0);
	ASSERT_WARN(&r, 1, "policy name 'we\"ird' has characters other than");
	ipe_check_result_done(&r);
}

/* Many rules: diagnostics are capped, time stays linear. */
TEST(many_rules_bounded)
{
	const size_t n = 200000;
	size_t cap = 64 + n * 128, len;
	_cleanup_free_ char *text = malloc(cap);
	struct ipe_check_result r = {};
	struct timespec a, b;
	double secs;

	ASSERT_TRUE(text != NULL);
	len = (size_t)snprintf(text, cap, HDR);
	for (size_t i = 0; i < n; i++)
		/* every other rule duplicates its predecessor */
		len += (size_t)snprintf(text + len, cap - len,
					"op=EXECUTE fsverity_digest=sha256:%064zx action=ALLOW\n",
					i / 2);
	clock_gettime(CLOCK_MONOTONIC, &a);
	ASSERT_OK(ipe_policy_check(text, len, &r));
	clock_gettime(CLOCK_MONOTONIC, &b);
	secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	ASSERT_EQ(r.kernel_errno, 0);
	ASSERT_EQ(r.policy->n_rules, n);
	ASSERT_EQ(r.n_warnings, n / 2);
	ASSERT_EQ(r.n_diags, IPE_CHECK_MAX_DIAGS);
	ASSERT_EQ(r.n_suppressed, n / 2 - IPE_CHECK_MAX_DIAGS);
	ASSERT_WARN(&r, 4, "duplicate of the rule on line 3");
	printf("checked %zu rules in %.2f s\n", n, secs);
	ASSERT_TRUE(secs < 10);
	ipe_check_result_done(&r);
}
