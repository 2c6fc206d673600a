// SPDX-License-Identifier: GPL-2.0-only
/* Text from elsewhere, escaped before it reaches a terminal or a log. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/escape.h"
#include "lib/macro.h"

/* Length of the valid UTF-8 sequence at @p (at most @n bytes) that is not a control character, or 0. */
static size_t utf8_printable(const unsigned char *p, size_t n)
{
	uint32_t c;
	size_t len;

	if (p[0] < 0x80)
		return p[0] >= 0x20 && p[0] < 0x7f ? 1 : 0;
	if ((p[0] & 0xe0) == 0xc0)
		len = 2, c = p[0] & 0x1f;
	else if ((p[0] & 0xf0) == 0xe0)
		len = 3, c = p[0] & 0x0f;
	else if ((p[0] & 0xf8) == 0xf0)
		len = 4, c = p[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	/* Overlong forms, surrogates, beyond Unicode, and the C1 controls. */
	if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff || c < 0xa0)
		return 0;
	return len;
}

/* escape_text() of @len bytes, "..." appended when @cut; ESCAPE_HEX: \xNN only, nothing quoted. */
static char *escape_bytes(const char *s, size_t len, bool cut, unsigned flags)
{
	bool quote = !(flags & ESCAPE_HEX);
	static const char named[] = { ['\a'] = 'a', ['\b'] = 'b', ['\t'] = 't', ['\n'] = 'n',
				      ['\v'] = 'v', ['\f'] = 'f', ['\r'] = 'r', [0x1b] = 'e' };
	const unsigned char *p = (const unsigned char *)s;
	char *out = malloc(len * 4 + 4), *o = out;

	if (!out)
		return NULL;
	for (size_t i = 0; i < len;) {
		size_t n = utf8_printable(p + i, len - i);

		if (n > 0 && (!quote || (p[i] != '\\' && p[i] != '"'))) {
			memcpy(o, p + i, n);
			o += n;
			i += n;
			continue;
		}
		*o++ = '\\';
		if (quote && (p[i] == '\\' || p[i] == '"'))
			*o++ = (char)p[i];
		else if (quote && p[i] < sizeof(named) && named[p[i]])
			*o++ = named[p[i]];
		else
			o += sprintf(o, "x%02x", p[i]);
		i++;
	}
	if (cut)
		o = stpcpy(o, "...");
	*o = 0;
	return out;
}

char *escape_text(const char *s)
{
	return escape_bytes(s, strlen(s), false, 0);
}

char *escape_text_prefix(const char *s, size_t len, size_t max)
{
	/* Not in the middle of a UTF-8 sequence: back up over continuation bytes. */
	size_t n = MIN(len, max);

	while (n < len && n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return escape_bytes(s, n, n < len, 0);
}

char *escape_text_len(const char *s, size_t len, unsigned flags)
{
	return escape_bytes(s, len, false, flags);
}
