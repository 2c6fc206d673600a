// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "auditd/verb_util.h"
#include "json/json.h"
#include "lib/escape.h"
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
	size_t len;

	if (!v)
		return strdup("-");
	if (json_bytes_get(v, &raw, &len) < 0)
		return strdup(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
	return escape_text_len(raw, len, ESCAPE_HEX);
}

int print_line(const char *fmt, ...)
{
	_cleanup_free_ char *line = NULL, *shown = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&line, fmt, ap);
	va_end(ap);
	if (n < 0 || !(shown = escape_text_len(line, (size_t)n, ESCAPE_HEX)))
		return -ENOMEM;
	return puts(shown) < 0 ? -EIO : 0;
}
