// SPDX-License-Identifier: GPL-2.0-only
/*
 * explain: the candidate policy's decision for executing each file, without
 * BPF. The file's identity is resolved as `run`'s programs see it
 * (auditd/bpf/common.bpf.h), as far as user space can tell: the real inode
 * under overlayfs (the upper layer's file, else the first lower layer that
 * has it, from the overlay's mount options), its device, the dm-verity
 * volume on it (auditd/volumes.c), whether its mount is the initramfs
 * ("rootfs", where ipe_unpack_initramfs() marks the superblock), and its
 * fs-verity digest where the policy looks at one. auditd/evaluate.c decides.
 */
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "lib/escape.h"
#include "lib/log.h"
#include "lib/macro.h"
#include "lib/verbs.h"
#include "auditd/evaluate.h"
#include "auditd/fsverity.h"
#include "auditd/output.h"
#include "auditd/policy_file.h"
#include "auditd/verbs.h"
#include "auditd/volumes.h"

#define OVERLAYFS_MAGIC 0x794c7630 /* OVERLAYFS_SUPER_MAGIC, include/uapi/linux/magic.h */
#define OVERLAY_DEPTH 4 /* overlays stacked on overlays, at most (FILESYSTEM_MAX_STACK_DEPTH 2) */

/* A mount of /proc/self/mountinfo (proc(5)), octal escapes undone. */
struct mount_entry {
	char *root, *point, *fstype, *options;
};

static void mount_entry_done(struct mount_entry *m)
{
	free(m->root);
	free(m->point);
	free(m->fstype);
	free(m->options);
	*m = (struct mount_entry){};
}

/* mountinfo writes space, tab, newline and backslash as \ooo (show_mountinfo(), mangle()). */
static void unescape(char *s)
{
	char *w = s;

	for (; *s; s++)
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*w++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
			s += 3;
		} else
			*w++ = *s;
	*w = 0;
}

/* The mount @fd is on: its mnt_id from /proc/self/fdinfo, then its mountinfo line. */
static int mount_of_fd(int fd, struct mount_entry *ret)
{
	_cleanup_free_ char *line = NULL;
	char path[64];
	size_t size = 0;
	int id = -1, k = -ENOENT;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	if (!(f = fopen(path, "re")))
		return -errno;
	while (getline(&line, &size, f) > 0)
		if (sscanf(line, "mnt_id: %d", &id) == 1)
			break;
	fclose(f);
	if (id < 0 || !(f = fopen("/proc/self/mountinfo", "re")))
		return id < 0 ? -ENOENT : -errno;
	while (k == -ENOENT && getline(&line, &size, f) > 0) {
		struct mount_entry m = {};
		const char *sep = strstr(line, " - ");
		int mid;

		if (sscanf(line, "%d %*d %*s %ms %ms", &mid, &m.root, &m.point) != 3 || mid != id ||
		    !sep || sscanf(sep + 3, "%ms %*s %ms", &m.fstype, &m.options) < 1 || !m.root ||
		    !m.point || !m.fstype) {
			mount_entry_done(&m);
			continue;
		}
		if (!m.options && !(m.options = strdup(""))) {
			mount_entry_done(&m);
			k = -ENOMEM;
			break;
		}
		unescape(m.root);
		unescape(m.point);
		unescape(m.options);
		*ret = m;
		k = 0;
	}
	fclose(f);
	return k;
}

/* The value of @key= among the comma-separated @options, malloc'd; NULL when absent. */
static char *option_value(const char *options, const char *key)
{
	size_t n = strlen(key);

	for (const char *o = options; o && *o; o = strchr(o, ',') ? strchr(o, ',') + 1 : NULL)
		if (strncmp(o, key, n) == 0 && o[n] == '=')
			return strndup(o + n + 1, strcspn(o + n + 1, ","));
	return NULL;
}

/*
 * The lower layers, top first, one per line: "lowerdir=A:B" (ovl_show_options()),
 * or one "lowerdir+=A" per layer when they were added one by one (fsconfig(),
 * Linux 6.8+). malloc'd; "" when there are none; NULL on ENOMEM.
 */
static char *lower_layers(const char *options)
{
	_cleanup_free_ char *joined = option_value(options, "lowerdir");
	char *s = NULL;
	size_t len = 0;
	FILE *f;

	if (joined) {
		for (char *c = joined; *c; c++)
			if (*c == ':')
				*c = '\n';
		return TAKE_PTR(joined);
	}
	if (!(f = open_memstream(&s, &len)))
		return NULL;
	for (const char *o = options, *sep = ""; o && *o; o = strchr(o, ',') ? strchr(o, ',') + 1 : NULL)
		if (strncmp(o, "lowerdir+=", 10) == 0) {
			fprintf(f, "%s%.*s", sep, (int)strcspn(o + 10, ","), o + 10);
			sep = "\n";
		}
	if (fclose(f) != 0) {
		free(s);
		return NULL;
	}
	return s;
}

