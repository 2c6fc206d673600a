// SPDX-License-Identifier: GPL-2.0-only
/* Decisions as security/ipe/eval.c ipe_evaluate_event() makes them. */
#include <string.h>

#include "lib/macro.h"
#include "policy/policy.h"

/* digest.c ipe_digest_eval(): same length, same algorithm name, same bytes. */
static bool digest_eq(const struct ipe_digest *want, const char *alg, const unsigned char *d, size_t len)
{
	return alg && want->len == len && streq(want->alg, alg) &&
	       (!len || memcmp(want->bytes, d, len) == 0);
}

static bool eval_prop(const struct ipe_eval_ctx *c, const struct ipe_prop *p)
{
	bool dmv = c->has_file && c->has_dmverity;
	bool fsv = c->has_file && c->has_fsverity;

	/* a property whose Kconfig is off has stubs that return false for TRUE and FALSE */
	if (c->props_unsupported & (1u << p->type))
		return false;
	switch (p->type) {
	case IPE_PROP_BOOT_VERIFIED_FALSE:
		return !(c->has_file && c->initramfs);
	case IPE_PROP_BOOT_VERIFIED_TRUE:
		return c->has_file && c->initramfs;
	case IPE_PROP_DMV_ROOTHASH:
		return dmv && digest_eq(&p->digest, c->dmv_alg, c->dmv_digest, c->dmv_digest_len);
	case IPE_PROP_DMV_SIG_FALSE:
		return !(dmv && c->dmv_signed);
	case IPE_PROP_DMV_SIG_TRUE:
		return dmv && c->dmv_signed;
	case IPE_PROP_FSV_DIGEST:
		return fsv && digest_eq(&p->digest, c->fsv_alg, c->fsv_digest, c->fsv_digest_len);
	case IPE_PROP_FSV_SIG_FALSE:
		return !(fsv && c->fsv_signed);
	case IPE_PROP_FSV_SIG_TRUE:
		return fsv && c->fsv_signed;
	default:
		return false;
	}
}

void ipe_policy_evaluate(const struct ipe_policy *p, const struct ipe_eval_ctx *ctx,
			 struct ipe_decision *ret)
{
	*ret = (struct ipe_decision){ .op = ctx->op };

	if (!p) {
		ret->action = IPE_ACTION_ALLOW;
		ret->match = IPE_MATCH_NONE;
		return;
	}
	if ((unsigned)ctx->op >= IPE_OP_MAX) {
		ret->op = IPE_OP_INVALID;
		/* the kernel WARNs and allows when there is no global default */
		ret->action = p->global_default != IPE_ACTION_INVALID ? p->global_default
								      : IPE_ACTION_ALLOW;
		ret->match = IPE_MATCH_GLOBAL;
		return;
	}
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct ipe_rule *r = &p->rules[i];
		bool match = true;

		if (r->op != ctx->op)
			continue;
		for (size_t j = 0; j < r->n_props && match; j++)
			match = eval_prop(ctx, &r->props[j]);
		if (match) {
			ret->action = r->action;
			ret->match = IPE_MATCH_RULE;
			ret->rule = r;
			return;
		}
	}
	if (p->op_default[ctx->op] != IPE_ACTION_INVALID) {
		ret->action = p->op_default[ctx->op];
		ret->match = IPE_MATCH_TABLE;
	} else {
		ret->action = p->global_default;
		ret->match = IPE_MATCH_GLOBAL;
	}
}
