/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include <openssl/x509.h>

/*
 * A PKCS#7 / CMS SignedData judged as Linux 6.12 judges it in
 * verify_pkcs7_signature() (certs/system_keyring.c): pkcs7_parse_message()
 * (crypto/asymmetric_keys/pkcs7_parser.c), pkcs7_verify() (pkcs7_verify.c),
 * then pkcs7_validate_trust() (pkcs7_trust.c) against a keyring. IPE policies
 * (security/ipe/policy.c) and dm-verity root-hash signatures
 * (drivers/md/dm-verity-verify-sig.c) both use VERIFYING_UNSPECIFIED_SIGNATURE.
 * OpenSSL parses the ASN.1 and does the cryptography; the rules are the kernel's.
 */

/* What the kernel said, and why. The strings are static. */
struct pkcs7_verdict {
	int error;        /* 0 accepted, else the negative errno the kernel returns */
	const char *why;  /* what the kernel objected to; NULL when accepted */
	const char *fix;  /* what to change in the signing command; NULL when not structural */
	unsigned signer;  /* 1-based signer info the verdict is about; 0 for the whole message */
	X509 *trusted_by; /* the trusted certificate that verified (borrowed), NULL if none */
	unsigned char *content; /* the content the kernel saw (malloc'd, plus one NUL), or NULL */
	size_t content_len;
};

/**
 * pkcs7_kernel_verify() - judge @sig as the kernel does.
 * @sig/@sig_len:   the signature blob, exactly as written to the kernel.
 * @data/@data_len: the detached content (dm-verity: the root hash as lowercase
 *                  hex, no newline), or NULL for attached content (an IPE policy:
 *                  the kernel passes data NULL).
 * @trusted:        the certificates of the keyring (.secondary_trusted_keys or
 *                  .platform), or NULL to stop before the trust decision (the
 *                  structural verdict of pkcs7_parse_message() and pkcs7_verify()).
 * @ret:            the verdict; release with pkcs7_verdict_done().
 * Return: 0 with the kernel's answer in @ret->error, or -ENOMEM, -EFBIG,
 *         -EOPNOTSUPP (an algorithm the kernel has but this OpenSSL lacks).
 */
int pkcs7_kernel_verify(const void *sig, size_t sig_len, const void *data, size_t data_len,
			STACK_OF(X509) *trusted, struct pkcs7_verdict *ret);

void pkcs7_verdict_done(struct pkcs7_verdict *v);
