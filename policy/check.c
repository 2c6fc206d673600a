// SPDX-License-Identifier: GPL-2.0-only
/*
 * The policy checker: the kernel's verdict (errors, from the parser) plus
 * warnings for what loads but is almost certainly wrong. Time and memory
 * stay linear in the input: rule shadowing is found by hashing property
 * sets, not by comparing rules pairwise.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "lib/macro.h"
#include "policy/digest.h"
#include "policy/internal.h"
#include "policy/policy.h"

/* Subsets of at most this many properties are looked up in full (2^n lookups). */
#define SUBSET_MAX_PROPS 8

struct diag_seq {
	struct ipe_diag d;
	size_t seq;
};

struct checker {
	struct ipe_check_result *res;
	struct diag_seq *diags;
	size_t n, cap, seq;
	bool oom;
	bool boot_verified_seen;
};

static void add_diag(struct checker *c, unsigned line, enum ipe_severity sev, int error, const char *msg)
{
	char *m;

	if (sev == IPE_SEVERITY_ERROR)
		c->res->n_errors++;
	else
		c->res->n_warnings++;
	if (c->n >= IPE_CHECK_MAX_DIAGS) {
		c->res->n_suppressed++;
		return;
	}
	if (c->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 16;
		struct diag_seq *nd = reallocarray(c->diags, ncap, sizeof(*nd));

		if (!nd) {
			c->oom = true;
			return;
		}
		c->diags = nd;
		c->cap = ncap;
	}
	m = strdup(msg);
	if (!m) {
		c->oom = true;
		return;
	}
	c->diags[c->n++] = (struct diag_seq){
		.d = { .line = line, .severity = sev, .error = error, .message = m },
		.seq = c->seq++,
	};
}

static void _printf_(3, 4) warn(struct checker *c, unsigned line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	add_diag(c, line, IPE_SEVERITY_WARNING, 0, msg);
}

static int on_parse_error(struct ipe_parser *ps, unsigned line, int error, const char *msg)
{
	add_diag(ps->userdata, line, IPE_SEVERITY_ERROR, error, msg);
	return 0;
}

/* ---- checks on the raw text ---- */

static void check_text(struct checker *c, const char *text, size_t len)
{
	const unsigned char *u = (const unsigned char *)text;
	const char *nul = memchr(text, 0, len);
	unsigned line = 1;
	bool cr_seen = false;

	if (len >= 2 && ((u[0] == 0xff && u[1] == 0xfe) || (u[0] == 0xfe && u[1] == 0xff) ||
			 (u[0] && !u[1]) || (!u[0] && u[1])))
		warn(c, 1, "the text looks like UTF-16; IPE policies are 8-bit text (ASCII)");
	for (size_t i = 0; i < len && text + i != nul; i++) {
		if (text[i] == '\r') {
			if (!cr_seen)
				warn(c, line,
				     "CR line break: the kernel splits lines at \\r as well as \\n (CRLF adds empty lines, a lone CR splits the line); use LF");
			cr_seen = true;
			line++;
		} else if (text[i] == '\n' && !(i > 0 && text[i - 1] == '\r'))
			line++;
	}
	if (nul) {
		size_t rest = len - (size_t)(nul - text) - 1;
		bool content = false;

		for (size_t i = 0; i < rest && !content; i++)
			content = !ipe_isspace((unsigned char)nul[1 + i]) && nul[1 + i] != 0;
		if (content)
			warn(c, line,
			     "NUL byte: the kernel ignores the %zu bytes after it, including any rules there",
			     rest);
	}
}

/* ---- checks on single rules ---- */

/* A name the kernel documents for this property (fsverity_digest: fs-verity's own). */
static bool digest_alg_known(const char *alg, bool fsverity)
{
	const struct digest_alg *a = digest_alg_find(alg);

	return a && (fsverity ? a->fs_verity : a->ipe);
}

