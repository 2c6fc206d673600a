// SPDX-License-Identifier: GPL-2.0-only
/* Text forms of a policy: the canonical policy text and the audit record's rule= string. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/macro.h"
#include "policy/internal.h"
#include "policy/policy.h"

static const char *prop_value(enum ipe_prop_type t)
{
	switch (t) {
	case IPE_PROP_BOOT_VERIFIED_TRUE:
	case IPE_PROP_DMV_SIG_TRUE:
	case IPE_PROP_FSV_SIG_TRUE:
		return "TRUE";
	case IPE_PROP_BOOT_VERIFIED_FALSE:
	case IPE_PROP_DMV_SIG_FALSE:
	case IPE_PROP_FSV_SIG_FALSE:
		return "FALSE";
	default:
		return NULL;
	}
}

/* kernel/audit.c audit_string_contains_control() */
static bool audit_needs_hex(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p == '"' || *p < 0x21 || *p > 0x7e)
			return true;
	return false;
}

static void buf_prop(struct ipe_buf *b, const struct ipe_prop *p, bool audit)
{
	const char *v = prop_value(p->type);

	ipe_buf_puts(b, ipe_prop_key(p->type));
	ipe_buf_puts(b, "=");
	if (v) {
		ipe_buf_puts(b, v);
		return;
	}
	if (!audit) {
		ipe_buf_puts(b, p->digest.alg);
		ipe_buf_puts(b, ":");
		ipe_buf_hex(b, p->digest.bytes, p->digest.len, false);
		return;
	}
	/* security/ipe/digest.c ipe_digest_audit() */
	if (audit_needs_hex(p->digest.alg))
		ipe_buf_hex(b, (const unsigned char *)p->digest.alg, strlen(p->digest.alg), true);
	else {
		ipe_buf_puts(b, "\"");
		ipe_buf_puts(b, p->digest.alg);
		ipe_buf_puts(b, "\"");
	}
	ipe_buf_puts(b, ":");
	ipe_buf_hex(b, p->digest.bytes, p->digest.len, true);
}

void ipe_buf_prop(struct ipe_buf *b, const struct ipe_prop *p, bool audit)
{
	buf_prop(b, p, audit);
}

/* security/ipe/audit.c audit_rule(): "op=X ", each property and a space, "action=Y". */
static void buf_rule(struct ipe_buf *b, const struct ipe_rule *r, bool audit)
{
	ipe_buf_printf(b, "op=%s ", ipe_op_name(r->op));
	for (size_t i = 0; i < r->n_props; i++) {
		buf_prop(b, &r->props[i], audit);
		ipe_buf_puts(b, " ");
	}
	ipe_buf_printf(b, "action=%s", ipe_action_name(r->action));
}

static int buf_finish(struct ipe_buf *b, char **ret, size_t *ret_len)
{
	if (!b->oom && !b->s)
		ipe_buf_puts(b, "");
	if (b->oom) {
		free(b->s);
		return -ENOMEM;
	}
	if (ret_len)
		*ret_len = b->len;
	*ret = b->s;
	return 0;
}

int ipe_rule_to_string(const struct ipe_rule *r, bool audit, char **ret)
{
	struct ipe_buf b = {};

	buf_rule(&b, r, audit);
	return buf_finish(&b, ret, NULL);
}

int ipe_decision_rule_string(const struct ipe_decision *d, char **ret)
{
	struct ipe_buf b = {};

	switch (d->match) {
	case IPE_MATCH_RULE:
		if (!d->rule)
			return -EINVAL;
		buf_rule(&b, d->rule, true);
		break;
	case IPE_MATCH_TABLE:
		ipe_buf_printf(&b, "DEFAULT op=%s action=%s", ipe_op_name(d->op),
			       ipe_action_name(d->action));
		break;
	case IPE_MATCH_GLOBAL:
		ipe_buf_printf(&b, "DEFAULT action=%s", ipe_action_name(d->action));
		break;
	default:
		return -ENOENT;
	}
	return buf_finish(&b, ret, NULL);
}

/* Each line of @text as "# LINE", control bytes but the separating '\n' as '?'. */
static void buf_comment(struct ipe_buf *b, const char *text, bool blank_before)
{
	if (!text)
		return;
	if (blank_before)
		ipe_buf_puts(b, "\n");
	ipe_buf_puts(b, "# ");
	for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
		char ch = (char)(*c < 0x20 || *c == 0x7f ? '?' : *c);

		if (*c == '\n')
			ipe_buf_puts(b, "\n# ");
		else
			ipe_buf_printf(b, "%c", ch);
	}
	ipe_buf_puts(b, "\n");
}

static bool alg_printable(const char *alg)
{
	/* bytes the parser would split, cut or end the token at */
	return alg && !strpbrk(alg, ": \t\n\r#");
}

int ipe_policy_format(const struct ipe_policy *p, char **ret_text, size_t *ret_len)
{
	struct ipe_buf b = {};
	bool all_ops = true;

	if (!p->name || ipe_policy_name_valid(p->name) < 0)
		return -EINVAL;
	for (unsigned i = 0; i < IPE_OP_MAX; i++)
		if (p->op_default[i] == IPE_ACTION_INVALID)
			all_ops = false;
	if (p->global_default == IPE_ACTION_INVALID && !all_ops)
		return -EINVAL;
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct ipe_rule *r = &p->rules[i];

		if ((unsigned)r->op >= IPE_OP_MAX || !ipe_action_name(r->action))
			return -EINVAL;
		for (size_t j = 0; j < r->n_props; j++)
			if ((unsigned)r->props[j].type >= IPE_PROP_MAX ||
			    (!prop_value(r->props[j].type) && !alg_printable(r->props[j].digest.alg)))
				return -EINVAL;
	}

	buf_comment(&b, p->comment, false);
	ipe_buf_printf(&b, "policy_name=%s policy_version=%u.%u.%u\n", p->name, p->version[0],
		       p->version[1], p->version[2]);
	buf_comment(&b, p->defaults_comment, true);
	if (p->global_default != IPE_ACTION_INVALID)
		ipe_buf_printf(&b, "DEFAULT action=%s\n", ipe_action_name(p->global_default));
	for (size_t i = 0; i < p->n_op_defaults; i++) {
		enum ipe_op op = p->op_default_order[i];

		ipe_buf_printf(&b, "DEFAULT op=%s action=%s\n", ipe_op_name(op),
			       ipe_action_name(p->op_default[op]));
	}
	for (size_t i = 0; i < p->n_rules; i++) {
		buf_comment(&b, p->rules[i].comment, true);
		buf_rule(&b, &p->rules[i], false);
		ipe_buf_puts(&b, "\n");
	}
	return buf_finish(&b, ret_text, ret_len);
}
