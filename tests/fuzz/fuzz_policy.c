// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the policy model. Invariants: checking never fails
 * on any input (short of memory); the checker and the parser agree on the
 * kernel's verdict; a policy that parses serialises to text that parses
 * back to the same policy, and serialising that gives the same text.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/policy.h"
#include "tests/fuzz/fuzz.h"

static void evaluate_some(const struct ipe_policy *p)
{
	static const unsigned char digest[32] = { 1, 2, 3 };

	for (int op = 0; op <= IPE_OP_MAX; op++)
		for (int bits = 0; bits < 16; bits++) {
			struct ipe_eval_ctx ctx = {
				.op = (enum ipe_op)op,
				.has_file = bits & 1,
				.initramfs = bits & 2,
				.has_dmverity = bits & 4,
				.dmv_alg = "sha256",
				.dmv_digest = digest,
				.dmv_digest_len = 32,
				.dmv_signed = bits & 8,
				.has_fsverity = bits & 8,
				.fsv_alg = "sha256",
				.fsv_digest = digest,
				.fsv_digest_len = 32,
			};
			struct ipe_decision d;
			char *s = NULL;

			ipe_policy_evaluate(p, &ctx, &d);
			REQUIRE(d.action == IPE_ACTION_ALLOW || d.action == IPE_ACTION_DENY);
			REQUIRE(ipe_decision_rule_string(&d, &s) == 0);
			free(s);
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct ipe_check_result res = {};
	struct ipe_policy *p = NULL, *q = NULL;
	char *out = NULL, *out2 = NULL;
	size_t len, len2;
	int r;

	REQUIRE(ipe_policy_check(text, size, &res) == 0);
	r = ipe_policy_parse(text, size, &p, NULL);
	REQUIRE(r == res.kernel_errno);
	REQUIRE((r == 0) == (res.policy != NULL));
	REQUIRE((r == 0) == (res.n_errors == 0));
	ipe_check_result_done(&res);
	if (r < 0)
		return 0;

	evaluate_some(p);
	REQUIRE(ipe_policy_format(p, &out, &len) == 0);
	REQUIRE(strlen(out) == len);
	REQUIRE(ipe_policy_parse(out, len, &q, NULL) == 0);
	REQUIRE(ipe_policy_equal(p, q));
	REQUIRE(ipe_policy_format(q, &out2, &len2) == 0);
	REQUIRE(len == len2 && memcmp(out, out2, len) == 0);
	free(out);
	free(out2);
	ipe_policy_free(p);
	ipe_policy_free(q);
	return 0;
}
