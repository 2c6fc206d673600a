// SPDX-License-Identifier: GPL-2.0-only
/*
 * The policy parser. It follows security/ipe/policy_parser.c and digest.c
 * step by step (same token order, same errno for the same input), so that
 * "loads here" means "loads in the kernel". docs/policy-model.md has the
 * rules it mirrors.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hexdecoct.h"
#include "lib/macro.h"
#include "policy/internal.h"
#include "policy/policy.h"

#define POLICY_DELIM " \t"
#define MSG_MAX 160

struct msg {
	char text[MSG_MAX];
};

static void _printf_(2, 3) set_msg(struct msg *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	/* cppcheck-suppress ctuuninitvar ; m->text is written here, never read */
	vsnprintf(m->text, sizeof(m->text), fmt, ap);
	va_end(ap);
}

/* A token as it may appear in a message: bounded and printable. */
static const char *q(const char *t, char buf[static 64])
{
	ipe_quote(t, strlen(t), buf, 64);
	return buf;
}

static int report(struct ipe_parser *ps, unsigned line, int error, const struct msg *m)
{
	if (!ps->first_error)
		ps->first_error = error;
	if (ps->on_error)
		return ps->on_error(ps, line, error, m->text);
	return error;
}

static int version_message(int r, const char *v, struct msg *m)
{
	char b[64];

	switch (r) {
	case -EBADMSG:
		set_msg(m, "policy_version '%s' must have three parts, MAJOR.MINOR.REVISION", q(v, b));
		break;
	case -ERANGE:
		set_msg(m, "policy_version '%s': a part is larger than 65535", q(v, b));
		break;
	default:
		set_msg(m, "policy_version '%s': every part must be a decimal number 0-65535", q(v, b));
		break;
	}
	return r;
}

static int parse_header(char *line, struct ipe_parser *ps, struct msg *m)
{
	static const char name_key[] = "policy_name=", version_key[] = "policy_version=";
	struct ipe_policy *p = ps->policy;
	unsigned idx = 0;
	char b[64];
	char *t;
	int r;

	while ((t = strsep(&line, POLICY_DELIM))) {
		if (!*t)
			continue;
		if (idx >= 2) {
			set_msg(m, "unexpected '%s' after policy_version= in the header", q(t, b));
			return -EBADMSG;
		}
		if (idx == 0) {
			if (!startswith(t, name_key) || !t[sizeof(name_key) - 1]) {
				if (streq(t, name_key))
					set_msg(m, "empty policy_name=");
				else if (startswith(t, version_key))
					set_msg(m, "the header must start with policy_name=, before policy_version=");
				else
					set_msg(m, "the first line must be the header 'policy_name=NAME policy_version=X.Y.Z', not '%s'",
						q(t, b));
				return -EBADMSG;
			}
			free(p->name);
			p->name = strdup(t + sizeof(name_key) - 1);
			if (!p->name)
				return -ENOMEM;
		} else {
			if (!startswith(t, version_key) || !t[sizeof(version_key) - 1]) {
				if (streq(t, version_key))
					set_msg(m, "empty policy_version=");
				else
					set_msg(m, "expected policy_version=X.Y.Z after the policy name, not '%s'",
						q(t, b));
				return -EBADMSG;
			}
			r = ipe_version_parse(t + sizeof(version_key) - 1, p->version);
			if (r < 0)
				return version_message(r, t + sizeof(version_key) - 1, m);
		}
		idx++;
	}
	if (idx != 2) {
		set_msg(m, "the header has no policy_version=X.Y.Z");
		return -EBADMSG;
	}
	return 0;
}

static enum ipe_op parse_op(const char *t)
{
	return startswith(t, "op=") ? ipe_op_from_name(t + 3) : IPE_OP_INVALID;
}

static enum ipe_action parse_action(const char *t)
{
	if (streq(t, "action=ALLOW"))
		return IPE_ACTION_ALLOW;
	if (streq(t, "action=DENY"))
		return IPE_ACTION_DENY;
	return IPE_ACTION_INVALID;
}

