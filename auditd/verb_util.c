// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "auditd/verb_util.h"
#include "json/json.h"
#include "lib/log.h"
#include "lib/verbs.h"

int read_logs_logged(struct analysis *a, char *const *paths, int n)
{
	const char *failed = NULL;
	int r;

	r = log_read(paths, n, analysis_add, a, &a->counts, &failed);
	if (r == -ENOMEM)
		return log_error_errno(r, "out of memory");
	if (r < 0)
		return log_error_errno(r, "%s: cannot read: %m", failed ?: "-");
	if (a->counts.corrupt > 0)
		log_warning("%llu line(s) are not records of ipe-auditd run; skipped",
			    (unsigned long long)a->counts.corrupt);
	return 0;
}

int parse_time_arg(const char *opt, const char *s, nsec_t *ret)
{
	if (timestamp_parse(s, ret) < 0)
		return usage_error("%s: '%s' is not a time (RFC 3339, a date, or @SECONDS)", opt, s);
	return 0;
}

/* @len bytes at @raw for a terminal: control bytes (C0, DEL, C1) and invalid UTF-8 as \xNN. */
static char *display_text(const char *raw, size_t len)
{
	size_t o = 0;
	char *out = malloc(len * 4 + 1);

	if (!out)
		return NULL;
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)raw[i];
		size_t n = 1;

		if (c >= 0x80) { /* one valid UTF-8 character, as long as its first byte says, or a byte */
			size_t want = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;

			n = i + want <= len && utf8_valid(raw + i, want) ? want : 1;
		}
		if (n == 2 && c == 0xc2 && (unsigned char)raw[i + 1] < 0xa0)
			n = 1; /* U+0080..U+009F, the C1 controls, which terminals obey too */
		if (c < 0x20 || c == 0x7f || (c >= 0x80 && n == 1)) {
			o += (size_t)sprintf(out + o, "\\x%02x", c);
			i++;
			continue;
		}
		memcpy(out + o, raw + i, n);
		o += n;
		i += n;
	}
	out[o] = 0;
	return out;
}

char *display_bytes(struct json_object *v)
{
	_cleanup_free_ char *raw = NULL;
	size_t len;

	if (!v)
		return strdup("-");
	if (json_bytes_get(v, &raw, &len) < 0)
		return strdup(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
	return display_text(raw, len);
}

int print_line(const char *fmt, ...)
{
	_cleanup_free_ char *line = NULL, *shown = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&line, fmt, ap);
	va_end(ap);
	if (n < 0 || !(shown = display_text(line, (size_t)n)))
		return -ENOMEM;
	return puts(shown) < 0 ? -EIO : 0;
}
