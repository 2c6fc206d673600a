// SPDX-License-Identifier: GPL-2.0-only
/* JSON Lines and text records of `ipe-auditd run`. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <time.h>

#include "json/json.h"
#include "lib/escape.h"
#include "lib/hexdecoct.h"
#include "lib/fileio.h"
#include "auditd/output.h"

#ifndef IPE_TOOLS_VERSION
#define IPE_TOOLS_VERSION "0.1.0" /* as lib/verbs.c */
#endif

#define MAJOR(dev) ((dev) >> 20)
#define MINOR(dev) ((dev)&0xfffff)

/* json_add() that keeps the first error and frees @v after one. */
static void add(struct json_object *o, int *r, const char *key, struct json_object *v)
{
	if (*r < 0) {
		json_object_put(v);
		return;
	}
	*r = json_add(o, key, v);
}

void format_time(int64_t real_ns, char *buf, size_t size)
{
	time_t sec = (time_t)(real_ns / 1000000000);
	struct tm tm;
	char day[24];

	gmtime_r(&sec, &tm);
	strftime(day, sizeof(day), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, size, "%s.%09lldZ", day, (long long)(real_ns % 1000000000));
}

static struct json_object *now_json(void)
{
	struct timespec ts;
	char buf[40];

	clock_gettime(CLOCK_REALTIME, &ts);
	format_time((int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec, buf, sizeof(buf));
	return json_object_new_string(buf);
}

static struct json_object *policy_json(const struct ipe_policy *p, const char *sha256)
{
	struct json_object *o = json_object_new_object();
	char version[24];
	int r = 0;

	if (!o)
		return NULL;
	snprintf(version, sizeof(version), "%u.%u.%u", p->version[0], p->version[1], p->version[2]);
	add(o, &r, "name", json_str_new(p->name));
	add(o, &r, "version", json_object_new_string(version));
	add(o, &r, "sha256", json_str_new(sha256));
	if (r < 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static struct json_object *strv_json(const char *const *v)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; a && v && v[i]; i++)
		if (json_object_array_add(a, json_object_new_string(v[i])) < 0) {
			json_object_put(a);
			return NULL;
		}
	return a;
}

/*
 * One record. When it could not be written whole (a full disk), a regular
 * file is cut back to its size before, so that the log holds whole lines
 * only; the daemon is the log's one writer.
 */
/* One record, whole or not at all (append_record(), lib/fileio.h): the log holds whole lines only. */
static int write_record(struct output *o, struct json_object *j, const char *text)
{
	if (o->text)
		return text ? append_record(o->fd, text, strlen(text)) : 0;
	return json_write_line(o->fd, j);
}

/* The first line of a small file such as /etc/machine-id into @buf. Return: 0 or -ENOENT. */
static int first_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");
	bool ok;