/* digest.c ipe_digest_parse(): "alg:hex", the algorithm taken as is. */
static int parse_digest(const char *token, const char *val, struct ipe_digest *d, struct msg *m)
{
	const char *sep = strchr(val, ':');
	const char *hex;
	size_t hexlen;
	char b[64];
	int r;

	if (!sep) {
		set_msg(m, "'%s': a digest is ALGORITHM:HEX, e.g. sha256:<64 hex digits>", q(token, b));
		return -EBADMSG;
	}
	hex = sep + 1;
	hexlen = strlen(hex);
	d->alg = strndup(val, (size_t)(sep - val));
	if (!d->alg)
		return -ENOMEM;
	if (hexlen == 0)
		return 0; /* the kernel accepts an empty digest (which never matches) */
	r = hex_decode(hex, hexlen, &d->bytes, &d->len);
	if (r == -EINVAL) {
		if (hexlen % 2)
			set_msg(m, "'%s': the digest has an odd number of hex digits", q(token, b));
		else
			set_msg(m, "'%s': the digest is not hexadecimal", q(token, b));
	}
	return r;
}

static int parse_property(const char *t, struct ipe_rule *r, struct msg *m)
{
	static const struct {
		const char *text;
		enum ipe_prop_type type;
	} fixed[] = {
		{ "boot_verified=FALSE", IPE_PROP_BOOT_VERIFIED_FALSE },
		{ "boot_verified=TRUE", IPE_PROP_BOOT_VERIFIED_TRUE },
		{ "dmverity_signature=FALSE", IPE_PROP_DMV_SIG_FALSE },
		{ "dmverity_signature=TRUE", IPE_PROP_DMV_SIG_TRUE },
		{ "fsverity_signature=FALSE", IPE_PROP_FSV_SIG_FALSE },
		{ "fsverity_signature=TRUE", IPE_PROP_FSV_SIG_TRUE },
	};
	struct ipe_prop prop = {};
	const char *val = NULL;
	char b[64];
	int e;

	for (size_t i = 0; i < ELEMENTSOF(fixed) && val == NULL; i++)
		if (streq(t, fixed[i].text)) {
			prop.type = fixed[i].type;
			val = "";
		}
	if (!val) {
		/* "%s" in a match_token() pattern needs at least one byte */
		if (startswith(t, "dmverity_roothash=") && t[18]) {
			prop.type = IPE_PROP_DMV_ROOTHASH;
			val = t + 18;
		} else if (startswith(t, "fsverity_digest=") && t[16]) {
			prop.type = IPE_PROP_FSV_DIGEST;
			val = t + 16;
		}
		if (!val) {
			if (startswith(t, "op="))
				set_msg(m, "a rule has one op=, first: '%s'", q(t, b));
			else if (startswith(t, "action="))
				set_msg(m, "'%s' must be the last token of the rule", q(t, b));
			else if (startswith(t, "boot_verified=") ||
				 startswith(t, "dmverity_signature=") ||
				 startswith(t, "fsverity_signature="))
				set_msg(m, "'%s': the value must be TRUE or FALSE", q(t, b));
			else if (streq(t, "dmverity_roothash=") || streq(t, "fsverity_digest="))
				set_msg(m, "'%s' needs a value ALGORITHM:HEX", q(t, b));
			else
				set_msg(m, "unknown property '%s'", q(t, b));
			return -EBADMSG;
		}
		e = parse_digest(t, val, &prop.digest, m);
		if (e < 0) {
			ipe_prop_done(&prop);
			return e;
		}
	}
	/* capacity is the next power of two: most rules have one or two properties */
	if ((r->n_props & (r->n_props - 1)) == 0) {
		struct ipe_prop *n = reallocarray(r->props, r->n_props ? 2 * r->n_props : 1,
						  sizeof(*n));

		if (!n) {
			ipe_prop_done(&prop);
			return -ENOMEM;
		}
		r->props = n;
	}
	r->props[r->n_props++] = prop;
	return 0;
}

static void rule_free_props(struct ipe_rule *r)
{
	for (size_t i = 0; i < r->n_props; i++)
		ipe_prop_done(&r->props[i]);
	free(r->props);
	r->props = NULL;
	r->n_props = 0;
}

