// SPDX-License-Identifier: GPL-2.0-only
/*
 * ipe-auditd load: load and activate signed IPE policies at boot, for inits
 * that lack systemd's loader (s6, older systemd). It follows systemd's
 * contract (src/core/ipe-setup.c, v257+) so one directory of policies serves
 * both:
 *   - NAME.p7b in /etc/ipe, /run/ipe, /usr/local/lib/ipe, /usr/lib/ipe; a file
 *     in an earlier directory overrides one of the same name in a later one,
 *     an empty file or a link to /dev/null masks it (conf_files_list_nulstr()
 *     with CONF_FILES_REGULAR|CONF_FILES_FILTER_MASKED); sorted by file name;
 *   - NAME is the policy_name: policies/NAME/update is tried first, and
 *     new_policy when the kernel has no policy of that name;
 *   - the whole PKCS#7 goes in one write() (the kernel parses each write as a
 *     complete policy, security/ipe/fs.c new_policy() and policy_fs.c
 *     update_policy());
 *   - then "1" is written to policies/NAME/active;
 *   - ESTALE (the kernel holds the same or a higher version,
 *     security/ipe/policy.c ipe_update_policy()) is reported and skipped.
 * Unlike systemd, which stops at the first error, every policy is tried and
 * the exit status says whether one failed; a file whose name is not its
 * policy_name is refused before the kernel sees it; and a symbolic link to a
 * policy is followed (systemd opens with O_NOFOLLOW), as NixOS's /etc is
 * made of links.
 */
#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auditd/ipe_explain.h"
#include "auditd/ipefs.h"
#include "auditd/verbs.h"
#include "crypto/pkcs7.h"
#include "lib/errno_name.h"
#include "lib/fileio.h"
#include "lib/log.h"
#include "lib/macro.h"
#include "lib/verbs.h"
#include "policy/policy.h"

#define POLICY_SUFFIX ".p7b"

/* systemd's CONF_PATHS_NULSTR("ipe"), in priority order. */
static const char *const default_dirs[] = {
	"/etc/ipe",
	"/run/ipe",
	"/usr/local/lib/ipe",
	"/usr/lib/ipe",
};

struct policy_entry {
	char *file; /* NAME.p7b */
	char *name; /* NAME: the policy_name the file must carry */
	char *path; /* NULL when masked */
};

/* Files are loaded in the order of their file names, as systemd sorts them;
 * the last one activated is the active policy. */
static int policy_entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct policy_entry *)a)->file, ((const struct policy_entry *)b)->file);
}

struct policy_list {
	struct policy_entry *files;
	size_t n;
};

static void policy_list_done(struct policy_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->files[i].file);
		free(l->files[i].name);
		free(l->files[i].path);
	}
	free(l->files);
}

static bool policy_list_has(const struct policy_list *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (streq(l->files[i].name, name))
			return true;
	return false;
}

static int policy_list_add(struct policy_list *l, const char *file, const char *name, const char *path)
{
	struct policy_entry *f = reallocarray(l->files, l->n + 1, sizeof(*f));

	if (!f)
		return -ENOMEM;
	l->files = f;
	f[l->n] = (struct policy_entry){ .file = strdup(file),
					 .name = strdup(name),
					 .path = path ? strdup(path) : NULL };
	if (!f[l->n].file || !f[l->n].name || (path && !f[l->n].path)) {
		free(f[l->n].file);
		free(f[l->n].name);
		free(f[l->n].path);
		return -ENOMEM;
	}
	l->n++;
	return 0;
}

DEFINE_TRIVIAL_CLEANUP_FUNC(DIR *, closedir);

