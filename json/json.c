// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json/json.h"

bool utf8_valid(const void *s, size_t len)
{
	const unsigned char *p = s, *end = p + len;

	while (p < end) {
		unsigned char c = *p;
		size_t n;
		uint32_t cp, min;

		if (c < 0x80) {
			p++;
			continue;
		}
		if ((c & 0xe0) == 0xc0)
			n = 1, cp = c & 0x1f, min = 0x80;
		else if ((c & 0xf0) == 0xe0)
			n = 2, cp = c & 0x0f, min = 0x800;
		else if ((c & 0xf8) == 0xf0)
			n = 3, cp = c & 0x07, min = 0x10000;
		else
			return false;
		if ((size_t)(end - p) <= n)
			return false;
		for (size_t i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		p += n + 1;
	}
	return true;
}

struct json_object *json_bytes_new(const void *s, size_t len)
{
	const unsigned char *p = s;
	struct json_object *a;

	if (utf8_valid(s, len))
		return json_object_new_string_len(s, (int)len);
	a = json_object_new_array_ext((int)len);
	if (!a)
		return NULL;
	for (size_t i = 0; i < len; i++)
		if (json_object_array_add(a, json_object_new_int(p[i])) < 0) {
			json_object_put(a);
			return NULL;
		}
	return a;
}

struct json_object *json_str_new(const char *s)
{
	return s ? json_bytes_new(s, strlen(s)) : NULL;
}

int json_bytes_get(struct json_object *o, char **ret, size_t *ret_len)
{
	char *buf;
	size_t len;

	if (json_object_is_type(o, json_type_string)) {
		len = (size_t)json_object_get_string_len(o);
		buf = malloc(len + 1);
		if (!buf)
			return -ENOMEM;
		memcpy(buf, json_object_get_string(o), len);
	} else if (json_object_is_type(o, json_type_array)) {
		len = json_object_array_length(o);
		buf = malloc(len + 1);
		if (!buf)
			return -ENOMEM;
		for (size_t i = 0; i < len; i++) {
			struct json_object *b = json_object_array_get_idx(o, i);
			int64_t v;

			if (!json_object_is_type(b, json_type_int) ||
			    (v = json_object_get_int64(b)) < 0 || v > 255) {
				free(buf);
				return -EBADMSG;
			}
			buf[i] = (char)v;
		}
	} else
		return -EBADMSG;
	buf[len] = 0;
	*ret = buf;
	if (ret_len)
		*ret_len = len;
	return 0;
}

int json_add(struct json_object *o, const char *key, struct json_object *v)
{
	if (json_object_object_add(o, key, v) < 0) {
		json_object_put(v);
		return -ENOMEM;
	}
	return 0;
}

const char *json_format(struct json_object *o, unsigned flags)
{
	int f = JSON_C_TO_STRING_NOSLASHESCAPE;

	if (!(flags & JSON_PRETTY))
		f |= JSON_C_TO_STRING_PLAIN;
	else if (flags & JSON_NO_SPACE)
		f |= JSON_C_TO_STRING_PRETTY;
	else
		f |= JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED;
	return json_object_to_json_string_ext(o, f);
}

int json_write_line(int fd, struct json_object *o)
{
	const char *s = json_format(o, 0);
	_cleanup_free_ char *line = NULL;
	size_t len;
	ssize_t n;

	if (!s)
		return -ENOMEM;
	len = strlen(s);
	line = malloc(len + 1);
	if (!line)
		return -ENOMEM;
	memcpy(line, s, len);
	line[len++] = '\n';
	do
		n = write(fd, line, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if ((size_t)n == len)
		return 0;
	/* A short write (a full disk, a quota, a file size limit): one more for the rest says why. */
	n = write(fd, line + n, len - (size_t)n);
	if (n < 0)
		return -errno;
	return -EIO;
}

int json_parse_document(const char *buf, size_t len, struct json_object **ret)
{
	struct json_tokener *tok;
	struct json_object *o;
	size_t used;

	if (len > INT32_MAX)
		return -EBADMSG;
	tok = json_tokener_new();
	if (!tok)
		return -ENOMEM;
	o = json_tokener_parse_ex(tok, buf, (int)len);
	if (!o || json_tokener_get_error(tok) != json_tokener_success) {
		json_tokener_free(tok);
		json_object_put(o);
		return -EBADMSG;
	}
	used = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	for (; used < len; used++)
		if (buf[used] != ' ' && buf[used] != '\t' && buf[used] != '\r' && buf[used] != '\n') {
			json_object_put(o);
			return -EBADMSG;
		}
	*ret = o;
	return 0;
}