/*
 * The file an overlay shows at @abs (an absolute path on mount @m): the
 * upper layer's when it has one (copied up or created there), else the
 * first lower layer's (ovl_lookup() searches them in this order).
 */
static int overlay_real_path(const char *abs, const struct mount_entry *m, char **ret, bool *upper)
{
	_cleanup_free_ char *up = option_value(m->options, "upperdir"),
			    *low = lower_layers(m->options);
	const char *rel = streq(m->point, "/") ? abs : abs + strlen(m->point);
	const char *root = streq(m->root, "/") ? "" : m->root;
	struct stat st;
	char *p;

	if (!low)
		return -ENOMEM;
	if (up) {
		if (asprintf(&p, "%s%s%s", up, root, rel) < 0)
			return -ENOMEM;
		/* a whiteout (0:0 character device) hides the lower file: nothing is there to exec */
		if (lstat(p, &st) == 0) {
			*ret = p;
			*upper = true;
			return 0;
		}
		free(p);
	}
	for (char *l = low, *next; l && *l; l = next) {
		next = strchr(l, '\n');
		if (next)
			*next++ = 0;
		if (asprintf(&p, "%s%s%s", l, root, rel) < 0)
			return -ENOMEM;
		if (lstat(p, &st) == 0) {
			*ret = p;
			*upper = false;
			return 0;
		}
		free(p);
	}
	return -ENOENT;
}

struct identity {
	int fd; /* the real file, open for reading */
	struct stat st;
	char fstype[64];
	bool overlay, upper, initramfs;
};

