// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "auditd/switch_state.h"
#include "json/json.h"
#include "lib/fileio.h"
#include "lib/macro.h"

static const char *const phases[] = {
	[SWITCH_PENDING] = "pending",
	[SWITCH_CONFIRMED] = "confirmed",
	[SWITCH_REVERTED] = "reverted",
	[SWITCH_FAILED] = "failed",
};

const char *switch_phase_name(enum switch_phase p)
{
	return (unsigned)p < ELEMENTSOF(phases) ? phases[p] : "?";
}

/* The directory: $IPE_AUDITD_RUNTIME_DIR when set (tests), else /run/ipe-auditd. */
static const char *runtime_dir(void)
{
	const char *d = getenv("IPE_AUDITD_RUNTIME_DIR");

	return d && *d ? d : SWITCH_RUNTIME_DIR;
}

static int state_path(const char *file, char *buf, size_t size)
{
	if ((size_t)snprintf(buf, size, "%s/%s", runtime_dir(), file) >= size)
		return -ENAMETOOLONG;
	return 0;
}

int64_t boottime_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (int64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static int boot_id(char buf[64])
{
	_cleanup_close_ int fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, 63);
	if (n < 0)
		return -errno;
	while (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = 0;
	return 0;
}

int switch_lock(void)
{
	char path[4096];
	int fd, r;

	if (mkdir(runtime_dir(), 0700) < 0 && errno != EEXIST)
		return -errno;
	r = state_path("switch.lock", path, sizeof(path));
	if (r < 0)
		return r;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR) {
			r = -errno;
			close(fd);
			return r;
		}
	return fd;
}

static char *dup_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return strdup(json_object_get_string(v));
}

static int64_t get_i64(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_int64(v) : 0;
}

int switch_read(struct switch_state *s)
{
	_cleanup_free_ char *buf = NULL, *id = NULL;
	_cleanup_json_ struct json_object *o = NULL;
	char path[4096], boot[64];
	const char *phase;
	size_t len;
	int r;

	*s = (struct switch_state){};
	r = state_path("switch.json", path, sizeof(path));
	if (r < 0)
		return r;
	r = read_full_file(path, 1u << 20, &buf, &len);
	if (r < 0)
		return r;
	r = json_parse_document(buf, len, &o);
	if (r < 0)
		return r;
	id = dup_str(o, "boot_id");
	if (boot_id(boot) < 0 || !id || !streq(id, boot))
		return -ENOENT;
	phase = json_object_get_string(json_object_object_get(o, "phase"));
	s->phase = SWITCH_FAILED;
	for (size_t i = 0; phase && i < ELEMENTSOF(phases); i++)
		if (streq(phases[i], phase))
			s->phase = (enum switch_phase)i;
	s->name = dup_str(o, "name");
	s->version = dup_str(o, "version");
	s->sha256 = dup_str(o, "sha256");
	s->prev_name = dup_str(o, "previous_name");
	s->prev_version = dup_str(o, "previous_version");
	s->prev_enforce = (int)get_i64(o, "previous_enforce");
	s->updated = get_i64(o, "updated") != 0;
	s->deadline = get_i64(o, "deadline_boottime_ns");
	s->deadline_wall = get_i64(o, "deadline_ns");
	s->watchdog = (pid_t)get_i64(o, "watchdog_pid");
	s->tty = dup_str(o, "tty");
	s->message = dup_str(o, "message");
	if (!s->name) {
		switch_state_done(s);
		return -EBADMSG;
	}
	return 0;
}

int switch_write(const struct switch_state *s)
{
	_cleanup_json_ struct json_object *o = json_object_new_object();
	char path[4096], boot[64];
	const char *text;
	int r;

	if (!o)
		return -ENOMEM;
	r = boot_id(boot);
	if (r < 0)
		return r;
	r = state_path("switch.json", path, sizeof(path));
	if (r < 0)
		return r;
	json_add(o, "phase", json_object_new_string(switch_phase_name(s->phase)));
	json_add(o, "name", json_str_new(s->name));
	json_add(o, "version", json_str_new(s->version));
	json_add(o, "sha256", json_str_new(s->sha256));
	json_add(o, "previous_name", json_str_new(s->prev_name));
	json_add(o, "previous_version", json_str_new(s->prev_version));
	json_add(o, "previous_enforce", json_object_new_int(s->prev_enforce));
	json_add(o, "updated", json_object_new_int(s->updated));
	json_add(o, "deadline_boottime_ns", json_object_new_int64(s->deadline));
	json_add(o, "deadline_ns", json_object_new_int64(s->deadline_wall));
	json_add(o, "watchdog_pid", json_object_new_int(s->watchdog));
	json_add(o, "tty", json_str_new(s->tty));
	json_add(o, "message", json_str_new(s->message));
	json_add(o, "boot_id", json_object_new_string(boot));
	text = json_format(o, 0);
	if (!text)
		return -ENOMEM;
	return write_file_atomic(path, text, strlen(text), 0600, 0);
}

void switch_state_done(struct switch_state *s)
{
	free(s->name);
	free(s->version);
	free(s->sha256);
	free(s->prev_name);
	free(s->prev_version);
	free(s->tty);
	free(s->message);
	*s = (struct switch_state){};
}
