// SPDX-License-Identifier: GPL-2.0-only
/* ipe-keys enroll: add a certificate to a kernel keyring (default .secondary_trusted_keys). */
#include <getopt.h>
#include <stdio.h>

#include <openssl/err.h>

#include "keys/keyring.h"
#include "keys/load.h"
#include "crypto/openssl_util.h"
#include "keys/verbs.h"
#include "keys/x509_profile.h"
#include "lib/escape.h"
#include "lib/log.h"
#include "lib/verbs.h"

#define DEFAULT_KEYRING ".secondary_trusted_keys"

/* The key of @ring whose description is @desc, or 0. */
static key_serial_t find_member(key_serial_t ring, const char *desc)
{
	_cleanup_free_ key_serial_t *ids = NULL;
	size_t n;

	if (keyring_members(ring, &ids, &n) < 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		struct key_info k;
		bool same;

		if (key_describe(ids[i], &k) < 0)
			continue;
		same = streq(k.type, "asymmetric") && streq(k.description, desc);
		key_info_done(&k);
		if (same)
			return ids[i];
	}
	return 0;
}

/* True when the kernel already holds the key described @desc in .platform (UEFI db, MOK). */
static bool in_platform_keyring(const char *desc)
{
	key_serial_t ring;

	return keyring_resolve(".platform", &ring) >= 0 && find_member(ring, desc) > 0;
}

/* Why the kernel's trust restriction refused @cert, and what would make it pass. */
static int explain_rejection(int r, X509 *cert, const char *desc, const char *path, const char *ring_name)
{
	_cleanup_free_ char *issuer = NULL, *akid = NULL;
	bool self_signed;

	/* The usual case on dev machines: the advice below would send the user in a circle. */
	if (in_platform_keyring(desc))
		return log_error_errno(r,
				       "%s: rejected by %s (%m), but the certificate is already in .platform (UEFI db or MOK), "
				       "which IPE and dm-verity consult when built with IPE_POLICY_SIG_PLATFORM_KEYRING and "
				       "DM_VERITY_VERIFY_ROOTHASH_SIG_PLATFORM_KEYRING: nothing more is needed for them",
				       path, ring_name);

	(void)x509_name_text(X509_get_issuer_name(cert), &issuer);
	(void)cert_akid_hex(cert, &akid);
	/* Not X509_check_issued(): it also wants keyCertSign, which a self-signed leaf lacks. */
	self_signed = X509_NAME_cmp(X509_get_subject_name(cert), X509_get_issuer_name(cert)) == 0 &&
		      X509_verify(cert, X509_get0_pubkey(cert)) == 1;
	ERR_clear_error();

	if (self_signed)
		return log_error_errno(r,
				       "%s: rejected by %s (%m): the certificate is self-signed, and this keyring only takes certificates signed by a key the kernel already trusts. "
				       "Build its CA into the kernel (CONFIG_SYSTEM_TRUSTED_KEYS), import it with 'mokutil --import', or enroll it in UEFI db ('ipe-keys enroll-uefi')",
				       path, ring_name);
	return log_error_errno(r,
			       "%s: rejected by %s (%m): its issuer \"%s\" (authority key id %s) is not a key this keyring trusts "
			       "(for .secondary_trusted_keys: one in .builtin_trusted_keys or .secondary_trusted_keys). "
			       "Build that CA into the kernel (CONFIG_SYSTEM_TRUSTED_KEYS) or enroll the CA first",
			       path, ring_name, issuer ?: "?", akid ?: "none");
}

const struct verb enroll_verb = {
	.name = "enroll",
	.run = verb_enroll,
	.min_operands = 1,
	.max_operands = 1,
	.synopsis = "enroll CERT [--keyring NAME]",
	.help = "Add CERT to a kernel keyring as an \"asymmetric\" key; the kernel applies the\n"
		"keyring's restriction. A refusal is explained.\n"
		"\n"
		"  -k, --keyring NAME   a keyring name, serial or @s, @u, @us, @p, @t, @g\n"
		"                       (default .secondary_trusted_keys)\n",
};