static void check_digest(struct checker *c, const struct ipe_rule *r, const struct ipe_prop *p)
{
	bool fsv = p->type == IPE_PROP_FSV_DIGEST;
	const char *key = ipe_prop_key(p->type), *alg = p->digest.alg;
	char qa[64], lower[64];
	size_t want, n = strlen(alg);

	ipe_quote(alg, n, qa, sizeof(qa));
	if (!n) {
		warn(c, r->line, "%s: empty algorithm name; this rule never matches", key);
		return;
	}
	if (!digest_alg_known(alg, fsv)) {
		bool fixed = false;

		if (n < sizeof(lower)) {
			for (size_t i = 0; i <= n; i++)
				lower[i] = (char)(alg[i] >= 'A' && alg[i] <= 'Z' ? alg[i] + 32
										 : alg[i]);
			fixed = digest_alg_known(lower, fsv);
		}
		if (fixed)
			warn(c, r->line,
			     "%s: algorithm '%s' is not lower case; the kernel compares names exactly, so this never matches '%s'",
			     key, qa, lower);
		else if (fsv)
			warn(c, r->line,
			     "fsverity_digest: algorithm '%s' is not sha256 or sha512; this rule never matches",
			     qa);
		else
			warn(c, r->line,
			     "dmverity_roothash: unknown algorithm '%s' (the kernel's are blake2b-512, blake2s-256, sha256, sha384, sha512, sha3-224, sha3-256, sha3-384, sha3-512, sm3, rmd160)",
			     qa);
		return;
	}
	want = digest_alg_find(alg)->size;
	if (!p->digest.len)
		warn(c, r->line, "%s: empty %s digest; this rule never matches", key, alg);
	else if (want != p->digest.len)
		warn(c, r->line,
		     "%s: a %s digest is %zu bytes (%zu hex digits), this one is %zu bytes; this rule never matches",
		     key, alg, want, 2 * want, p->digest.len);
}

static const char *prop_text(const struct ipe_prop *p, char *out, size_t size)
{
	struct ipe_buf b = {};

	ipe_buf_prop(&b, p, false);
	ipe_quote(b.s ? b.s : "?", b.s ? b.len : 1, out, size);
	free(b.s);
	return out;
}

/* The FALSE form of a TRUE property and vice versa. */
static enum ipe_prop_type opposite(enum ipe_prop_type t)
{
	switch (t) {
	case IPE_PROP_BOOT_VERIFIED_FALSE:
		return IPE_PROP_BOOT_VERIFIED_TRUE;
	case IPE_PROP_BOOT_VERIFIED_TRUE:
		return IPE_PROP_BOOT_VERIFIED_FALSE;
	case IPE_PROP_DMV_SIG_FALSE:
		return IPE_PROP_DMV_SIG_TRUE;
	case IPE_PROP_DMV_SIG_TRUE:
		return IPE_PROP_DMV_SIG_FALSE;
	case IPE_PROP_FSV_SIG_FALSE:
		return IPE_PROP_FSV_SIG_TRUE;
	default:
		return IPE_PROP_FSV_SIG_FALSE;
	}
}

/* Returns true when the rule can never match because two of its properties contradict. */
static bool check_rule_props(struct checker *c, const struct ipe_rule *r)
{
	const struct ipe_prop *seen[IPE_PROP_MAX] = {};
	bool contradiction = false;

	for (size_t i = 0; i < r->n_props; i++) {
		const struct ipe_prop *p = &r->props[i];
		const struct ipe_prop *other = NULL;
		char a[80], b[80];

		switch (p->type) {
		case IPE_PROP_DMV_ROOTHASH:
		case IPE_PROP_FSV_DIGEST:
			if (!seen[p->type])
				check_digest(c, r, p);
			else if (!ipe_prop_equal(seen[p->type], p))
				other = seen[p->type];
			break;
		case IPE_PROP_BOOT_VERIFIED_TRUE:
			if (!c->boot_verified_seen)
				warn(c, r->line,
				     "boot_verified=TRUE trusts every file in the initramfs, also files written there at run time; replace this policy once the system has booted");
			c->boot_verified_seen = true;
			_fallthrough_;
		default:
			other = seen[opposite(p->type)];
			break;
		}
		if (other && !contradiction) {
			warn(c, r->line, "never matches: '%s' and '%s' contradict each other",
			     prop_text(other, a, sizeof(a)), prop_text(p, b, sizeof(b)));
			contradiction = true;
		} else if (seen[p->type] && ipe_prop_equal(seen[p->type], p)) {
			warn(c, r->line, "property '%s' is repeated", prop_text(p, a, sizeof(a)));
		}
		if (!seen[p->type])
			seen[p->type] = p;
	}
	if (r->op == IPE_OP_EXECUTE && r->action == IPE_ACTION_ALLOW && !r->n_props)
		warn(c, r->line,
		     "'op=EXECUTE action=ALLOW' without properties allows every execution, anonymous executable memory included");
	return contradiction;
}

/* ---- rules that earlier rules hide ---- */

