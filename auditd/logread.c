// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "auditd/logread.h"
#include "json/json.h"
#include "lib/macro.h"

#define CHUNK (256u << 10) /* grows for a longer line */
/* No record run writes comes near (tens of KiB at most): a longer line is skipped, not kept. */
#define LINE_MAX_BYTES (4u << 20)

struct reader {
	log_record_fn fn;
	void *userdata;
	struct log_counts *counts;
	char *machine; /* of the last start record, across files */
};

int64_t json_get_int(struct json_object *o, const char *key, int64_t def)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v))
		return def;
	if (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double))
		return json_object_get_int64(v);
	return def;
}

bool json_get_bool(struct json_object *o, const char *key, bool def)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_boolean))
		return def;
	return json_object_get_boolean(v);
}

const char *json_get_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static enum log_record_type record_type(const char *t)
{
	if (streq(t, "event"))
		return LOG_RECORD_EVENT;
	if (streq(t, "stats"))
		return LOG_RECORD_STATS;
	if (streq(t, "start"))
		return LOG_RECORD_START;
	if (streq(t, "mismatch"))
		return LOG_RECORD_MISMATCH;
	if (streq(t, "reload"))
		return LOG_RECORD_RELOAD;
	return LOG_RECORD_OTHER;
}

static int set_machine(struct reader *rd, struct json_object *start)
{
	const char *m = json_get_str(start, "hostname");
	char *copy;

	if (!m || !*m)
		m = json_get_str(start, "machine_id");
	copy = strdup(m && *m ? m : "unknown");
	if (!copy)
		return -ENOMEM;
	free(rd->machine);
	rd->machine = copy;
	return 0;
}

/* One line without its newline. @whole: the line ended with a newline. */
static int read_line(struct reader *rd, const char *file, uint64_t lineno, const char *s,
		     size_t len, bool whole)
{
	_cleanup_json_ struct json_object *o = NULL;
	struct log_record rec;
	const char *type, *time;
	int r;

	rd->counts->lines++;
	if (len == 0 && whole)
		return 0;
	r = json_parse_document(s, len, &o);
	if (r == -ENOMEM)
		return r;
	if (r < 0 || !json_object_is_type(o, json_type_object)) {
		if (!whole || lineno == 1)
			rd->counts->torn++;
		else
			rd->counts->corrupt++;
		return 0;
	}
	type = json_get_str(o, "type");
	time = json_get_str(o, "time");
	if (!type || !time || timestamp_parse(time, &rec.time) < 0) {
		rd->counts->corrupt++;
		return 0;
	}
	rec.type = record_type(type);
	if (rec.type == LOG_RECORD_START) {
		r = set_machine(rd, o);
		if (r < 0)
			return r;
	}
	rec.json = o;
	rec.machine = rd->machine ? rd->machine : "unknown";
	rec.file = file;
	rec.line = lineno;
	rd->counts->records++;
	return rd->fn(&rec, rd->userdata);
}

static int read_fd(struct reader *rd, int fd, const char *file)
{
	_cleanup_free_ char *buf = NULL;
	size_t size = CHUNK, have = 0;
	uint64_t lineno = 0;
	bool skipping = false; /* in a line over LINE_MAX_BYTES, counted, until its newline */
	int r;

	buf = malloc(size);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n;
		char *p, *nl;

		if (have == size && size >= LINE_MAX_BYTES) {
			/* no record: a disk image, /dev/zero; memory stays bounded whatever it is */
			if (!skipping) {
				rd->counts->lines++;
				rd->counts->corrupt++;
				lineno++;
			}
			skipping = true;
			have = 0;
		}
		if (have == size) {
			/* A line longer than the buffer: grow (records are small; this is rare). */
			char *b = realloc(buf, size * 2);

			if (!b)
				return -ENOMEM;
			buf = b;
			size *= 2;
		}
		n = read(fd, buf + have, size - have);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		have += (size_t)n;
		p = buf;
		if (skipping) {
			nl = memchr(p, '\n', have);
			if (!nl) {
				have = 0;
				continue;
			}
			skipping = false;
			p = nl + 1;
		}
		while ((nl = memchr(p, '\n', have - (size_t)(p - buf)))) {
			r = read_line(rd, file, ++lineno, p, (size_t)(nl - p), true);
			if (r < 0)
				return r;
			p = nl + 1;
		}
		have -= (size_t)(p - buf);
		memmove(buf, p, have);
	}
	if (have > 0 && !skipping)
		return read_line(rd, file, ++lineno, buf, have, false);
	return 0;
}

int log_read(char *const *paths, int n, log_record_fn fn, void *userdata, struct log_counts *counts,
	     const char **ret_failed)
{
	struct reader rd = { .fn = fn, .userdata = userdata, .counts = counts };
	int r = 0;

	for (int i = 0; i < n && r >= 0; i++) {
		_cleanup_close_ int fd = -1;
		bool is_stdin = streq(paths[i], "-");

		if (!is_stdin) {
			fd = open(paths[i], O_RDONLY | O_CLOEXEC | O_NOCTTY);
			if (fd < 0) {
				r = -errno;
				*ret_failed = paths[i];
				break;
			}
			(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
		}
		counts->files++;
		r = read_fd(&rd, is_stdin ? STDIN_FILENO : fd, paths[i]);
		if (r < 0 && r != -ENOMEM && r > -4096 && *ret_failed == NULL)
			*ret_failed = paths[i];
	}
	free(rd.machine);
	return r;
}