	if (!f)
		return -ENOENT;
	ok = fgets(buf, (int)size, f) != NULL;
	fclose(f);
	if (!ok)
		return -ENOENT;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

int output_start(struct output *o, const struct auditd_start *s)
{
	_cleanup_json_ struct json_object *j = json_object_new_object();
	struct json_object *ipe = json_object_new_object();
	struct {
		char release[65];
	} k = {};
	char machine_id[64] = "";
	struct utsname u;
	_cleanup_free_ char *text = NULL, *name = NULL;
	int r = 0;

	if (!j || !ipe) {
		json_object_put(ipe);
		return -ENOMEM;
	}
	first_line("/proc/sys/kernel/osrelease", k.release, sizeof(k.release));
	/* Which machine: report and gate merge the logs of many by these (docs/events.md). */
	if (uname(&u) == 0)
		add(j, &r, "hostname", json_str_new(u.nodename));
	if (first_line("/etc/machine-id", machine_id, sizeof(machine_id)) == 0)
		add(j, &r, "machine_id", json_str_new(machine_id));
	add(ipe, &r, "present", json_object_new_boolean(s->ipe_present));
	add(ipe, &r, "active_policy", json_str_new(s->ipe_active_policy));
	add(ipe, &r, "enforce", s->ipe_enforce_known ? json_object_new_boolean(s->ipe_enforce) : NULL);
	add(j, &r, "type", json_object_new_string("start"));
	add(j, &r, "time", now_json());
	add(j, &r, "version", json_object_new_string(IPE_TOOLS_VERSION));
	add(j, &r, "pid", json_object_new_int(getpid()));
	add(j, &r, "backend", json_object_new_string(s->backend));
	add(j, &r, "backend_reason", json_object_new_string(s->backend_reason));
	add(j, &r, "gaps", strv_json(s->gaps));
	add(j, &r, "policy", policy_json(s->policy, s->policy_sha256));
	add(j, &r, "policy_file", json_str_new(s->policy_file));
	add(j, &r, "kernel", json_str_new(k.release));
	add(j, &r, "ipe", ipe);
	add(j, &r, "all", json_object_new_boolean(s->all));
	add(j, &r, "dedup", json_object_new_boolean(s->dedup));
	add(j, &r, "dedup_capacity", json_object_new_uint64(s->dedup_capacity));
	add(j, &r, "ring_size", json_object_new_uint64(s->ring_size));
	add(j, &r, "max_volumes", json_object_new_uint64(s->max_volumes));
	add(j, &r, "stats_interval", json_object_new_uint64(s->stats_interval));
	add(j, &r, "capabilities", strv_json(s->capabilities));
	add(j, &r, "kernel_records", json_object_new_boolean(s->kernel_records));
	add(j, &r, "cross_check", json_object_new_boolean(s->cross_check));
	if (r < 0)
		return r;
	/* the kernel takes any bytes but white space and '#' in a policy name: not for a terminal raw */
	if (o->text && !(name = escape_text(ipe_policy_name(s->policy))))
		return -ENOMEM;
	if (o->text && asprintf(&text, "ipe-auditd: %s backend (%s); policy %s; coverage gaps: %zu\n",
				s->backend, s->backend_reason, name,
				json_object_array_length(json_object_object_get(j, "gaps"))) < 0)
		return -ENOMEM;
	return write_record(o, j, text);
}

char *walked_path(const char *names, size_t n, bool deleted, size_t *ret_len)
{
	char *out = malloc(n + 2 + sizeof(" (deleted)")), *p;
	size_t end = n;

	if (!out)
		return NULL;
	p = out;
	/* names end with a NUL each; emit them from the last (the top) to the first */
	while (end > 0) {
		size_t start = end - 1; /* the NUL of the name ending at end */

		while (start > 0 && names[start - 1])
			start--;
		*p++ = '/';
		memcpy(p, names + start, end - 1 - start);
		p += end - 1 - start;
		end = start;
	}
	if (p == out)
		*p++ = '/';
	if (deleted) {
		memcpy(p, " (deleted)", 10);
		p += 10;
	}
	*p = 0;
	*ret_len = (size_t)(p - out);
	return out;
}

static struct json_object *argv_json(const struct auditd_event *e)
{
	struct json_object *a = json_object_new_array();
	const char *s = e->data + e->path_len + e->exe_len;
	size_t n = MIN(e->argv_len, (size_t)AUDITD_ARGV_LEN), i = 0;

	while (a && i < n) {
		size_t len = strnlen(s + i, n - i);

		if (json_object_array_add(a, json_bytes_new(s + i, len)) < 0) {
			json_object_put(a);
			return NULL;
		}
		i += len + 1;
	}
	return a;
}

static struct json_object *verity_json(const struct auditd_volume *vol)
{
	struct json_object *o;
	_cleanup_free_ char *hex = NULL, *rh = NULL;
	int r = 0;

