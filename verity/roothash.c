// SPDX-License-Identifier: GPL-2.0-only
/* The one root-hash parser and file reader (verity/roothash.h). */
#include "lib/fileio.h"
#include "lib/hexdecoct.h"
#include "lib/macro.h"
#include "verity/roothash.h"

int root_hash_parse(const char *s, size_t len, size_t size, struct root_hash *ret)
{
	if (len == 0 || len % 2 || len > 2 * (size_t)DIGEST_MAX_SIZE)
		return -EINVAL;
	for (size_t i = 0; i < len; i += 2) {
		int hi = unhexchar(s[i]), lo = unhexchar(s[i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		ret->bytes[i / 2] = (unsigned char)(hi << 4 | lo);
	}
	if (size && len != 2 * size)
		return -EMSGSIZE;
	ret->size = len / 2;
	return 0;
}

int root_hash_read_file(const char *path, size_t size, struct root_hash *ret)
{
	_cleanup_free_ char *buf = NULL;
	size_t len;
	int r;

	r = read_full_file(path, ROOT_HASH_FILE_MAX, &buf, &len);
	if (r < 0)
		return r;
	if (len > 0 && buf[len - 1] == '\n') {
		len--;
		if (len > 0 && buf[len - 1] == '\r')
			len--;
	}
	return root_hash_parse(buf, len, size, ret);
}

void root_hash_hex(const struct root_hash *h, char *out)
{
	hex_encode_to(h->bytes, MIN(h->size, (size_t)DIGEST_MAX_SIZE), false, out);
}
