// SPDX-License-Identifier: GPL-2.0-only
/* IPE's 1420 records (security/ipe/audit.c ipe_audit_match()) into struct ipe_access. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/macro.h"
#include "auditd/audit_record.h"
#include "lib/hexdecoct.h"

struct cursor {
	const char *p, *end;
};

/* Expect the literal @s at the cursor. */
static bool lit(struct cursor *c, const char *s)
{
	size_t n = strlen(s);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, s, n) != 0)
		return false;
	c->p += n;
	return true;
}

/* A run of bytes up to the next space (or the end): the value of a %s or %d field. */
static bool word(struct cursor *c, const char **ret, size_t *ret_len)
{
	const char *s = c->p;

	while (c->p < c->end && *c->p != ' ')
		c->p++;
	*ret = s;
	*ret_len = (size_t)(c->p - s);
	return *ret_len > 0;
}

/*
 * One audit_log_untrustedstring() value into a malloc'd, NUL-terminated
 * buffer: "text" (no '"' inside, the kernel hex-encodes any string with
 * one), or upper-case hex. "?" is taken only where @maybe_none.
 */
static int untrusted(struct cursor *c, bool maybe_none, char **ret, size_t *ret_len)
{
	const char *s;
	size_t n;
	char *b;

	*ret = NULL;
	if (maybe_none && lit(c, "?") && (c->p == c->end || *c->p == ' '))
		return 0;
	if (c->p < c->end && *c->p == '"') {
		const char *q = memchr(c->p + 1, '"', (size_t)(c->end - c->p - 1));

		if (!q)
			return -EBADMSG;
		s = c->p + 1;
		n = (size_t)(q - s);
		/* audit_string_contains_control() sends anything else in hex (kernel/audit.c) */
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
				return -EBADMSG;
		c->p = q + 1;
		b = strndup(s, n);
	} else {
		unsigned char *decoded;
		int r;

		if (!word(c, &s, &n))
			return -EBADMSG;
		r = hex_decode(s, n, &decoded, &n);
		if (r < 0)
			return r == -ENOMEM ? r : -EBADMSG;
		b = (char *)decoded;
	}
	if (!b)
		return -ENOMEM;
	*ret = b;
	*ret_len = n;
	return 0;
}

static bool number(struct cursor *c, uint64_t max, uint64_t *ret)
{
	const char *s;
	size_t n;
	char buf[24], *e;

	if (!word(c, &s, &n) || n >= sizeof(buf) || s[0] < '0' || s[0] > '9')
		return false;
	memcpy(buf, s, n);
	buf[n] = 0;
	errno = 0;
	*ret = strtoull(buf, &e, 10);
	return !errno && !*e && *ret <= max;
}

static enum ipe_hook hook_from_name(const char *s, size_t n)
{
	for (unsigned h = 0; h < IPE_HOOK_MAX; h++) {
		const char *name = ipe_hook_name(h);

		if (name && strlen(name) == n && !memcmp(name, s, n))
			return h;
	}
	return IPE_HOOK_MAX;
}

/* "audit(1700000000.123:45): " */
static int prefix(struct cursor *c, struct ipe_access *a)
{
	unsigned long long sec, ms, serial;
	int n = 0;
	char buf[64];
	size_t len = MIN((size_t)(c->end - c->p), sizeof(buf) - 1);

	memcpy(buf, c->p, len);
	buf[len] = 0;
	if (sscanf(buf, "audit(%llu.%3llu:%llu): %n", &sec, &ms, &serial, &n) != 3 || n == 0)
		return -EBADMSG;
	a->time_ms = (uint64_t)sec * 1000 + ms;
	a->serial = serial;
	c->p += n;
	return 0;
}

int ipe_access_parse(const char *msg, size_t len, struct ipe_access *a)
{
	struct cursor c = { msg, msg + len };
	_cleanup_free_ char *op = NULL;
	char *comm = NULL, *dev = NULL;
	const char *s;
	size_t n, comm_len, dev_len;
	uint64_t v;
	int k;

	*a = (struct ipe_access){ .hook = IPE_HOOK_MAX };
	while (c.end > c.p && (c.end[-1] == '\n' || c.end[-1] == 0))
		c.end--;
	if (c.end - c.p >= 6 && !memcmp(c.p, "audit(", 6) && (k = prefix(&c, a)) < 0)
		return k;
	if (!lit(&c, "ipe_op=") || !word(&c, &s, &n))
		return -EBADMSG;
	if (!(op = strndup(s, n)))
		return -ENOMEM;
	a->op = ipe_op_from_name(op);
	if (a->op == IPE_OP_INVALID && !streq(op, "UNKNOWN"))
		return -EBADMSG;
	if (!lit(&c, " ipe_hook=") || !word(&c, &s, &n) ||
	    (a->hook = hook_from_name(s, n)) == IPE_HOOK_MAX)
		return -EBADMSG;
	if (!lit(&c, " enforcing=") || !number(&c, 1, &v))
		return -EBADMSG;
	a->enforcing = v;
	if (!lit(&c, " pid=") || !number(&c, UINT32_MAX, &v))
		return -EBADMSG;
	a->pid = (uint32_t)v;
	if (!lit(&c, " comm="))
		return -EBADMSG;
	if ((k = untrusted(&c, false, &comm, &comm_len)) < 0)
		return k;
	snprintf(a->comm, sizeof(a->comm), "%.*s", (int)MIN(comm_len, sizeof(a->comm) - 1), comm);
	a->comm_len = MIN(comm_len, sizeof(a->comm) - 1);
	free(comm);
	if (!lit(&c, " path="))
		goto bad;
	if ((k = untrusted(&c, true, &a->path, &a->path_len)) < 0)
		goto fail;
	a->has_file = a->path;
	if (!lit(&c, " dev="))
		goto bad;
	if (a->has_file) {
		/* audit_log_untrustedstring(s_id), or "?" when the file has no inode */
		if ((k = untrusted(&c, true, &dev, &dev_len)) < 0)
			goto fail;
		if (dev) {
			snprintf(a->dev, sizeof(a->dev), "%.*s",
				 (int)MIN(dev_len, sizeof(a->dev) - 1), dev);
			free(dev);
			if (!lit(&c, " ino=") || !number(&c, UINT64_MAX, &a->ino))
				goto bad;
		} else if (!lit(&c, " ino=?"))
			goto bad;
	} else if (!lit(&c, "? ino=?"))
		goto bad;
	if (!lit(&c, " rule=\"") || c.end - c.p < 2 || c.end[-1] != '"')
		goto bad;
	if (!(a->rule = strndup(c.p, (size_t)(c.end - 1 - c.p)))) {
		k = -ENOMEM;
		goto fail;
	}
	/* audit_rule() and the DEFAULT forms all end "action=ALLOW" or "action=DENY" */
	n = strlen(a->rule);
	if (n >= 12 && streq(a->rule + n - 12, "action=ALLOW"))
		a->action = IPE_ACTION_ALLOW;
	else if (n >= 11 && streq(a->rule + n - 11, "action=DENY"))
		a->action = IPE_ACTION_DENY;
	else
		goto bad;
	return 0;
bad:
	k = -EBADMSG;
fail:
	ipe_access_done(a);
	return k;
}

void ipe_access_done(struct ipe_access *a)
{
	free(a->path);
	free(a->rule);
	*a = (struct ipe_access){};
}
