// SPDX-License-Identifier: GPL-2.0-only
/* ipe-keys uefi-db: a certificate as a UEFI db update (signature list, .auth, efivarfs payload). */
#include <getopt.h>
#include <stdio.h>

#include "keys/load.h"
#include "keys/openssl_util.h"
#include "keys/uefi_db.h"
#include "keys/verbs.h"
#include "keys/x509_profile.h"
#include "lib/fileio.h"
#include "lib/log.h"
#include "lib/verbs.h"

int db_update_set_owner(struct db_update *u, const char *s)
{
	if (efi_guid_from_string(s, &u->owner) < 0)
		return usage_error("--owner needs a GUID like %s", "aa6fe64e-298c-41a9-8d4f-11f326952b7b");
	return 0;
}

int db_update_set_timestamp(struct db_update *u, const char *s)
{
	if (efi_time_parse(s, &u->timestamp) < 0)
		return usage_error("--timestamp needs \"YYYY-MM-DD HH:MM:SS\" (UTC), not '%s'", s);
	return 0;
}

int db_update_payload(const struct db_update *u, bool with_attributes, unsigned char **ret,
		      size_t *ret_len)
{
	_cleanup_(X509_freep) X509 *cert = NULL, *signer = NULL;
	_cleanup_(EVP_PKEY_freep) EVP_PKEY *key = NULL;
	_cleanup_free_ unsigned char *der = NULL, *esl = NULL, *auth = NULL;
	size_t der_len, esl_len, auth_len;
	uint32_t attributes = EFI_SECURE_VARIABLE_ATTRIBUTES;
	unsigned char *out;
	int r;

	r = load_cert_logged(u->cert_path, &cert);
	if (r < 0)
		return r;
	r = cert_to_der(cert, &der, &der_len);
	if (r < 0)
		return log_error_errno(r, "%s: cannot encode the certificate: %m", u->cert_path);
	r = efi_siglist_x509(&u->owner, der, der_len, &esl, &esl_len);
	if (r < 0)
		return log_error_errno(r, "%s: cannot build the signature list: %m", u->cert_path);

	if (u->key_path) {
		const char *signer_path = u->signer_cert_path ?: u->cert_path;

		r = load_cert_logged(signer_path, &signer);
		if (r < 0)
			return r;
		r = load_key_logged(u->key_path, signer, signer_path, &key);
		if (r < 0)
			return r;
	}
	if (u->append)
		attributes |= EFI_VARIABLE_APPEND_WRITE;

	r = efi_auth2_build("db", &EFI_IMAGE_SECURITY_DATABASE_GUID, attributes, &u->timestamp, key,
			    signer, esl, esl_len, &auth, &auth_len);
	if (r < 0)
		return log_error_errno(r, "cannot build the authenticated db update: %m");
	if (!with_attributes) {
		*ret = TAKE_PTR(auth);
		*ret_len = auth_len;
		return 0;
	}

	out = malloc(4 + auth_len);
	if (!out)
		return log_error_errno(-ENOMEM, "out of memory");
	/* efivarfs takes the attributes as a little-endian u32 before the data. */
	for (int i = 0; i < 4; i++)
		out[i] = (attributes >> (8 * i)) & 0xff;
	memcpy(out + 4, auth, auth_len);
	*ret = out;
	*ret_len = 4 + auth_len;
	return 0;
}

int verb_uefi_db(int argc, char *argv[])
{
	enum { ARG_ESL = 0x100, ARG_AUTH, ARG_KEY, ARG_SIGNER, ARG_OWNER, ARG_TIMESTAMP, ARG_APPEND };
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "esl", no_argument, NULL, ARG_ESL },
		{ "auth", no_argument, NULL, ARG_AUTH },
		{ "key", required_argument, NULL, ARG_KEY },
		{ "signer-cert", required_argument, NULL, ARG_SIGNER },
		{ "owner", required_argument, NULL, ARG_OWNER },
		{ "timestamp", required_argument, NULL, ARG_TIMESTAMP },
		{ "append", no_argument, NULL, ARG_APPEND },
		{}
	};
	struct db_update u = { .owner = IPE_TOOLS_OWNER_GUID };
	_cleanup_free_ unsigned char *out = NULL;
	const char *output = NULL;
	bool esl = false, auth = false, have_ts = false;
	size_t out_len;
	int c, r;

	while ((c = getopt_long(argc, argv, "o:", options, NULL)) >= 0) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case ARG_ESL:
			esl = true;
			break;
		case ARG_AUTH:
			auth = true;
			break;
		case ARG_KEY:
			u.key_path = optarg;
			break;
		case ARG_SIGNER:
			u.signer_cert_path = optarg;
			break;
		case ARG_OWNER:
			if (db_update_set_owner(&u, optarg) < 0)
				return -EINVAL;
			break;
		case ARG_TIMESTAMP:
			if (db_update_set_timestamp(&u, optarg) < 0)
				return -EINVAL;
			have_ts = true;
			break;
		case ARG_APPEND:
			u.append = true;
			break;
		default:
			return -EINVAL;
		}
	}
	if (argc - optind != 1)
		return usage_error("uefi-db needs exactly one certificate");
	if (!output)
		return usage_error("uefi-db needs -o FILE");
	if (esl && auth)
		return usage_error("--esl and --auth are exclusive");
	if (u.signer_cert_path && !u.key_path)
		return usage_error("--signer-cert needs --key");
	if (esl && (u.key_path || have_ts || u.append))
		return usage_error("--esl writes the bare signature list: --key, --timestamp and --append do not apply");
	u.cert_path = argv[optind];
	if (!have_ts)
		efi_time_from_unix(time(NULL), &u.timestamp);

	if (esl) {
		_cleanup_(X509_freep) X509 *cert = NULL;
		_cleanup_free_ unsigned char *der = NULL;
		size_t der_len;

		r = load_cert_logged(u.cert_path, &cert);
		if (r < 0)
			return r;
		r = cert_to_der(cert, &der, &der_len);
		if (r >= 0)
			r = efi_siglist_x509(&u.owner, der, der_len, &out, &out_len);
		if (r < 0)
			return log_error_errno(r, "%s: cannot build the signature list: %m", u.cert_path);
	} else {
		r = db_update_payload(&u, !auth, &out, &out_len);
		if (r < 0)
			return r;
	}

	r = write_file_atomic(output, out, out_len, 0644, 0);
	if (r < 0)
		return log_error_errno(r, "%s: cannot write: %m", output);
	return 0;
}