/* Add DIR's NAME.p7b files not already seen in an earlier directory. */
static int scan_dir(struct policy_list *l, const char *dir)
{
	_cleanup_(closedirp) DIR *d = opendir(dir);
	struct dirent *de;

	if (!d) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		return log_error_errno(-errno, "%s: cannot read the directory: %m", dir);
	}
	while ((errno = 0, de = readdir(d))) {
		_cleanup_free_ char *name = NULL, *path = NULL;
		size_t len = strlen(de->d_name);
		struct stat st;
		int r;

		if (len <= strlen(POLICY_SUFFIX) ||
		    !streq(de->d_name + len - strlen(POLICY_SUFFIX), POLICY_SUFFIX) ||
		    de->d_name[0] == '.')
			continue;
		name = strndup(de->d_name, len - strlen(POLICY_SUFFIX));
		if (!name || asprintf(&path, "%s/%s", dir, de->d_name) < 0)
			return log_error_errno(-ENOMEM, "out of memory");
		if (policy_list_has(l, name)) {
			log_debug("%s: overridden by an earlier directory", path);
			continue;
		}
		if (stat(path, &st) < 0) {
			log_debug("%s: skipped: %s", path, strerror(errno));
			continue;
		}
		if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ||
		    (S_ISREG(st.st_mode) && st.st_size == 0)) {
			log_debug("%s: masked", path);
			r = policy_list_add(l, de->d_name, name, NULL);
		} else if (S_ISREG(st.st_mode)) {
			r = policy_list_add(l, de->d_name, name, path);
		} else {
			log_debug("%s: not a regular file, skipped", path);
			continue;
		}
		if (r < 0)
			return log_error_errno(r, "out of memory");
	}
	if (errno)
		return log_error_errno(-errno, "%s: cannot read the directory: %m", dir);
	return 0;
}

/* True for errors that are the kernel's verdict on the policy (exit 1), not a system failure. */
static bool is_refusal(int error)
{
	return error == -ENOKEY || error == -EKEYREJECTED || error == -EBADMSG ||
	       error == -EINVAL || error == -EEXIST || error == -ERANGE || error == -EACCES ||
	       error == -ENAMETOOLONG || error == -ENOENT;
}

static int log_refusal(const char *path, const char *what, int error, const struct ipe_explain_ctx *ctx)
{
	_cleanup_free_ char *why = ipe_explain(error, ctx); /* names the step, the errno and the cause */
	const char *name = errno_name(error);

	if (why)
		log_error("%s: %s", path, why);
	else
		log_error("%s: %s: %s (%s)", path, what, strerror(-error), name ? name : "?");
	return error;
}
/*
 * Load and activate one policy file.
 * Return: 1 loaded and activated, 0 skipped (ESTALE), -errno after logging it.
 */
static int load_one(const struct policy_entry *f)
{
	_cleanup_free_ char *der = NULL;
	_cleanup_free_ unsigned char *content = NULL;
	_cleanup_(ipe_policy_freep) struct ipe_policy *policy = NULL;
	const uint16_t *v;
	size_t der_len, content_len;
	struct ipe_explain_ctx ctx;
	char version[24];
	bool updated;
	int r;

	r = ipe_policy_name_valid(f->name);
	if (r < 0) {
		log_error("%s: '%s' cannot be an IPE policy name", f->path, f->name);
		return -EINVAL;
	}
	/* a regular file still: one swapped for a FIFO since the listing must not stop the boot */
	r = read_regular_file(f->path, READ_FULL_MAX, &der, &der_len);
	if (r == -EINVAL) {
		log_error("%s: no longer a regular file, not read", f->path);
		return -EBADFD;
	}
	if (r < 0)
		return log_error_errno(r, "%s: cannot read the policy: %m", f->path);
	/* The name rule, checked before the kernel sees the file: activation
	 * goes through policies/NAME/, so another policy_name would load a
	 * policy that is then never activated. */
	r = pkcs7_content(der, der_len, &content, &content_len);
	if (r < 0) {
		log_error("%s: not a signed IPE policy (a DER PKCS#7 with the policy inside; ipe-policygen sign makes one)",
			  f->path);
		return -EBADMSG;
	}
	r = ipe_policy_parse((const char *)content, content_len, &policy, NULL);
	if (r < 0)
		return log_refusal(f->path, "the signed policy does not parse", r,
				   &(struct ipe_explain_ctx){ .step = IPE_STEP_NEW_POLICY,
							      .name = f->name,
							      .file_signed = true });
	if (!streq(ipe_policy_name(policy), f->name)) {
		log_error("%s: the file name says policy '%s' but its policy_name is '%s'; name the file %s" POLICY_SUFFIX,
			  f->path, f->name, ipe_policy_name(policy), ipe_policy_name(policy));
		return -EINVAL;
	}
	v = ipe_policy_version(policy);

	snprintf(version, sizeof(version), "%hu.%hu.%hu", v[0], v[1], v[2]);
	ctx = (struct ipe_explain_ctx){
		.step = IPE_STEP_UPDATE, .name = f->name, .version = version, .file_signed = true
	};
	r = ipe_policy_load(f->name, der, der_len, &updated);
	if (!updated)
		ctx.step = IPE_STEP_NEW_POLICY;
	if (r == -ESTALE) {
		_cleanup_(ipe_state_done) struct ipe_state ipe = {};
		const struct ipe_loaded *have = ipe_state_read(&ipe) == 0
							? ipe_state_find(&ipe, f->name)
							: NULL;

		log_info("%s: skipped: the kernel holds policy %s at version %s, this file has %s (ESTALE)",
			 f->path, f->name, have ? have->version : "?", version);
		return 0;
	}
	if (r < 0)
		return log_refusal(f->path,
				   updated ? "the kernel refused the update"
					   : "the kernel refused the policy",
				   r, &ctx);
	ctx.step = IPE_STEP_ACTIVATE;
	r = ipe_policy_activate(f->name);
	if (r == -ESTALE) {
		log_info("%s: skipped activation: ESTALE", f->path);
		return 0;
	}
	if (r == -EINVAL) {
		log_error("%s: loaded, but the kernel refused to activate it: the active policy has a higher version than %s (EINVAL)",
			  f->path, version);
		return r;
	}
	if (r < 0)
		return log_refusal(f->path, "loaded, but activating it failed", r, &ctx);
	log_info("%s: %s and activated policy %s version %s", f->path,
		 updated ? "updated" : "loaded", f->name, version);
	return 1;
}

