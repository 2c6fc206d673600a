// SPDX-License-Identifier: GPL-2.0-only
/* Loading the candidate policy: the same reading and checking as `ipe-policygen check`. */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "crypto/pkcs7.h"
#include "lib/errno_name.h"
#include "lib/fileio.h"
#include "lib/hexdecoct.h"
#include "lib/macro.h"
#include "auditd/policy_file.h"

/* No policy the kernel accepts comes near this. */
#define POLICY_MAX_SIZE (16u << 20)

int policy_file_load(const char *path, struct policy_file *ret)
{
	_cleanup_free_ char *buf = NULL;
	_cleanup_free_ unsigned char *content = NULL;
	struct ipe_check_result res = {};
	unsigned char md[32];
	const char *text;
	size_t len, text_len;
	int r;

	*ret = (struct policy_file){};
	r = read_full_file(path, POLICY_MAX_SIZE, &buf, &len);
	if (r < 0) {
		snprintf(ret->error, sizeof(ret->error), "%s: cannot read: %s", path, strerror(-r));
		return r;
	}
	if (!EVP_Digest(buf, len, md, NULL, EVP_sha256(), NULL)) {
		snprintf(ret->error, sizeof(ret->error), "%s: cannot hash it", path);
		return -ENOMEM;
	}
	hex_encode_to(md, sizeof(md), false, ret->sha256);
	text = buf;
	text_len = len;
	if (pkcs7_looks_like(buf, len)) {
		r = pkcs7_content(buf, len, &content, &text_len);
		if (r < 0) {
			snprintf(ret->error, sizeof(ret->error),
				 "%s: not a PKCS#7 SignedData with attached content (sign with -nodetach)", path);
			return r == -ENOMEM ? r : -EBADMSG;
		}
		text = (const char *)content;
	}
	r = ipe_policy_check(text, text_len, &res);
	if (r < 0) {
		snprintf(ret->error, sizeof(ret->error), "%s: %s", path, strerror(-r));
		return r;
	}
	if (res.kernel_errno) {
		const struct ipe_diag *d = NULL;

		for (size_t i = 0; i < res.n_diags && !d; i++)
			if (res.diags[i].severity == IPE_SEVERITY_ERROR)
				d = &res.diags[i];
		r = res.kernel_errno;
		if (d && d->line)
			snprintf(ret->error, sizeof(ret->error), "%s:%u: %s (the kernel refuses it: %s)", path, d->line,
				 d->message, errno_name(r) ?: "?");
		else
			snprintf(ret->error, sizeof(ret->error), "%s: %s (the kernel refuses it: %s)", path,
				 d ? d->message : "invalid policy", errno_name(r) ?: "?");
		ipe_check_result_done(&res);
		return r;
	}
	ret->policy = TAKE_PTR(res.policy);
	ipe_check_result_done(&res);
	return 0;
}

void policy_file_done(struct policy_file *f)
{
	ipe_policy_free(f->policy);
	f->policy = NULL;
}
