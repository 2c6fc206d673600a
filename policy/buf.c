// SPDX-License-Identifier: GPL-2.0-only
/* A growable string for the formatters; an allocation failure is remembered, not reported per call. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hexdecoct.h"
#include "policy/internal.h"

static bool reserve(struct ipe_buf *b, size_t more)
{
	size_t need, ncap;
	char *n;

	if (b->oom)
		return false;
	if (more > SIZE_MAX / 2 - b->len) {
		b->oom = true;
		return false;
	}
	need = b->len + more + 1;
	if (need <= b->cap)
		return true;
	ncap = b->cap ? b->cap : 256;
	while (ncap < need)
		ncap *= 2;
	n = realloc(b->s, ncap);
	if (!n) {
		b->oom = true;
		return false;
	}
	b->s = n;
	b->cap = ncap;
	return true;
}

void ipe_buf_append(struct ipe_buf *b, const char *s, size_t len)
{
	if (!reserve(b, len))
		return;
	memcpy(b->s + b->len, s, len);
	b->len += len;
	b->s[b->len] = 0;
}

void ipe_buf_puts(struct ipe_buf *b, const char *s)
{
	ipe_buf_append(b, s, strlen(s));
}

void ipe_buf_printf(struct ipe_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !reserve(b, (size_t)n)) {
		b->oom = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void ipe_buf_hex(struct ipe_buf *b, const unsigned char *p, size_t n, bool upper)
{
	if (n > SIZE_MAX / 4 || !reserve(b, 2 * n))
		return;
	hex_encode_to(p, n, upper, b->s + b->len);
	b->len += 2 * n;
}