const struct verb load_verb = {
	.name = "load",
	.run = verb_load,
	.min_operands = 0,
	.max_operands = VERB_ANY,
	.synopsis = "load [DIR...]",
	.help = "Load and activate the signed IPE policies NAME.p7b found in DIR... (default\n"
		"/etc/ipe, /run/ipe, /usr/local/lib/ipe, /usr/lib/ipe), as systemd (v257+)\n"
		"does at boot: a file in an earlier directory overrides one of the same name\n"
		"in a later one, and one that is empty or a link to /dev/null masks it. NAME\n"
		"must be the policy's policy_name. A loaded policy is updated, a new one\n"
		"loaded; each is then activated. A policy the kernel already holds at the same\n"
		"or a higher version is skipped. Exit 1 when the kernel refused a policy.\n",
};

int verb_load(int argc, char *argv[])
{
	static const struct option options[] = { {} };
	_cleanup_(policy_list_done) struct policy_list list = {};
	const char *const *dirs = default_dirs;
	size_t n_dirs = ELEMENTSOF(default_dirs), loaded = 0, skipped = 0, masked = 0;
	int r, status = 0;

	/* No options: --help is handled by the dispatcher, anything else is a usage error. */
	if (getopt_long(argc, argv, "", options, NULL) >= 0)
		return -EINVAL;
	if (optind < argc) {
		dirs = (const char *const *)argv + optind;
		n_dirs = (size_t)(argc - optind);
	}
	if (access(IPE_FS, F_OK) < 0) {
		log_info("%s: IPE is not active in this kernel (securityfs not mounted, or no 'ipe' in lsm=); nothing loaded",
			 IPE_FS);
		return 0;
	}
	for (size_t i = 0; i < n_dirs; i++) {
		r = scan_dir(&list, dirs[i]);
		if (r < 0)
			return r;
	}
	if (list.n > 0) /* files is NULL then, and qsort() wants an array */
		qsort(list.files, list.n, sizeof(*list.files), policy_entry_cmp);
	for (size_t i = 0; i < list.n; i++) {
		if (!list.files[i].path) {
			masked++;
			continue;
		}
		r = load_one(&list.files[i]);
		if (r > 0)
			loaded++;
		else if (r == 0)
			skipped++;
		else if (is_refusal(r) && status != EXIT_ERROR)
			status = EXIT_NEGATIVE;
		else if (!is_refusal(r))
			status = EXIT_ERROR;
	}
	log_debug("%zu loaded, %zu skipped, %zu masked", loaded, skipped, masked);
	return status;
}
