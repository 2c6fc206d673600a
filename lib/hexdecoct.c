// SPDX-License-Identifier: GPL-2.0-only
#include "lib/hexdecoct.h"
#include "lib/macro.h"

void hex_encode_to(const void *buf, size_t len, bool upper, char *out)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	const unsigned char *p = buf;

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * len] = 0;
}

char *hex_encode(const void *buf, size_t len, bool upper)
{
	char *out = malloc(2 * len + 1);

	if (out)
		hex_encode_to(buf, len, upper, out);
	return out;
}

int unhexchar(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -EINVAL;
}

int hex_decode(const char *hex, size_t len, unsigned char **ret_buf, size_t *ret_len)
{
	_cleanup_free_ unsigned char *buf = NULL;

	if (len % 2)
		return -EINVAL;
	buf = malloc(len / 2 + 1);
	if (!buf)
		return -ENOMEM;
	for (size_t i = 0; i < len / 2; i++) {
		int hi = unhexchar(hex[2 * i]), lo = unhexchar(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		buf[i] = (unsigned char)(hi << 4 | lo);
	}
	buf[len / 2] = 0;
	*ret_buf = TAKE_PTR(buf);
	*ret_len = len / 2;
	return 0;
}
