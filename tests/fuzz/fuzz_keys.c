// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for what ipe-keys reads from outside: certificate files
 * (PEM or DER) and what it derives from them (the kernel's key description,
 * the blacklist hash, key identifiers, the EFI signature list), and the
 * keyring lines of /proc/keys, whose descriptions any user can choose.
 * Invariants: a certificate that loads has a DER form that loads back to
 * the same DER, and a signature list that carries exactly that DER; a
 * /proc/keys line matches only a keyring of that name.
 *
 * With FUZZ_SEED_DIR set, start-up writes seeds there: certificates of
 * ipe-keys' own profile and a few /proc/keys lines.
 */
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "keys/efi_siglist.h"
#include "keys/x509_profile.h"
#include "lib/macro.h"
#include "crypto/keyfile.h"
#include "tests/fuzz/fuzz.h"

/* The /proc/keys line matcher is private to the keyring code, so its file is included whole. */
#include "keys/keyring.c" // NOLINT(bugprone-suspicious-include)

static int fd = -1;
static char path[32];

static void write_cert_seeds(const char *dir, const char *name, X509 *x)
{
	char file[256];
	unsigned char *der = NULL;
	BIO *bio = BIO_new(BIO_s_mem());
	char *pem;
	long pem_len;
	int n;

	n = i2d_X509(x, &der);
	REQUIRE(n > 0);
	snprintf(file, sizeof(file), "%s.der", name);
	fuzz_write_seed(dir, file, der, (size_t)n);
	OPENSSL_free(der);

	REQUIRE(bio && PEM_write_bio_X509(bio, x));
	pem_len = BIO_get_mem_data(bio, &pem);
	snprintf(file, sizeof(file), "%s.pem", name);
	fuzz_write_seed(dir, file, pem, (size_t)pem_len);
	BIO_free(bio);
}

static void write_seeds(const char *dir)
{
	static const char proc_keys[] =
		"1d1a3b44 I------     1 perm 1f0b0000     0     0 keyring   .platform: 2\n"
		"0f6c2a59 I------     1 perm 1f030000     0     0 keyring   .ipe: empty\n"
		"2b5e5b44 I--Q---     1 perm 3f010000     0     0 asymmetric ipe-tools: a1b2c3: X509.rsa 1a2b []\n";
	EVP_PKEY *ca_key, *leaf_key;
	X509 *ca, *leaf;
	struct cert_params p = {
		.cn = "ipe-tools fuzz CA", .days = 30, .not_before = 1700000000, .ca = true
	};

	REQUIRE(key_generate(KEY_ALG_EC_P256, &ca_key) == 0);
	REQUIRE(key_generate(KEY_ALG_EC_P256, &leaf_key) == 0);
	REQUIRE(cert_build(ca_key, &p, &ca) == 0);
	p = (struct cert_params){ .cn = "ipe-tools fuzz signer",
				  .days = 30,
				  .not_before = 1700000000,
				  .issuer_cert = ca,
				  .issuer_key = ca_key };
	REQUIRE(cert_build(leaf_key, &p, &leaf) == 0);
	write_cert_seeds(dir, "ca", ca);
	write_cert_seeds(dir, "leaf", leaf);
	fuzz_write_seed(dir, "proc-keys", proc_keys, strlen(proc_keys));
	X509_free(ca);
	X509_free(leaf);
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(leaf_key);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("FUZZ_SEED_DIR");

	(void)argc;
	(void)argv;
	fd = fuzz_memfd("cert", path);
	if (dir)
		write_seeds(dir);
	ERR_clear_error();
	return 0;
}

static void check_string(int r, char *s)
{
	REQUIRE(r == 0 || r == -ENODATA || r == -EBADMSG || r == -EOPNOTSUPP || r == -EIO);
	REQUIRE(r < 0 || s);
	free(s);
}

static void fuzz_cert(const uint8_t *data, size_t size)
{
	_cleanup_free_ unsigned char *der = NULL, *der2 = NULL, *list = NULL;
	size_t len = 0, len2 = 0, list_len = 0;
	X509 *x = NULL, *y;
	const unsigned char *p;
	char *s;
	int r;

	fuzz_memfd_set(fd, data, size);
	r = cert_load(path, &x);
	REQUIRE(r == 0 || r == -EBADMSG || r == -EFBIG);
	if (r < 0)
		return;

	s = NULL, r = cert_kernel_description(x, &s);
	check_string(r, s);
	s = NULL, r = cert_blacklist_description(x, &s);
	check_string(r, s);
	s = NULL, r = cert_skid_hex(x, &s);
	check_string(r, s);
	s = NULL, r = cert_akid_hex(x, &s);
	check_string(r, s);
	s = NULL, r = cert_fingerprint_sha256(x, &s);
	check_string(r, s);
	s = NULL, r = x509_name_text(X509_get_subject_name(x), &s);
	check_string(r, s);
	s = NULL, r = x509_name_text(X509_get_issuer_name(x), &s);
	check_string(r, s);
	(void)cert_profile_problems(x, 1700000000);

	/* What enroll-uefi puts into db: the DER as loaded, behind a 44-byte header. */
	r = cert_to_der(x, &der, &len);
	X509_free(x);
	if (r < 0)
		return;
	REQUIRE(efi_siglist_x509(&IPE_TOOLS_OWNER_GUID, der, len, &list, &list_len) == 0);
	REQUIRE(list_len == 28 + 16 + len && memcmp(list + 44, der, len) == 0);

	p = der;
	y = d2i_X509(NULL, &p, (long)len);
	REQUIRE(y && p == der + len);
	REQUIRE(cert_to_der(y, &der2, &len2) == 0);
	REQUIRE(len2 == len && memcmp(der, der2, len) == 0);
	X509_free(y);
	ERR_clear_error();
}

static void fuzz_proc_keys(const uint8_t *data, size_t size)
{
	static const char *const names[] = { ".platform", ".ipe", "", ":", "keyring" };
	_cleanup_free_ char *text = strndup((const char *)data, size);
	char *line, *save = NULL;

	REQUIRE(text);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		for (size_t i = 0; i < ELEMENTSOF(names); i++) {
			key_serial_t id = 0;

			if (proc_keys_line_matches(line, names[i], &id)) {
				size_t colon = (size_t)(strrchr(line, ':') - line),
				       n = strlen(names[i]);

				/* The type said keyring, and the name runs up to the last colon. */
				REQUIRE(strstr(line, "keyring"));
				REQUIRE(colon >= n && strncmp(line + colon - n, names[i], n) == 0);
			}
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_cert(data, size);
	fuzz_proc_keys(data, size);
	return 0;
}