static uint64_t mix64(uint64_t x)
{
	/* splitmix64 finaliser */
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *u = p;

	for (size_t i = 0; i < n; i++) {
		h ^= u[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Equal properties (ipe_prop_equal) hash equal. */
static uint64_t prop_hash(const struct ipe_prop *p)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ ((uint64_t)p->type << 56);

	if (p->type == IPE_PROP_DMV_ROOTHASH || p->type == IPE_PROP_FSV_DIGEST) {
		h = fnv(h, p->digest.alg, strlen(p->digest.alg) + 1);
		h = fnv(h, p->digest.bytes, p->digest.len);
	}
	return mix64(h);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Sorted, de-duplicated property hashes of @r in @buf (grown as needed). Return: count, or -ENOMEM. */
static ssize_t rule_set(const struct ipe_rule *r, uint64_t **buf, size_t *cap)
{
	size_t n = 0;

	if (r->n_props > *cap) {
		uint64_t *nb = reallocarray(*buf, r->n_props, sizeof(**buf));

		if (!nb)
			return -ENOMEM;
		*buf = nb;
		*cap = r->n_props;
	}
	for (size_t i = 0; i < r->n_props; i++)
		(*buf)[i] = prop_hash(&r->props[i]);
	if (r->n_props > 1)
		qsort(*buf, r->n_props, sizeof(**buf), cmp_u64);
	for (size_t i = 0; i < r->n_props; i++)
		if (!n || (*buf)[n - 1] != (*buf)[i])
			(*buf)[n++] = (*buf)[i];
	return (ssize_t)n;
}

static uint64_t set_hash(enum ipe_op op, const uint64_t *set, size_t n, uint32_t mask, bool all)
{
	uint64_t h = mix64(0x9e3779b97f4a7c15ULL + (uint64_t)op);

	for (size_t i = 0; i < n; i++)
		if (all || (mask & (1u << i)))
			h = mix64(h ^ set[i]);
	return h;
}

struct shadow {
	uint32_t *slots; /* rule index + 1, 0 = empty */
	uint64_t *keys;  /* set hash per rule index */
	size_t mask;
};

static size_t shadow_find(const struct shadow *s, uint64_t key)
{
	for (size_t i = key & s->mask;; i = (i + 1) & s->mask)
		if (!s->slots[i] || s->keys[s->slots[i] - 1] == key)
			return i;
}

static void report_shadow(struct checker *c, const struct ipe_rule *r, const struct ipe_rule *by,
			  bool same_set)
{
	_cleanup_free_ char *text = NULL;
	char q[64];

	if (same_set) {
		if (by->action == r->action)
			warn(c, r->line, "duplicate of the rule on line %u", by->line);
		else
			warn(c, r->line,
			     "never matches: the rule on line %u has the same properties and action=%s",
			     by->line, ipe_action_name(by->action));
		return;
	}
	if (ipe_rule_to_string(by, false, &text) < 0)
		text = NULL;
	ipe_quote(text ? text : "?", text ? strlen(text) : 1, q, sizeof(q));
	warn(c, r->line,
	     "never matches: the rule on line %u ('%s') matches every file this one does, first",
	     by->line, q);
}

static int check_shadowing(struct checker *c, const struct ipe_policy *p, const bool *dead)
{
	struct shadow s = {};
	_cleanup_free_ uint64_t *set = NULL;
	size_t cap = 0, slots = 16;
	int r = 0;

	if (p->n_rules >= UINT32_MAX)
		return 0;
	while (slots < p->n_rules * 2)
		slots *= 2;
	s.slots = calloc(slots, sizeof(*s.slots));
	s.keys = calloc(p->n_rules ? p->n_rules : 1, sizeof(*s.keys));
	if (!s.slots || !s.keys) {
		r = -ENOMEM;
		goto out;
	}
	s.mask = slots - 1;

	for (size_t i = 0; i < p->n_rules; i++) {
		const struct ipe_rule *rule = &p->rules[i];
		ssize_t n = rule_set(rule, &set, &cap);
		size_t best = SIZE_MAX;
		bool best_full = false;
		uint64_t full;
		size_t slot;

		if (n < 0) {
			r = (int)n;
			goto out;
		}
		full = set_hash(rule->op, set, (size_t)n, 0, true);
		s.keys[i] = full;
		if (dead[i])
			continue; /* already reported; it cannot hide later rules either */

		if (n <= SUBSET_MAX_PROPS) {
			for (uint32_t m = 0; m < (1u << n); m++) {
				uint64_t k = set_hash(rule->op, set, (size_t)n, m, false);
				size_t sl = shadow_find(&s, k);

				if (s.slots[sl] && s.slots[sl] - 1 < best) {
					best = s.slots[sl] - 1;
					best_full = m == (1u << n) - 1;
				}
			}
		} else {
			/* many properties: the empty set, single properties and the whole set */
			for (ssize_t j = -1; j <= n; j++) {
				uint64_t k = j < 0    ? set_hash(rule->op, set, 0, 0, true)
					     : j == n ? full
						      : set_hash(rule->op, set + j, 1, 0, true);
				size_t sl = shadow_find(&s, k);

				if (s.slots[sl] && s.slots[sl] - 1 < best) {
					best = s.slots[sl] - 1;
					best_full = j == n;
				}
			}
		}
		if (best != SIZE_MAX)
			report_shadow(c, rule, &p->rules[best], best_full);

		slot = shadow_find(&s, full);
		if (!s.slots[slot])
			s.slots[slot] = (uint32_t)i + 1;
	}
out:
	free(s.slots);
	free(s.keys);
	return r;
}

/* ---- the whole policy ---- */

static void check_policy(struct checker *c, const struct ipe_parser *ps, bool *dead)
{
	const struct ipe_policy *p = ps->policy;

	if (p->name && ps->header_ok) {
		bool odd = false;

		for (const char *s = p->name; *s; s++)
			if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' || *s == '.'))
				odd = true;
		if (odd && ipe_policy_name_valid(p->name) == 0) {
			char q[64];

			ipe_quote(p->name, strlen(p->name), q, sizeof(q));
			warn(c, ps->header_line,
			     "policy name '%s' has characters other than A-Z a-z 0-9 _ - . (audit records print it unescaped, loaders use it as a file name)",
			     q);
		}
	}
	if (ps->header_ok && p->global_default == IPE_ACTION_INVALID) {
		bool all = true;

		for (unsigned i = 0; i < IPE_OP_MAX; i++)
			all = all && p->op_default[i] != IPE_ACTION_INVALID;
		if (all)
			warn(c, 0,
			     "no global DEFAULT: a kernel that adds an operation will refuse this policy; add 'DEFAULT action=ALLOW' or 'DEFAULT action=DENY'");
	}
	for (size_t i = 0; i < p->n_rules; i++)
		dead[i] = check_rule_props(c, &p->rules[i]);
}

static int cmp_diag(const void *a, const void *b)
{
	const struct diag_seq *x = a, *y = b;
	/* whole-file diagnostics (line 0) last */
	unsigned lx = x->d.line ? x->d.line : UINT32_MAX, ly = y->d.line ? y->d.line : UINT32_MAX;

	if (lx != ly)
		return lx < ly ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void ipe_check_result_done(struct ipe_check_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_diags; i++)
		free(r->diags[i].message);
	free(r->diags);
	free(r->name);
	ipe_policy_free(r->policy);
	*r = (struct ipe_check_result){};
}

int ipe_policy_check(const char *text, size_t len, struct ipe_check_result *ret)
{
	struct ipe_check_result res = {};
	struct checker c = { .res = &res };
	struct ipe_parser ps = { .on_error = on_parse_error, .userdata = &c };
	_cleanup_free_ bool *dead = NULL;
	int e;

	e = ipe_parse_text(text, len, &ps);
	if (e == -ENOMEM)
		goto fail;
	res.kernel_errno = ps.first_error;

	check_text(&c, text, len);
	dead = calloc(ps.policy->n_rules ? ps.policy->n_rules : 1, sizeof(*dead));
	if (!dead) {
		e = -ENOMEM;
		goto fail;
	}
	check_policy(&c, &ps, dead);
	e = check_shadowing(&c, ps.policy, dead);
	if (e < 0 || c.oom) {
		e = -ENOMEM;
		goto fail;
	}

	if (ps.policy->name) {
		res.name = strdup(ps.policy->name);
		if (!res.name) {
			e = -ENOMEM;
			goto fail;
		}
	}
	if (ps.header_ok) {
		memcpy(res.version, ps.policy->version, sizeof(res.version));
		res.have_version = true;
	}
	if (c.n)
		qsort(c.diags, c.n, sizeof(*c.diags), cmp_diag);
	if (c.n) {
		res.diags = calloc(c.n, sizeof(*res.diags));
		if (!res.diags) {
			e = -ENOMEM;
			goto fail;
		}
	}
	for (size_t i = 0; i < c.n; i++)
		res.diags[i] = c.diags[i].d;
	res.n_diags = c.n;
	free(c.diags);
	if (!res.kernel_errno)
		res.policy = TAKE_PTR(ps.policy);
	else
		ipe_policy_free(ps.policy);
	*ret = res;
	return 0;

fail:
	for (size_t i = 0; i < c.n; i++)
		free(c.diags[i].d.message);
	free(c.diags);
	ipe_policy_free(ps.policy);
	res.n_diags = 0;
	free(res.diags);
	free(res.name);
	return e;
}