/* Follow @path through overlays to the real file, as far as user space can tell. */
static int resolve(const char *path, struct identity *id, const char **err)
{
	_cleanup_free_ char *cur = strdup(path);

	*id = (struct identity){ .fd = -1 };
	if (!cur)
		return -ENOMEM;
	for (int depth = 0;; depth++) {
		_cleanup_(mount_entry_done) struct mount_entry m = {};
		_cleanup_free_ char *abs = NULL, *real = NULL;
		struct statfs sf;
		int k;

		closep(&id->fd);
		id->fd = open(cur, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
		if (id->fd < 0) {
			*err = "cannot open";
			return -errno;
		}
		if (fstat(id->fd, &id->st) < 0 || fstatfs(id->fd, &sf) < 0) {
			*err = "cannot stat";
			return -errno;
		}
		if (!S_ISREG(id->st.st_mode)) {
			*err = "not a regular file (execve refuses it before IPE is asked)";
			return -EACCES;
		}
		if ((k = mount_of_fd(id->fd, &m)) < 0 || !m.fstype) {
			*err = "cannot find its mount in /proc/self/mountinfo";
			return k < 0 ? k : -ENOENT;
		}
		snprintf(id->fstype, sizeof(id->fstype), "%s", m.fstype);
		id->initramfs = streq(m.fstype, "rootfs");
		if ((unsigned long)sf.f_type != OVERLAYFS_MAGIC)
			return 0;
		id->overlay = true;
		if (depth == OVERLAY_DEPTH) {
			*err = "overlays stacked too deep";
			return -ELOOP;
		}
		if (!(abs = realpath(cur, NULL))) {
			*err = "cannot resolve its path";
			return -errno;
		}
		if ((k = overlay_real_path(abs, &m, &real, &id->upper)) < 0) {
			*err = "cannot find the file in the overlay's layers";
			return k;
		}
		free(cur);
		cur = TAKE_PTR(real);
	}
}

struct explain {
	struct policy_file pf;
	struct output out;
	struct auditd_volume *vols;
	size_t n_vols;
	int scan_error; /* volumes_scan()'s, 0 when the volumes are known */
	struct auditd_event *e;
};

static const struct auditd_volume *volume_of(const struct explain *x, uint32_t dev)
{
	for (size_t i = 0; i < x->n_vols; i++)
		if (x->vols[i].dev == dev)
			return &x->vols[i];
	return NULL;
}

/* Return: 0 allowed, EXIT_NEGATIVE denied, a negative errno (logged) when the file cannot be judged. */
static int explain_one(struct explain *x, const char *path)
{
	_cleanup_free_ char *shown = escape_text(path); /* for the log: names are bytes */
	struct identity id;
	struct auditd_fsverity fsv = {};
	struct auditd_verdict v;
	struct explain_file f = { .path = path };
	const struct auditd_volume *vol;
	const char *err = NULL;
	char dm[64];
	int k;

	if (!shown)
		return log_error_errno(-ENOMEM, "%m");
	k = resolve(path, &id, &err);
	if (k < 0) {
		closep(&id.fd);
		return k == -ENOMEM ? log_error_errno(-ENOMEM, "%m")
				    : log_error_errno(k, "%s: %s: %m", shown, err);
	}
	f.dev = AUDITD_KDEV(major(id.st.st_dev), minor(id.st.st_dev));
	f.ino = (uint64_t)id.st.st_ino;
	f.fstype = id.fstype;
	f.overlay = id.overlay;
	f.initramfs = id.initramfs;
	vol = volume_of(x, f.dev);
	snprintf(dm, sizeof(dm), "/sys/dev/block/%u:%u/dm", major(id.st.st_dev), minor(id.st.st_dev));
	if (!vol && x->scan_error && access(dm, F_OK) == 0) {
		closep(&id.fd);
		return log_error_errno(x->scan_error,
				       "%s: on device-mapper device %u:%u, whose dm-verity root hash "
				       "cannot be read: %m (the device mapper's ioctls need CAP_SYS_ADMIN)",
				       shown, major(id.st.st_dev), minor(id.st.st_dev));
	}
	if (policy_uses_fsverity(x->pf.policy, IPE_OP_EXECUTE)) {
		fsverity_measure_fd(id.fd, &fsv);
		f.fsverity = &fsv;
	}
	closep(&id.fd);
	/* what the exec hook's event would carry (auditd/bpf/common.bpf.h) */
	*x->e = (struct auditd_event){ .kind = AUDITD_KIND_EVENT,
				       .op = AUDITD_OP_EXECUTE,
				       .hook = AUDITD_HOOK_BPRM_CHECK,
				       .flags = AUDITD_F_HAS_FILE,
				       .dev = f.dev,
				       .ino = f.ino };
	if (id.overlay)
		x->e->flags |= AUDITD_F_OVERLAY;
	if (id.initramfs)
		x->e->flags |= AUDITD_F_INITRAMFS;
	k = auditd_evaluate(x->pf.policy, x->e, vol, f.fsverity, &v);
	if (k < 0)
		return log_error_errno(-ENOMEM, "%m");
	k = output_explain(&x->out, &f, &v, vol);
	if (k == 0)
		k = v.decision.action == IPE_ACTION_DENY ? EXIT_NEGATIVE : 0;
	else
		log_error_errno(k, "cannot write: %m");
	auditd_verdict_done(&v);
	return k;
}

const struct verb explain_verb = {
	.name = "explain",
	.run = verb_explain,
	.min_operands = 1,
	.max_operands = VERB_ANY,
	.synopsis = "explain [--json] --policy FILE PATH...",
	.help = "Say, without BPF, whether the candidate policy FILE would let each PATH be\n"
		"executed, as IPE would decide it: the decision, the rule that decided, the\n"
		"file's identity (device, inode, overlay, initramfs, dm-verity volume) and,\n"
		"for a denial, the reason and a hint.\n\n"
		"  --policy FILE   the candidate policy (text or signed .p7b)\n"
		"  --json          one JSON record per file (docs/events.md)\n\n"
		"Reading dm-verity root hashes needs CAP_SYS_ADMIN.\n"
		"Exit status: 0 every file allowed, 1 some denied, 2 usage error or a file\n"
		"that cannot be judged.\n",
};

int verb_explain(int argc, char *argv[])
{
	enum { ARG_POLICY = 0x100, ARG_JSON };
	static const struct option options[] = { { "policy", required_argument, NULL, ARG_POLICY },
						 { "json", no_argument, NULL, ARG_JSON },
						 {} };
	_cleanup_free_ struct verity_volume *vs = NULL;
	struct explain x = { .out.fd = STDOUT_FILENO, .out.text = true };
	const char *policy = NULL;
	size_t n = 0;
	int c, k, worst = 0;

	while ((c = getopt_long(argc, argv, "", options, NULL)) >= 0)
		switch (c) {
		case ARG_POLICY:
			policy = optarg;
			break;
		case ARG_JSON:
			x.out.text = false;
			break;
		default:
			return -EINVAL;
		}
	if (verb_operands(argc - optind) < 0)
		return -EINVAL;
	if (!policy)
		return usage_error("--policy FILE is required");
	k = policy_file_load(policy, &x.pf);
	if (k < 0 || x.pf.kernel_errno) {
		log_error("%s", x.pf.error);
		k = k < 0 ? k : x.pf.kernel_errno;
		policy_file_done(&x.pf);
		return k;
	}
	if (!(x.e = malloc(sizeof(*x.e)))) {
		k = log_error_errno(-ENOMEM, "%m");
		goto out;
	}
	k = volumes_scan(&vs, &n);
	if (k < 0 && k != -ENOENT) /* -ENOENT: no device mapper, so no dm-verity volume */
		x.scan_error = k;
	if (n && !(x.vols = calloc(n, sizeof(*x.vols)))) {
		k = log_error_errno(-ENOMEM, "%m");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if (auditd_volume_from_scan(&vs[i], &x.vols[x.n_vols]) == 0)
			x.n_vols++;
	for (int i = optind; i < argc; i++) {
		k = explain_one(&x, argv[i]);
		if (k < 0 && (worst >= 0 || k == -ENOMEM))
			worst = k;
		else if (k > 0 && worst == 0)
			worst = k;
	}
	k = worst;
out:
	free(x.e);
	free(x.vols);
	policy_file_done(&x.pf);
	return k;
}