	if (!vol || !vol->digest_len)
		return NULL;
	o = json_object_new_object();
	hex = hex_encode(vol->digest, vol->digest_len, false);
	if (!o || !hex || asprintf(&rh, "%s:%s", vol->alg, hex) < 0) {
		json_object_put(o);
		return NULL;
	}
	add(o, &r, "name", vol->name[0] ? json_str_new(vol->name) : NULL);
	add(o, &r, "roothash", json_object_new_string(rh));
	add(o, &r, "signed", json_object_new_boolean(vol->sig_valid));
	if (r < 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* @n bytes of @s for a terminal: printable ASCII as is, the rest as \xHH. */
static void text_bytes(FILE *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			fputc(c, f);
		else
			fprintf(f, "\\x%02x", c);
	}
}

int output_event(struct output *o, const struct auditd_event *e, const struct auditd_verdict *v,
		 const struct auditd_volume *vol)
{
	_cleanup_json_ struct json_object *j = json_object_new_object();
	_cleanup_free_ char *path = NULL, *exe = NULL, *text = NULL;
	bool has_file = e->flags & AUDITD_F_HAS_FILE;
	size_t path_len = 0, exe_len = 0, text_len = 0;
	char time[40], dev[24];
	int r = 0;

	if (!j)
		return -ENOMEM;
	if (has_file &&
	    !(path = walked_path(e->data, e->path_len, e->flags & AUDITD_F_DELETED, &path_len)))
		return -ENOMEM;
	/* for an exec, the executable is the file itself */
	if (has_file &&
	    (e->hook == AUDITD_HOOK_BPRM_CHECK || e->hook == AUDITD_HOOK_BPRM_CREDS_FOR_EXEC)) {
		exe = strndup(path, path_len);
		exe_len = path_len;
		if (!exe)
			return -ENOMEM;
	} else if (e->exe_len && !(exe = walked_path(e->data + e->path_len, e->exe_len,
						     e->flags & AUDITD_F_EXE_DELETED, &exe_len)))
		return -ENOMEM;
	format_time((int64_t)e->time_ns + o->boot_to_real_ns, time, sizeof(time));
	snprintf(dev, sizeof(dev), "%u:%u", MAJOR(e->dev), MINOR(e->dev));
	o->seq++;
	add(j, &r, "type", json_object_new_string("event"));
	add(j, &r, "time", json_object_new_string(time));
	add(j, &r, "seq", json_object_new_uint64(o->seq));
	add(j, &r, "op", json_object_new_string(ipe_op_name(v->decision.op) ?: "UNKNOWN"));
	add(j, &r, "hook", json_object_new_string(ipe_hook_name(e->hook) ?: "UNKNOWN"));
	add(j, &r, "decision",
	    json_object_new_string(v->decision.action == IPE_ACTION_DENY ? "deny" : "allow"));
	add(j, &r, "rule", json_str_new(v->rule));
	add(j, &r, "pid", json_object_new_int64(e->tgid));
	add(j, &r, "tid", json_object_new_int64(e->pid));
	add(j, &r, "ppid", json_object_new_int64(e->ppid));
	add(j, &r, "uid", json_object_new_int64(e->uid));
	add(j, &r, "comm", json_bytes_new(e->comm, strnlen(e->comm, sizeof(e->comm))));
	add(j, &r, "exe", exe ? json_bytes_new(exe, exe_len) : NULL);
	add(j, &r, "argv", argv_json(e));
	add(j, &r, "argv_truncated", json_object_new_boolean(e->flags & AUDITD_F_ARGV_TRUNC));
	add(j, &r, "path", has_file ? json_bytes_new(path, path_len) : NULL);
	add(j, &r, "path_truncated", json_object_new_boolean(e->flags & AUDITD_F_PATH_TRUNC));
	add(j, &r, "dev", has_file ? json_object_new_string(dev) : NULL);
	add(j, &r, "ino", has_file ? json_object_new_uint64(e->ino) : NULL);
	add(j, &r, "fstype",
	    has_file ? json_bytes_new(e->fstype, strnlen(e->fstype, sizeof(e->fstype))) : NULL);
	add(j, &r, "overlay", json_object_new_boolean(e->flags & AUDITD_F_OVERLAY));
	add(j, &r, "initramfs", json_object_new_boolean(e->flags & AUDITD_F_INITRAMFS));
	add(j, &r, "audit_dev",
	    has_file ? json_bytes_new(e->sb_id, strnlen(e->sb_id, sizeof(e->sb_id))) : NULL);
	add(j, &r, "audit_ino", has_file ? json_object_new_uint64(e->file_ino) : NULL);
	add(j, &r, "prot",
	    e->hook == AUDITD_HOOK_MMAP || e->hook == AUDITD_HOOK_MPROTECT
		    ? json_object_new_int64(e->prot)
		    : NULL);
	add(j, &r, "verity", verity_json(vol));
	add(j, &r, "reason", json_str_new(v->reason));
	add(j, &r, "hint", json_str_new(v->hint));
	if (r < 0)
		return r;
	if (o->text) {
		FILE *f = open_memstream(&text, &text_len);

		if (!f)
			return -ENOMEM;
		fprintf(f, "%s %s %s/%s pid=%u comm=", time,
			v->decision.action == IPE_ACTION_DENY ? "DENY" : "allow",
			ipe_op_name(v->decision.op) ?: "UNKNOWN",
			ipe_hook_name(e->hook) ?: "UNKNOWN", e->tgid);
		text_bytes(f, e->comm, strnlen(e->comm, sizeof(e->comm)));
		fputs(" path=", f);
		if (has_file)
			text_bytes(f, path, path_len);
		else
			fputs("?", f);
		if (has_file)
			fprintf(f, " dev=%s ino=%llu", dev, (unsigned long long)e->ino);
		else
			fputs(" dev=? ino=?", f);
		fprintf(f, " rule=\"%s\"", v->rule ?: "");
		if (v->reason)
			fprintf(f, " reason=%s: %s", v->reason, v->hint);
		fputc('\n', f);
		if (fclose(f) != 0)
			return -ENOMEM;
	}
	return write_record(o, j, text);
}

static struct json_object *fsverity_json(const struct auditd_fsverity *f)
{
	struct json_object *o;
	_cleanup_free_ char *hex = NULL, *d = NULL;
	int r = 0;