static void bad_op_message(const char *t, struct msg *m)
{
	char b[64];

	if (startswith(t, "op="))
		set_msg(m, "unknown operation '%s' (EXECUTE, FIRMWARE, KMODULE, KEXEC_IMAGE, KEXEC_INITRAMFS, POLICY, X509_CERT)",
			q(t, b));
	else
		set_msg(m, "a rule must start with op=OPERATION (or DEFAULT), not '%s'", q(t, b));
}

/* policy_parser.c parse_rule(): every token but the last, then the last one as the action. */
static int parse_rule(char *line, struct ipe_parser *ps, unsigned lineno, struct msg *m)
{
	struct ipe_policy *p = ps->policy;
	struct ipe_rule r = { .op = IPE_OP_INVALID, .line = lineno };
	bool is_default = false, first = true, op_parsed = false;
	enum ipe_action action;
	char b[64];
	char *t;
	int e = 0;

	while (t = strsep(&line, POLICY_DELIM), line) {
		if (!*t)
			continue;
		if (first && streq(t, "DEFAULT")) {
			is_default = true;
		} else if (!op_parsed) {
			r.op = parse_op(t);
			if (r.op == IPE_OP_INVALID) {
				bad_op_message(t, m);
				e = -EBADMSG;
				goto out;
			}
			op_parsed = true;
		} else {
			e = parse_property(t, &r, m);
			if (e < 0)
				goto out;
		}
		first = false;
	}

	action = parse_action(t);
	if (action == IPE_ACTION_INVALID) {
		if (startswith(t, "action="))
			set_msg(m, "unknown action '%s' (ALLOW or DENY)", q(t, b));
		else if (first && streq(t, "DEFAULT"))
			set_msg(m, "DEFAULT needs action=ALLOW or action=DENY");
		else
			set_msg(m, "a rule must end with action=ALLOW or action=DENY, not '%s'",
				q(t, b));
		e = -EBADMSG;
		goto out;
	}
	r.action = action;

	if (is_default) {
		if (r.n_props) {
			set_msg(m, "a DEFAULT rule cannot have properties");
			e = -EBADMSG;
		} else if (r.op == IPE_OP_INVALID) {
			if (p->global_default != IPE_ACTION_INVALID) {
				set_msg(m, "second global DEFAULT (the first is on line %u)",
					ps->global_default_line);
				e = -EBADMSG;
			} else {
				p->global_default = action;
				ps->global_default_line = lineno;
			}
		} else if (p->op_default[r.op] != IPE_ACTION_INVALID) {
			set_msg(m, "second DEFAULT for op=%s (the first is on line %u)",
				ipe_op_name(r.op), ps->op_default_line[r.op]);
			e = -EBADMSG;
		} else {
			(void)ipe_policy_set_default(p, r.op, action); /* checked above: cannot fail */
			ps->op_default_line[r.op] = lineno;
		}
	} else if (r.op == IPE_OP_INVALID) {
		set_msg(m, "a rule needs op=OPERATION before action=");
		e = -EBADMSG;
	} else {
		e = ipe_policy_take_rule(p, &r);
	}
out:
	rule_free_props(&r);
	return e;
}

static void remove_comment(char *line)
{
	char *c = strchr(line, '#');

	if (c)
		*c = 0;
}

static size_t remove_trailing_spaces(char *line)
{
	size_t i = strlen(line);

	while (i > 0 && ipe_isspace((unsigned char)line[i - 1]))
		i--;
	line[i] = 0;
	return i;
}

