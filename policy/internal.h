/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/* Internals shared by the policy/ files; not part of the public API. */

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "policy/policy.h"

/*
 * The line parser behind ipe_policy_parse() and ipe_policy_check(). It
 * mirrors security/ipe/policy_parser.c; on_error() decides whether parsing
 * goes on after a bad line (checking) or stops (parsing).
 */
struct ipe_parser {
	struct ipe_policy *policy;
	/* Return 0 to go on with the next line, or a negative errno to stop. */
	int (*on_error)(struct ipe_parser *ps, unsigned line, int error, const char *msg);
	void *userdata;
	int first_error;
	bool header_ok; /* the header line parsed */
	unsigned header_line;
	unsigned global_default_line;
	unsigned op_default_line[IPE_OP_MAX];
};

/**
 * ipe_parse_text() - run the kernel's parse over @text (up to the first NUL).
 * Fills @ps->policy (allocated here) with every line that parsed.
 * Return: 0 when the kernel accepts the text; the first -errno otherwise
 * (also left in @ps->first_error); -ENOMEM.
 */
int ipe_parse_text(const char *text, size_t len, struct ipe_parser *ps);

/* Kernel isspace(): \t \n \v \f \r, space and 0xa0 (lib/ctype.c). */
bool ipe_isspace(unsigned char c);

/* Printable, bounded rendering of untrusted bytes for messages: out gets at most @size-1 chars. */
void ipe_quote(const char *s, size_t len, char *out, size_t size);

/* Growable string for the formatters. */
struct ipe_buf {
	char *s;
	size_t len, cap;
	bool oom;
};

void ipe_buf_append(struct ipe_buf *b, const char *s, size_t len);
void ipe_buf_puts(struct ipe_buf *b, const char *s);
void ipe_buf_printf(struct ipe_buf *b, const char *fmt, ...) __attribute__((__format__(printf, 2, 3)));
void ipe_buf_hex(struct ipe_buf *b, const unsigned char *p, size_t n, bool upper);

/* A property as policy text ("dmverity_roothash=sha256:ab…") or as the audit record writes it. */
void ipe_buf_prop(struct ipe_buf *b, const struct ipe_prop *p, bool audit);

/* Deep copy / release of one property's digest. */
int ipe_prop_copy(struct ipe_prop *dst, const struct ipe_prop *src);
void ipe_prop_done(struct ipe_prop *p);

/* True when properties @a and @b are the same condition (same type; same alg and bytes). */
bool ipe_prop_equal(const struct ipe_prop *a, const struct ipe_prop *b);

/* Append a rule whose props the policy now owns (moved, not copied). */
int ipe_policy_take_rule(struct ipe_policy *p, struct ipe_rule *r);