	if (!f)
		return NULL;
	if (!f->enabled)
		return json_object_new_boolean(false);
	o = json_object_new_object();
	hex = hex_encode(f->digest, f->digest_len, false);
	if (!o || !hex || asprintf(&d, "%s:%s", f->alg, hex) < 0) {
		json_object_put(o);
		return NULL;
	}
	add(o, &r, "digest", json_object_new_string(d));
	add(o, &r, "signed", json_object_new_boolean(f->builtin_sig));
	if (r < 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

int output_explain(struct output *o, const struct explain_file *f, const struct auditd_verdict *v,
		   const struct auditd_volume *vol)
{
	_cleanup_json_ struct json_object *j = json_object_new_object();
	_cleanup_free_ char *text = NULL, *hex = NULL;
	bool deny = v->decision.action == IPE_ACTION_DENY;
	size_t text_len = 0;
	char dev[24];
	int r = 0;

	if (!j)
		return -ENOMEM;
	snprintf(dev, sizeof(dev), "%u:%u", MAJOR(f->dev), MINOR(f->dev));
	add(j, &r, "type", json_object_new_string("explain"));
	add(j, &r, "path", json_bytes_new(f->path, strlen(f->path)));
	add(j, &r, "op", json_object_new_string(ipe_op_name(v->decision.op) ?: "UNKNOWN"));
	add(j, &r, "hook", json_object_new_string(ipe_hook_name(IPE_HOOK_BPRM_CHECK)));
	add(j, &r, "decision", json_object_new_string(deny ? "deny" : "allow"));
	add(j, &r, "rule", json_str_new(v->rule));
	add(j, &r, "dev", json_object_new_string(dev));
	add(j, &r, "ino", json_object_new_uint64(f->ino));
	add(j, &r, "fstype", json_bytes_new(f->fstype, strlen(f->fstype)));
	add(j, &r, "overlay", json_object_new_boolean(f->overlay));
	add(j, &r, "initramfs", json_object_new_boolean(f->initramfs));
	add(j, &r, "verity", verity_json(vol));
	add(j, &r, "fsverity", fsverity_json(f->fsverity));
	add(j, &r, "reason", json_str_new(v->reason));
	add(j, &r, "hint", json_str_new(v->hint));
	if (r < 0)
		return r;
	if (o->text) {
		FILE *fp = open_memstream(&text, &text_len);

		if (!fp)
			return -ENOMEM;
		text_bytes(fp, f->path, strlen(f->path));
		fprintf(fp, ": %s %s rule=\"%s\" dev=%s ino=%llu fstype=", deny ? "DENY" : "allow",
			ipe_op_name(v->decision.op) ?: "UNKNOWN", v->rule ?: "", dev,
			(unsigned long long)f->ino);
		text_bytes(fp, f->fstype, strlen(f->fstype));
		if (f->overlay)
			fputs(" overlay", fp);
		if (f->initramfs)
			fputs(" initramfs", fp);
		if (vol && vol->digest_len && (hex = hex_encode(vol->digest, vol->digest_len, false)))
			fprintf(fp, " volume=%s %s:%s%s", vol->name[0] ? vol->name : "?", vol->alg,
				hex, vol->sig_valid ? " signed" : "");
		if (v->reason)
			fprintf(fp, "\n  reason=%s: %s", v->reason, v->hint);
		fputc('\n', fp);
		if (fclose(fp) != 0)
			return -ENOMEM;
	}
	return write_record(o, j, text);
}

int output_kernel(struct output *o, const struct ipe_access *a)
{
	_cleanup_json_ struct json_object *j = json_object_new_object();
	_cleanup_free_ char *text = NULL;
	size_t text_len = 0;
	char atime[40];
	int r = 0;

	if (!j)
		return -ENOMEM;
	format_time((int64_t)a->time_ms * 1000000, atime, sizeof(atime));
	add(j, &r, "type", json_object_new_string("kernel"));
	add(j, &r, "time", now_json());
	add(j, &r, "audit_time", a->time_ms ? json_object_new_string(atime) : NULL);
	add(j, &r, "serial", json_object_new_uint64(a->serial));
	add(j, &r, "op", json_object_new_string(ipe_op_name(a->op) ?: "UNKNOWN"));
	add(j, &r, "hook", json_object_new_string(ipe_hook_name(a->hook) ?: "UNKNOWN"));
	add(j, &r, "decision", json_object_new_string(a->action == IPE_ACTION_DENY ? "deny" : "allow"));
	add(j, &r, "enforcing", json_object_new_boolean(a->enforcing));
	add(j, &r, "rule", json_str_new(a->rule));
	add(j, &r, "pid", json_object_new_int64(a->pid));
	add(j, &r, "comm", json_bytes_new(a->comm, a->comm_len));
	add(j, &r, "path", a->has_file ? json_bytes_new(a->path, a->path_len) : NULL);
	add(j, &r, "audit_dev",
	    a->has_file && a->dev[0] ? json_bytes_new(a->dev, strlen(a->dev)) : NULL);
	add(j, &r, "audit_ino", a->has_file && a->dev[0] ? json_object_new_uint64(a->ino) : NULL);
	if (r < 0)
		return r;
	if (o->text) {
		FILE *f = open_memstream(&text, &text_len);

		if (!f)
			return -ENOMEM;
		fprintf(f, "%s kernel %s %s/%s pid=%u comm=", a->time_ms ? atime : "?",
			a->action == IPE_ACTION_DENY ? "DENY" : "allow",
			ipe_op_name(a->op) ?: "UNKNOWN", ipe_hook_name(a->hook) ?: "UNKNOWN", a->pid);
		text_bytes(f, a->comm, a->comm_len);
		fputs(" path=", f);
		if (a->has_file)
			text_bytes(f, a->path, a->path_len);
		else
			fputs("?", f);
		fprintf(f, " dev=%s ino=%llu rule=\"%s\"\n", a->dev[0] ? a->dev : "?",
			(unsigned long long)a->ino, a->rule);
		if (fclose(f) != 0)
			return -ENOMEM;
	}
	return write_record(o, j, text);
}

int output_mismatch(struct output *o, const struct xcheck_item *it, const char *why)
{
	_cleanup_json_ struct json_object *j = json_object_new_object();
	_cleanup_free_ char *text = NULL;
	bool kernel = it->side == XCHECK_KERNEL;
	char t[40];
	struct timespec ts;
	int r = 0;

	if (!j)
		return -ENOMEM;
	clock_gettime(CLOCK_REALTIME, &ts);
	format_time((int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec, t, sizeof(t));
	add(j, &r, "type", json_object_new_string("mismatch"));
	add(j, &r, "time", json_object_new_string(t));
	add(j, &r, "side", json_object_new_string(kernel ? "kernel" : "auditor"));
	add(j, &r, "why", json_object_new_string(why));
	add(j, &r, "op", json_object_new_string(ipe_op_name(it->key.op) ?: "UNKNOWN"));
	add(j, &r, "hook", json_object_new_string(ipe_hook_name(it->key.hook) ?: "UNKNOWN"));
	add(j, &r, "rule", json_str_new(it->rule));
	add(j, &r, kernel ? "serial" : "seq", it->id ? json_object_new_uint64(it->id) : NULL);
	add(j, &r, "pid", json_object_new_int64(it->pid));
	add(j, &r, "comm", json_bytes_new(it->comm, strlen(it->comm)));
	add(j, &r, "path", it->path ? json_bytes_new(it->path, it->path_len) : NULL);
	add(j, &r, "audit_dev",
	    it->key.has_file ? json_bytes_new(it->key.dev, strlen(it->key.dev)) : NULL);
	add(j, &r, "audit_ino", it->key.has_file ? json_object_new_uint64(it->key.ino) : NULL);
	if (r < 0)
		return r;
	if (o->text && asprintf(&text, "%s MISMATCH %s %s/%s pid=%u dev=%s ino=%llu: %s\n", t,
				kernel ? "kernel" : "auditor", ipe_op_name(it->key.op) ?: "UNKNOWN",
				ipe_hook_name(it->key.hook) ?: "UNKNOWN", it->pid,
				it->key.has_file ? it->key.dev : "?",
				(unsigned long long)it->key.ino, why) < 0)
		return -ENOMEM;
	return write_record(o, j, text);
}

int output_stats(struct output *o, const struct auditd_stats *st, bool final)
{
	_cleanup_json_ struct json_object *j = json_object_new_object();
	struct json_object *rows = json_object_new_array();
	struct auditd_stats_row total = {};
	_cleanup_free_ char *text = NULL;
	int r = 0;

	if (!j || !rows) {
		json_object_put(rows);
		return -ENOMEM;
	}
	for (unsigned op = 0; op <= IPE_OP_MAX; op++)
		for (unsigned hook = 0; hook < IPE_HOOK_MAX; hook++) {
			const struct auditd_stats_row *x = &st->rows[op][hook];
			struct json_object *row;

			if (!x->seen && !x->lost && !x->allowed && !x->denied)
				continue;
			total.seen += x->seen;
			total.allowed += x->allowed;
			total.denied += x->denied;
			total.deduplicated += x->deduplicated;
			total.lost += x->lost;
			row = json_object_new_object();
			if (!row) {
				r = -ENOMEM;
				continue;
			}
			add(row, &r, "op", json_object_new_string(ipe_op_name(op) ?: "UNKNOWN"));
			add(row, &r, "hook", json_object_new_string(ipe_hook_name(hook)));
			add(row, &r, "seen", json_object_new_uint64(x->seen));
			add(row, &r, "allowed", json_object_new_uint64(x->allowed));
			add(row, &r, "denied", json_object_new_uint64(x->denied));
			add(row, &r, "deduplicated", json_object_new_uint64(x->deduplicated));
			add(row, &r, "lost", json_object_new_uint64(x->lost));
			if (r < 0 || json_object_array_add(rows, row) < 0) {
				json_object_put(row);
				r = -ENOMEM;
			}
		}
	add(j, &r, "type", json_object_new_string("stats"));
	add(j, &r, "time", now_json());
	add(j, &r, "final", json_object_new_boolean(final));
	add(j, &r, "seq", json_object_new_uint64(o->seq));
	add(j, &r, "seen", json_object_new_uint64(total.seen));
	add(j, &r, "allowed", json_object_new_uint64(total.allowed));
	add(j, &r, "denied", json_object_new_uint64(total.denied));
	add(j, &r, "deduplicated", json_object_new_uint64(total.deduplicated));
	add(j, &r, "lost", json_object_new_uint64(total.lost + st->volume_lost));
	add(j, &r, "dropped", json_object_new_uint64(st->dropped));
	add(j, &r, "volume_records", json_object_new_uint64(st->volume_records));
	add(j, &r, "dedup_entries", json_object_new_uint64(st->dedup_entries));
	add(j, &r, "dedup_full", json_object_new_uint64(st->dedup_full));
	add(j, &r, "trusted_map_full", json_object_new_uint64(st->trusted_map_full));
	add(j, &r, "by_op_hook", rows);
	if (r < 0)
		return r;
	if (o->text &&
	    asprintf(&text,
		     "ipe-auditd: %sseen %llu, allowed %llu, denied %llu (deduplicated %llu), lost %llu\n",
		     final ? "final: " : "", (unsigned long long)total.seen,
		     (unsigned long long)total.allowed, (unsigned long long)total.denied,
		     (unsigned long long)total.deduplicated,
		     (unsigned long long)total.lost + st->volume_lost) < 0)
		return -ENOMEM;
	return write_record(o, j, text);
}

int output_reload(struct output *o, const struct ipe_policy *p, const char *sha256, const char *error)
{
	_cleanup_json_ struct json_object *j = json_object_new_object();
	_cleanup_free_ char *text = NULL;
	int r = 0;

	if (!j)
		return -ENOMEM;
	add(j, &r, "type", json_object_new_string("reload"));
	add(j, &r, "time", now_json());
	add(j, &r, "ok", json_object_new_boolean(!error));
	add(j, &r, "error", json_str_new(error));
	add(j, &r, "policy", policy_json(p, sha256));
	if (r < 0)
		return r;
	if (o->text && asprintf(&text, "ipe-auditd: reload: %s\n", error ?: "new policy in use") < 0)
		return -ENOMEM;
	return write_record(o, j, text);
}
