// SPDX-License-Identifier: GPL-2.0-only
/* ipe-keys uefi-db: a certificate as a UEFI db update (signature list, .auth, efivarfs payload). */
#include "keys/load.h"
#include "crypto/openssl_util.h"
#include "keys/uefi_db.h"
#include "keys/verbs.h"
#include "keys/x509_profile.h"
#include "lib/fileio.h"
#include "lib/log.h"
#include "lib/verbs.h"

int db_update_option(struct db_update *u, int c, const char *arg)
{
	switch (c) {
	case DB_ARG_KEY:
		u->key_path = arg;
		return 0;
	case DB_ARG_SIGNER:
		u->signer_cert_path = arg;
		return 0;
	case DB_ARG_OWNER:
		if (efi_guid_from_string(arg, &u->owner) < 0)
			return usage_error("--owner needs a GUID like %s", IPE_TOOLS_OWNER_GUID_TEXT);
		return 0;
	case DB_ARG_TIMESTAMP:
		if (efi_time_parse(arg, &u->timestamp) < 0)
			return usage_error("--timestamp needs \"YYYY-MM-DD HH:MM:SS\" (UTC), not '%s'",
					   arg);
		u->have_timestamp = true;
		return 0;
	default:
		return -EINVAL;
	}
}

int db_update_args(struct db_update *u, int argc, char *argv[])
{
	int r;

	r = verb_operands(argc - optind);
	if (r < 0)
		return r;
	if (u->signer_cert_path && !u->key_path)
		return usage_error("--signer-cert needs --key");
	u->cert_path = argv[optind];
	return 0;
}

int db_update_payload(const struct db_update *u, enum db_format format, unsigned char **ret,
		      size_t *ret_len)
{
	_cleanup_(X509_freep) X509 *cert = NULL, *signer = NULL;
	_cleanup_(EVP_PKEY_freep) EVP_PKEY *key = NULL;
	_cleanup_free_ unsigned char *der = NULL, *esl = NULL, *auth = NULL;
	size_t der_len, esl_len, auth_len;
	uint32_t attributes = EFI_SECURE_VARIABLE_ATTRIBUTES;
	struct efi_time ts = u->timestamp;
	int r;

	*ret = NULL; /* defined on every return, as callers may pass them on */
	*ret_len = 0;
	r = load_cert_logged(u->cert_path, &cert);
	if (r < 0)
		return r;
	r = cert_to_der(cert, &der, &der_len);
	if (r < 0)
		return log_error_errno(r, "%s: cannot encode the certificate: %m", u->cert_path);
	r = efi_siglist_x509(&u->owner, der, der_len, &esl, &esl_len);
	if (r < 0)
		return log_error_errno(r, "%s: cannot build the signature list: %m", u->cert_path);
	if (format == DB_FORMAT_ESL) {
		*ret = TAKE_PTR(esl);
		*ret_len = esl_len;
		return 0;
	}

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
	if (!u->have_timestamp)
		efi_time_from_unix(time(NULL), &ts);

	r = efi_auth2_build("db", &EFI_IMAGE_SECURITY_DATABASE_GUID, attributes, &ts, key, signer,
			    esl, esl_len, &auth, &auth_len);
	if (r < 0)
		return log_error_errno(r, "cannot build the authenticated db update: %m");
	if (format == DB_FORMAT_AUTH) {
		*ret = TAKE_PTR(auth);
		*ret_len = auth_len;
		return 0;
	}
	r = efi_varfs_payload(attributes, auth, auth_len, ret, ret_len);
	if (r < 0)
		return log_error_errno(r, "out of memory");
	return 0;
}

const struct verb uefi_db_verb = {
	.name = "uefi-db",
	.run = verb_uefi_db,
	.min_operands = 1,
	.max_operands = 1,
	.synopsis = "uefi-db CERT -o FILE [--esl|--auth] [--key K [--signer-cert C]] [--owner GUID] [--timestamp T] [--append]",
	.help = "Write CERT's UEFI db update to FILE: by default the payload for one write to\n"
		"efivarfs (attributes, EFI_VARIABLE_AUTHENTICATION_2, signature list).\n"
		"\n"
		"  -o, --output FILE    where to write it\n"
		"  --esl                only the EFI_SIGNATURE_LIST (as cert-to-efi-sig-list)\n"
		"  --auth               the .auth file, without the attributes\n"
		"                       (as sign-efi-sig-list)\n" DB_UPDATE_OPTIONS_HELP
		"  --append             EFI_VARIABLE_APPEND_WRITE: add to db, do not replace it\n",
};

int verb_uefi_db(int argc, char *argv[])
{
	enum { ARG_ESL = DB_ARG_END, ARG_AUTH, ARG_APPEND };
	static const struct option options[] = { { "output", required_argument, NULL, 'o' },
						 { "esl", no_argument, NULL, ARG_ESL },
						 { "auth", no_argument, NULL, ARG_AUTH },
						 { "append", no_argument, NULL, ARG_APPEND },
						 DB_UPDATE_OPTIONS,
						 {} };
	struct db_update u = DB_UPDATE_INIT;
	_cleanup_free_ unsigned char *out = NULL;
	const char *output = NULL;
	bool esl = false, auth = false;
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
		case ARG_APPEND:
			u.append = true;
			break;
		default:
			if (db_update_option(&u, c, optarg) < 0)
				return -EINVAL;
		}
	}
	r = db_update_args(&u, argc, argv);
	if (r < 0)
		return r;
	if (!output)
		return usage_error("uefi-db needs -o FILE");
	if (esl && auth)
		return usage_error("--esl and --auth are exclusive");
	if (esl && (u.key_path || u.have_timestamp || u.append))
		return usage_error(
			"--esl writes the bare signature list: --key, --timestamp and --append do not apply");

	r = db_update_payload(&u,
			      esl    ? DB_FORMAT_ESL
			      : auth ? DB_FORMAT_AUTH
				     : DB_FORMAT_EFIVARFS,
			      &out, &out_len);
	if (r < 0)
		return r;
	r = write_file_atomic(output, out, out_len, 0644, 0);
	if (r < 0)
		return log_output_error(r, output, "cannot write");
	return 0;
}