static int finish(struct ipe_parser *ps, bool header_parsed)
{
	struct ipe_policy *p = ps->policy;
	struct msg m;
	char b[64];
	int e;

	if (!header_parsed) {
		set_msg(&m, "no policy header 'policy_name=NAME policy_version=X.Y.Z'");
		return report(ps, 0, -EBADMSG, &m);
	}
	if (p->global_default == IPE_ACTION_INVALID) {
		char missing[MSG_MAX] = "";
		bool any = false;

		for (unsigned i = 0; i < IPE_OP_MAX; i++)
			if (p->op_default[i] == IPE_ACTION_INVALID) {
				strncat(missing, any ? ", " : "",
					sizeof(missing) - strlen(missing) - 1);
				strncat(missing, ipe_op_name((enum ipe_op)i),
					sizeof(missing) - strlen(missing) - 1);
				any = true;
			}
		if (any) {
			set_msg(&m, "no default: add 'DEFAULT action=ALLOW|DENY' (missing for %s)",
				missing);
			e = report(ps, 0, -EBADMSG, &m);
			if (e < 0)
				return e;
		}
	}
	/* Load-time, after a successful parse: securityfs_create_dir(name). */
	if (p->name) {
		e = ipe_policy_name_valid(p->name);
		if (e == -EACCES) {
			set_msg(&m, "policy name '%s' cannot be a securityfs directory name",
				q(p->name, b));
			return report(ps, ps->header_line, e, &m);
		}
		if (e == -ENAMETOOLONG) {
			set_msg(&m, "policy name is %zu bytes; a securityfs directory name has at most 255",
				strlen(p->name));
			return report(ps, ps->header_line, e, &m);
		}
	}
	return 0;
}

int ipe_parse_text(const char *text, size_t len, struct ipe_parser *ps)
{
	_cleanup_free_ char *line = NULL;
	bool header_parsed = false;
	unsigned lineno = 1;
	size_t n, pos = 0, cap = 0;
	int e;

	ps->first_error = 0;
	ps->policy = calloc(1, sizeof(*ps->policy));
	if (!ps->policy)
		return -ENOMEM;
	if (!len) {
		struct msg m;

		set_msg(&m, "empty policy");
		e = report(ps, 0, -EBADMSG, &m);
		return e < 0 ? e : ps->first_error;
	}
	/* kmemdup_nul() then C-string scanning: the text ends at the first NUL */
	n = strnlen(text, len);

	/* one line at a time, so memory stays at the text plus the longest line */
	for (bool more = true; more;) {
		size_t brk = pos, l;
		unsigned this_line = lineno;
		struct msg m;

		while (brk < n && text[brk] != '\n' && text[brk] != '\r')
			brk++;
		l = brk - pos;
		if (l + 1 > cap) {
			char *nl = realloc(line, l + 1);

			if (!nl)
				return -ENOMEM;
			line = nl;
			cap = l + 1;
		}
		memcpy(line, text + pos, l);
		line[l] = 0;
		if (brk < n) {
			/* the kernel splits on \r and \n alike; for line numbers CRLF counts once */
			if (!(text[brk] == '\n' && brk > 0 && text[brk - 1] == '\r'))
				lineno++;
			pos = brk + 1;
		} else
			more = false;

		remove_comment(line);
		if (!remove_trailing_spaces(line))
			continue;
		if (!header_parsed) {
			header_parsed = true;
			ps->header_line = this_line;
			e = parse_header(line, ps, &m);
			ps->header_ok = e == 0;
		} else
			e = parse_rule(line, ps, this_line, &m);
		if (e == -ENOMEM)
			return e;
		if (e < 0) {
			e = report(ps, this_line, e, &m);
			if (e < 0)
				return e;
		}
	}
	e = finish(ps, header_parsed);
	if (e == -ENOMEM)
		return e;
	return ps->first_error;
}

static int stop_on_error(struct ipe_parser *ps, unsigned line, int error, const char *msg)
{
	struct ipe_parse_error *err = ps->userdata;

	if (err) {
		err->line = line;
		snprintf(err->message, sizeof(err->message), "%s", msg);
	}
	return error;
}

int ipe_policy_parse(const char *text, size_t len, struct ipe_policy **ret, struct ipe_parse_error *err)
{
	struct ipe_parser ps = { .on_error = stop_on_error, .userdata = err };
	int e;

	if (err)
		*err = (struct ipe_parse_error){};
	e = ipe_parse_text(text, len, &ps);
	if (e < 0) {
		ipe_policy_free(ps.policy);
		return e;
	}
	*ret = ps.policy;
	return 0;
}
