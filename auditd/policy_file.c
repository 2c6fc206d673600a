// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "auditd/policy_file.h"
#include "crypto/pkcs7.h"
#include "lib/fileio.h"
#include "lib/hexdecoct.h"
#include "lib/macro.h"
#include "policy/policy.h"

static int sha256_hex(const void *buf, size_t len, char out[65])
{
	unsigned char md[32];
	unsigned int n = 0;

	if (!EVP_Digest(buf, len, md, &n, EVP_sha256(), NULL) || n != sizeof(md))
		return -EIO;
	hex_encode_to(md, sizeof(md), false, out);
	return 0;
}

int policy_file_load(const char *path, struct policy_file *p)
{
	_cleanup_free_ unsigned char *content = NULL;
	_cleanup_(ipe_policy_freep) struct ipe_policy *pol = NULL;
	const char *text;
	size_t text_len;
	int r;

	*p = (struct policy_file){};
	r = read_full_file(path, READ_FULL_MAX, &p->data, &p->len);
	if (r < 0)
		return r;
	r = sha256_hex(p->data, p->len, p->sha256);
	if (r < 0)
		return r;
	text = p->data;
	text_len = p->len;
	if (pkcs7_looks_like(p->data, p->len)) {
		p->signed_ = true;
		if (pkcs7_content(p->data, p->len, &content, &text_len) < 0) {
			p->parse_error = -EBADMSG;
			return 0;
		}
		text = (const char *)content;
	}
	r = sha256_hex(text, text_len, p->text_sha256);
	if (r < 0)
		return r;
	r = ipe_policy_parse(text, text_len, &pol, NULL);
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		p->parse_error = r;
		return 0;
	}
	p->name = strdup(ipe_policy_name(pol));
	if (!p->name)
		return -ENOMEM;
	memcpy(p->version, ipe_policy_version(pol), sizeof(p->version));
	return 0;
}

void policy_file_done(struct policy_file *p)
{
	free(p->data);
	free(p->name);
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
