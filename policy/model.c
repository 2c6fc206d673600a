// SPDX-License-Identifier: GPL-2.0-only
/* The in-memory policy: creation, rules and defaults, comparison, release. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/macro.h"
#include "policy/internal.h"
#include "policy/policy.h"

void ipe_prop_done(struct ipe_prop *p)
{
	free(p->digest.alg);
	free(p->digest.bytes);
	p->digest = (struct ipe_digest){};
}

static bool prop_has_digest(enum ipe_prop_type t)
{
	return t == IPE_PROP_DMV_ROOTHASH || t == IPE_PROP_FSV_DIGEST;
}

int ipe_prop_copy(struct ipe_prop *dst, const struct ipe_prop *src)
{
	*dst = (struct ipe_prop){ .type = src->type };
	if (!prop_has_digest(src->type))
		return 0;
	dst->digest.alg = strdup(src->digest.alg ? src->digest.alg : "");
	if (!dst->digest.alg)
		return -ENOMEM;
	if (src->digest.len) {
		dst->digest.bytes = malloc(src->digest.len);
		if (!dst->digest.bytes) {
			ipe_prop_done(dst);
			return -ENOMEM;
		}
		memcpy(dst->digest.bytes, src->digest.bytes, src->digest.len);
	}
	dst->digest.len = src->digest.len;
	return 0;
}

bool ipe_prop_equal(const struct ipe_prop *a, const struct ipe_prop *b)
{
	if (a->type != b->type)
		return false;
	if (!prop_has_digest(a->type))
		return true;
	return a->digest.len == b->digest.len && streq(a->digest.alg, b->digest.alg) &&
	       (!a->digest.len || memcmp(a->digest.bytes, b->digest.bytes, a->digest.len) == 0);
}

static void rule_done(struct ipe_rule *r)
{
	for (size_t i = 0; i < r->n_props; i++)
		ipe_prop_done(&r->props[i]);
	free(r->props);
	free(r->comment);
	r->props = NULL;
	r->comment = NULL;
	r->n_props = 0;
}

struct ipe_policy *ipe_policy_free(struct ipe_policy *p)
{
	if (!p)
		return NULL;
	for (size_t i = 0; i < p->n_rules; i++)
		rule_done(&p->rules[i]);
	free(p->rules);
	free(p->name);
	free(p->comment);
	free(p->defaults_comment);
	free(p);
	return NULL;
}

int ipe_policy_name_valid(const char *name)
{
	size_t len = strlen(name);

	if (!len)
		return -EBADMSG;
	/* the parser would cut or split the name at these bytes */
	for (size_t i = 0; i < len; i++)
		if (name[i] == '#' || name[i] == ' ' || name[i] == '\t' || name[i] == '\n' ||
		    name[i] == '\r')
			return -EBADMSG;
	/* fs/namei.c lookup_one_common(), reached through securityfs_create_dir() */
	if (strchr(name, '/') || streq(name, ".") || streq(name, ".."))
		return -EACCES;
	/* fs/libfs.c simple_lookup(): d_name.len > NAME_MAX */
	if (len > 255)
		return -ENAMETOOLONG;
	return 0;
}

int ipe_policy_new(const char *name, const uint16_t version[3], struct ipe_policy **ret)
{
	struct ipe_policy *p;
	int r;

	r = ipe_policy_name_valid(name);
	if (r < 0)
		return r;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->name = strdup(name);
	if (!p->name) {
		free(p);
		return -ENOMEM;
	}
	memcpy(p->version, version, sizeof(p->version));
	*ret = p;
	return 0;
}

int ipe_policy_take_rule(struct ipe_policy *p, struct ipe_rule *r)
{
	if (p->n_rules == p->rules_cap) {
		size_t ncap = p->rules_cap ? p->rules_cap * 2 : 16;
		struct ipe_rule *n = reallocarray(p->rules, ncap, sizeof(*n));

		if (!n)
			return -ENOMEM;
		p->rules = n;
		p->rules_cap = ncap;
	}
	p->rules[p->n_rules++] = *r;
	*r = (struct ipe_rule){};
	return 0;
}

int ipe_policy_add_rule(struct ipe_policy *p, enum ipe_op op, enum ipe_action action,
			const struct ipe_prop *props, size_t n_props)
{
	struct ipe_rule r = { .op = op, .action = action };
	int e;

	if ((unsigned)op >= IPE_OP_MAX || !ipe_action_name(action))
		return -EINVAL;
	for (size_t i = 0; i < n_props; i++) {
		if ((unsigned)props[i].type >= IPE_PROP_MAX)
			return -EINVAL;
		/* the text form could not carry such a name back */
		if (prop_has_digest(props[i].type) &&
		    (!props[i].digest.alg || strpbrk(props[i].digest.alg, ": \t\n\r#")))
			return -EINVAL;
	}
	if (n_props) {
		r.props = calloc(n_props, sizeof(*r.props));
		if (!r.props)
			return -ENOMEM;
	}
	for (size_t i = 0; i < n_props; i++) {
		e = ipe_prop_copy(&r.props[i], &props[i]);
		if (e < 0) {
			rule_done(&r);
			return e;
		}
		r.n_props++;
	}
	e = ipe_policy_take_rule(p, &r);
	if (e < 0)
		rule_done(&r);
	return e;
}

int ipe_policy_set_default(struct ipe_policy *p, enum ipe_op op, enum ipe_action action)
{
	enum ipe_action *slot;

	if ((unsigned)op > IPE_OP_MAX || !ipe_action_name(action))
		return -EINVAL;
	slot = op == IPE_OP_INVALID ? &p->global_default : &p->op_default[op];
	if (*slot != IPE_ACTION_INVALID)
		return -EEXIST;
	*slot = action;
	if (op != IPE_OP_INVALID)
		p->op_default_order[p->n_op_defaults++] = op;
	return 0;
}

int ipe_policy_set_comment(struct ipe_policy *p, enum ipe_comment_at at, size_t rule, const char *text)
{
	char **slot, *copy;

	switch (at) {
	case IPE_COMMENT_HEADER:
		slot = &p->comment;
		break;
	case IPE_COMMENT_DEFAULTS:
		slot = &p->defaults_comment;
		break;
	case IPE_COMMENT_RULE:
		if (rule >= p->n_rules)
			return -EINVAL;
		slot = &p->rules[rule].comment;
		break;
	default:
		return -EINVAL;
	}
	copy = strdup(text);
	if (!copy)
		return -ENOMEM;
	free(*slot);
	*slot = copy;
	return 0;
}

bool ipe_policy_equal(const struct ipe_policy *a, const struct ipe_policy *b)
{
	if (!streq(a->name, b->name) || memcmp(a->version, b->version, sizeof(a->version)) != 0 ||
	    a->global_default != b->global_default ||
	    memcmp(a->op_default, b->op_default, sizeof(a->op_default)) != 0 ||
	    a->n_rules != b->n_rules)
		return false;
	for (size_t i = 0; i < a->n_rules; i++) {
		const struct ipe_rule *x = &a->rules[i], *y = &b->rules[i];

		if (x->op != y->op || x->action != y->action || x->n_props != y->n_props)
			return false;
		for (size_t j = 0; j < x->n_props; j++)
			if (!ipe_prop_equal(&x->props[j], &y->props[j]))
				return false;
	}
	return true;
}
