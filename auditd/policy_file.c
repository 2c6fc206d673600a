// SPDX-License-Identifier: GPL-2.0-only
/* Loading a candidate policy: the same reading and checking as `ipe-policygen check`. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "auditd/policy_file.h"
#include "crypto/keyfile.h"
#include "crypto/pkcs7.h"
#include "lib/errno_name.h"
#include "lib/fileio.h"
#include "lib/hexdecoct.h"
#include "lib/macro.h"

static int sha256_hex(const void *buf, size_t len, char out[65])
{
	unsigned char md[32];
	unsigned int n = 0;

	if (!EVP_Digest(buf, len, md, &n, EVP_sha256(), NULL) || n != sizeof(md))
		return -EIO;
	hex_encode_to(md, sizeof(md), false, out);
	return 0;
}

/* The kernel's verdict on @text and the first error line of the checker. */
static int check_text(const char *path, const char *text, size_t len, struct policy_file *p)
{
	struct ipe_check_result res = {};
	const struct ipe_diag *d = NULL;
	int r;

	r = ipe_policy_check(text, len, &res);
	if (r < 0)
		return r;
	p->kernel_errno = res.kernel_errno;
	p->name = TAKE_PTR(res.name); /* also when the kernel would refuse the rest, for messages */
	memcpy(p->version, res.version, sizeof(p->version));
	if (!res.kernel_errno) {
		p->policy = TAKE_PTR(res.policy);
		ipe_check_result_done(&res);
		return 0;
	}
	for (size_t i = 0; i < res.n_diags && !d; i++)
		if (res.diags[i].severity == IPE_SEVERITY_ERROR)
			d = &res.diags[i];
	if (d && d->line)
		snprintf(p->error, sizeof(p->error), "%s:%u: %s (the kernel refuses it: %s)", path,
			 d->line, d->message, errno_name(res.kernel_errno) ?: "?");
	else
		snprintf(p->error, sizeof(p->error), "%s: %s (the kernel refuses it: %s)", path,
			 d ? d->message : "invalid policy", errno_name(res.kernel_errno) ?: "?");
	ipe_check_result_done(&res);
	return 0;
}

int policy_file_load(const char *path, struct policy_file *p)
{
	_cleanup_free_ unsigned char *content = NULL;
	const char *text;
	size_t text_len;
	int r;

	*p = (struct policy_file){};
	/* a regular file: a FIFO put in its place must not stop a running auditor's reload */
	if (streq(path, "-"))
		r = read_full_file(path, READ_FULL_MAX, &p->data, &p->len);
	else
		r = read_regular_file(path, READ_FULL_MAX, &p->data, &p->len);
	if (r == 0)
		r = sha256_hex(p->data, p->len, p->sha256);
	if (r == -EINVAL) {
		snprintf(p->error, sizeof(p->error), "%s: not a regular file", path);
		return r;
	}
	if (r < 0) {
		snprintf(p->error, sizeof(p->error), "%s: cannot read: %s", path, strerror(-r));
		return r;
	}
	if (key_material_looks_like(p->data, p->len)) {
		snprintf(p->error, sizeof(p->error),
			 "%s: a private key, not a policy; not reading it further", path);
		return -EBADMSG;
	}
	text = p->data;
	text_len = p->len;
	if (pkcs7_looks_like(p->data, p->len)) {
		p->signed_ = true;
		r = pkcs7_content(p->data, p->len, &content, &text_len);
		if (r == -ENOMEM)
			return r;
		if (r < 0) {
			p->kernel_errno = -EBADMSG;
			snprintf(p->error, sizeof(p->error),
				 "%s: not a PKCS#7 SignedData with attached content (sign with -nodetach)",
				 path);
			return 0;
		}
		text = (const char *)content;
	}
	r = sha256_hex(text, text_len, p->text_sha256);
	if (r < 0)
		return r;
	return check_text(path, text, text_len, p);
}

void policy_file_done(struct policy_file *p)
{
	free(p->data);
	free(p->name);
	ipe_policy_free(p->policy);
	*p = (struct policy_file){};
}

bool policy_file_matches(const struct policy_file *p, const char *hex)
{
	if (!hex)
		return false;
	if (!strncasecmp(hex, "sha256:", 7))
		hex += 7;
	return !strcasecmp(hex, p->sha256) || (p->text_sha256[0] && !strcasecmp(hex, p->text_sha256));
}
