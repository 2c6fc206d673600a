// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
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

char *display_bytes(struct json_object *v)
{
	_cleanup_free_ char *raw = NULL;
	size_t len, o = 0;
	char *out;

	if (!v)
		return strdup("-");
	if (json_bytes_get(v, &raw, &len) < 0)
		return strdup(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
	out = malloc(len * 4 + 1);
	if (!out)
		return NULL;
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)raw[i];
		size_t n = 1;

		if (c >= 0x80) /* the longest valid UTF-8 sequence starting here */
			for (n = 4; n > 1 && !(i + n <= len && utf8_valid(raw + i, n)); n--)
				;
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