int verb_enroll(int argc, char *argv[])
{
	static const struct option options[] = { { "keyring", required_argument, NULL, 'k' }, {} };
	_cleanup_(X509_freep) X509 *cert = NULL;
	_cleanup_free_ unsigned char *der = NULL;
	_cleanup_free_ char *desc = NULL, *shown = NULL;
	const char *ring_name = DEFAULT_KEYRING, *path;
	key_serial_t ring, id;
	size_t der_len;
	int c, r;

	while ((c = getopt_long(argc, argv, "k:", options, NULL)) >= 0) {
		switch (c) {
		case 'k':
			ring_name = optarg;
			break;
		default:
			return -EINVAL;
		}
	}
	r = verb_operands(argc - optind);
	if (r < 0)
		return r;
	path = argv[optind];

	r = load_cert_logged(path, &cert);
	if (r < 0)
		return r;
	r = cert_to_der(cert, &der, &der_len);
	if (r >= 0)
		r = cert_kernel_description(cert, &desc);
	if (r < 0)
		return log_error_errno(r, "%s: cannot encode the certificate: %m", path);

	r = keyring_resolve(ring_name, &ring);
	if (r == -ENOKEY && streq(ring_name, DEFAULT_KEYRING))
		return log_error_errno(r,
				       "keyring %s not found: the kernel was built without CONFIG_SECONDARY_TRUSTED_KEYRING. "
				       "Trust the key through the kernel build (CONFIG_SYSTEM_TRUSTED_KEYS), MOK or UEFI db instead",
				       ring_name);
	if (r == -ENOKEY)
		return log_error_errno(r, "keyring %s not found", ring_name);
	if (r == -ENOTUNIQ)
		return log_error_errno(r, "keyring name %s is ambiguous, give its serial instead",
				       ring_name);
	if (r < 0)
		return log_error_errno(r, "keyring %s: %m", ring_name);

	shown = escape_text(desc);
	if (!shown)
		return log_error_errno(-ENOMEM, "out of memory");
	id = find_member(ring, desc);
	if (id > 0) {
		printf("%s is already in %s as key %d \"%s\"\n", path, ring_name, id, shown);
		return 0;
	}

	r = keyring_add_x509(ring, der, der_len, &id);
	switch (r) {
	case 0:
		break;
	case -EKEYREJECTED:
	case -ENOKEY:
		return explain_rejection(r, cert, desc, path, ring_name);
	case -EACCES:
	case -EPERM:
		return log_error_errno(r,
				       "%s: keyring %s does not accept keys from here (%m): it is not writable by this user, or its restriction forbids additions. "
				       "Only .secondary_trusted_keys takes certificates at run time (signed by a trusted CA)",
				       path, ring_name);
	case -EBADMSG:
		return log_error_errno(r, "%s: the kernel's X.509 parser rejected the certificate (%m)",
				       path);
	case -ENOPKG:
	case -ENOENT: /* crypto_alloc_sig() of an algorithm the kernel was built without */
		return log_error_errno(r, "%s: the kernel lacks the certificate's key or signature algorithm (%m), e.g. CONFIG_CRYPTO_ECDSA for EC keys; use an RSA key ('generate --algorithm rsa3072')",
				       path);
	case -EEXIST:
		return log_error_errno(r, "%s: the key is already in %s", path, ring_name);
	case -ENODEV:
		return log_error_errno(r, "the kernel has no \"asymmetric\" key type (CONFIG_ASYMMETRIC_KEY_TYPE, CONFIG_X509_CERTIFICATE_PARSER)");
	default:
		return log_error_errno(r, "%s: adding to keyring %s failed: %m", path, ring_name);
	}
	printf("%s added to %s as key %d \"%s\"\n", path, ring_name, id, shown);
	return 0;
}
