// SPDX-License-Identifier: GPL-2.0-only
/* Verb-side steps shared by several verbs (sign, sign-roothash, generate; the verity verbs), with the messages users act on. */
#include <stdio.h>

#include "crypto/keyfile.h"
#include "lib/fileio.h"
#include "lib/log.h"
#include "lib/macro.h"
#include "lib/verbs.h"
#include "policygen/verb_util.h"
#include "verity/check.h"

void log_policy_diags(const char *label, const struct ipe_check_result *res)
{
	for (size_t i = 0; i < res->n_diags; i++) {
		const struct ipe_diag *d = &res->diags[i];
		char where[32] = "";

		if (d->line > 0) /* line 0: the whole policy */
			snprintf(where, sizeof(where), "%u:", d->line);
		if (d->severity == IPE_SEVERITY_ERROR)
			log_error("%s:%s %s", label, where, d->message);
		else
			log_warning("%s:%s %s", label, where, d->message);
	}
	if (res->n_suppressed)
		log_warning("%s: %zu more diagnostics not shown", label, res->n_suppressed);
}

int refuse_binary_terminal(const char *output)
{
	if (streq(output, "-") && isatty(STDOUT_FILENO))
		return usage_error("not writing a binary signature to a terminal: give -o FILE");
	return 0;
}

int write_output_logged(const char *path, const void *buf, size_t len)
{
	int r = write_file_atomic(path, buf, len, 0644, 0);

	if (r < 0)
		return log_output_error(r, path, "cannot write");
	return 0;
}

int refuse_key_material(const char *path, const void *buf, size_t len, const char *expected)
{
	if (!key_material_looks_like(buf, len))
		return 0;
	/* Not one byte of it is quoted: diagnostics go to logs and CI output. */
	return log_error_errno(-EINVAL,
			       "%s: this is a private key, not %s; refusing it (nothing of it is shown)",
			       path, expected);
}

int open_image_logged(const char *path)
{
	int fd = verity_open_image(path);

	if (fd == -EBADFD)
		return log_error_errno(fd, "%s: not a regular file or block device", path);
	if (fd < 0)
		return log_error_errno(fd, "%s: cannot open: %m", path);
	return fd;
}

int log_verify_failure(int r, const char *data_path, const char *hash_path, const char *hash_label,
		       const struct verity_params *m)
{
	if (r != -EIO)
		return log_error_errno(r, "%s: cannot verify: %m", data_path);
	if (verity_hash_area_read(hash_path, m) < 0)
		return log_error_errno(r, "%s: cannot read the hash tree to verify: %m", hash_label);
	return log_error_errno(r, "%s: cannot read it to verify: %m", data_path);
}
