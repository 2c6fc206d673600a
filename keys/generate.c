// SPDX-License-Identifier: GPL-2.0-only
/* ipe-keys generate: a private key and its certificate, self-signed or issued by a CA. */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <sys/stat.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "crypto/keyfile.h"
#include "keys/load.h"
#include "crypto/openssl_util.h"
#include "keys/verbs.h"
#include "keys/x509_profile.h"
#include "lib/escape.h"
#include "lib/chase.h"
#include "lib/fileio.h"
#include "lib/log.h"
#include "lib/parse_util.h"
#include "lib/verbs.h"

#define DEFAULT_DAYS 3650
#define MAX_DAYS 36500

/* The key, the PEM and the DER certificate, in the order they are written. */
enum { OUT_KEY, OUT_CRT, OUT_DER, OUT_N };
static const char *const out_suffix[OUT_N] = { "key", "crt", "der" };

struct outputs {
	char *path[OUT_N];
	unsigned n_written;
};

static void outputs_done(struct outputs *o)
{
	/* Anything written before a failure goes again: all three files, or none. */
	for (unsigned i = 0; i < o->n_written; i++)
		unlink(o->path[i]);
	for (unsigned i = 0; i < OUT_N; i++)
		free(o->path[i]);
}

static int load_issuer(const char *key_path, const char *cert_path, EVP_PKEY **ret_key, X509 **ret_cert)
{
	_cleanup_(EVP_PKEY_freep) EVP_PKEY *key = NULL;
	_cleanup_(X509_freep) X509 *cert = NULL;
	unsigned problems;
	int r;

	r = load_cert_logged(cert_path, &cert);
	if (r < 0)
		return r;
	problems = cert_profile_problems(cert, time(NULL));
	if (problems & CERT_EXPIRED)
		return log_error_errno(-EKEYEXPIRED, "%s: the issuer certificate has expired",
				       cert_path);
	if (problems & CERT_NOT_YET_VALID)
		return log_error_errno(-EKEYEXPIRED, "%s: the issuer certificate is not valid yet",
				       cert_path);
	if (problems & CERT_NOT_CA)
		return log_error_errno(-EKEYREJECTED,
				       "%s: not a CA certificate (needs basicConstraints CA:TRUE and keyUsage keyCertSign; make one with 'generate --ca')",
				       cert_path);
	r = load_key_logged(key_path, cert, cert_path, &key);
	if (r < 0)
		return r;
	*ret_key = TAKE_PTR(key);
	*ret_cert = TAKE_PTR(cert);
	return 0;
}

/* The contents of a memory BIO as a new file @path. */
static int write_bio(BIO *bio, const char *path, mode_t mode)
{
	char *data;
	long len = BIO_get_mem_data(bio, &data);

	if (len <= 0)
		return -EIO;
	return write_file_atomic(path, data, (size_t)len, mode, ATOMIC_NO_REPLACE);
}

/* PEM of @key through a secure-heap BIO, which wipes the text when freed. */
static int write_private_key(EVP_PKEY *key, const char *path)
{
	_cleanup_(BIO_freep) BIO *bio = BIO_new(BIO_s_secmem());

	if (!bio)
		return -ENOMEM;
	if (PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL) != 1) {
		ERR_clear_error();
		return -EIO;
	}
	return write_bio(bio, path, 0600);
}

static int write_cert_pem(X509 *cert, const char *path)
{
	_cleanup_(BIO_freep) BIO *bio = BIO_new(BIO_s_mem());

	if (!bio)
		return -ENOMEM;
	if (PEM_write_bio_X509(bio, cert) != 1) {
		ERR_clear_error();
		return -EIO;
	}
	return write_bio(bio, path, 0644);
}

/*
 * mkdir -p: every missing component of @dir is created with @mode (a new
 * directory holds a private key: nobody else needs to list it).
 */
static int mkdir_p(const char *dir, mode_t mode)
{
	_cleanup_free_ char *p = strdup(dir);
	struct stat st;

	if (!p)
		return -ENOMEM;
	for (char *s = p; *s; s++) {
		/* Each component in turn: "a", "a/b", ... (a leading '/' is the root). */
		if (*s != '/' || s == p || s[-1] == '/')
			continue;
		*s = 0;
		if (mkdir(p, mode) < 0 && errno != EEXIST)
			return -errno;
		*s = '/';
	}
	if (mkdir(p, mode) == 0)
		return 0;
	if (errno != EEXIST)
		return -errno;
	if (stat(p, &st) < 0)
		return -errno;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

/*
 * The private key goes nowhere another user could read, replace or pre-plant
 * it: the directory is walked as outputs are (lib/chase.h), created 0700 when
 * missing, and must be owned by the caller or root and writable by nobody
 * else.
 */
static int open_out_dir(const char *out_dir)
{
	_cleanup_free_ char *path = strdup(out_dir), *name = NULL;
	_cleanup_close_ int dir = -1, fd = -1;
	size_t n;
	int r;

	if (!path)
		return log_error_errno(-ENOMEM, "out of memory");
	for (n = strlen(path); n > 1 && path[n - 1] == '/';) /* "keys/" names the directory "keys" */
		path[--n] = 0;
	r = chase_parent(path, 0, &dir, &name);
	if (r == -ENOENT) { /* a missing parent: mkdir -p, then walk again */
		r = mkdir_p(path, 0700);
		if (r < 0)
			return log_error_errno(r, "%s: cannot create the output directory: %m",
					       out_dir);
		r = chase_parent(path, 0, &dir, &name);
	}
	if (r == -EISDIR) /* ".", "..", "/": no link to follow */
		fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	else if (r < 0)
		return log_output_error(r, out_dir, "cannot create the output directory");
	else {
		if (mkdirat(dir, name, 0700) < 0 && errno != EEXIST)
			return log_error_errno(-errno, "%s: cannot create the output directory: %m",
					       out_dir);
		fd = openat(dir, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd < 0)
		return log_error_errno(-errno, "%s: cannot create the output directory: %m", out_dir);
	r = secret_dir_check(fd);
	if (r == -EPERM)
		return log_error_errno(r, "%s: owned by another user or writable by group or others; refusing to put a private key there (use a directory of your own, chmod go-w)",
				       out_dir);
	if (r < 0)
		return log_error_errno(r, "%s: %m", out_dir);
	return 0;
}
const struct verb generate_verb = {
	.name = "generate",
	.run = verb_generate,
	.min_operands = 0,
	.max_operands = 0,
	.synopsis = "generate --out-dir DIR [--cn NAME] [--algorithm ALG] [--days N] [--ca] [--issuer-key K --issuer-cert C]",
	.help = "Write a new private key and an X.509 v3 certificate for it into DIR (created\n"
		"with its parents if missing, new directories 0700): signing.key (0600),\n"
		"signing.crt and signing.der, or ca.key, ca.crt and ca.der with --ca.\n"
		"Nothing is overwritten.\n"
		"\n"
		"  --out-dir DIR        where the three files go\n"
		"  --cn NAME            subject commonName (default \"ipe-tools signing key\",\n"
		"                       \"ipe-tools CA\" with --ca)\n"
		"  --algorithm ALG      rsa3072 (default), rsa4096, ec-p256 or ec-p384\n"
		"  --days N             validity in days, 1 to 36500 (default 3650)\n"
		"  --ca                 a CA certificate (keyCertSign, cRLSign) instead of a\n"
		"                       codeSigning leaf\n"
		"  --issuer-key K       issue the certificate with this CA key ...\n"
		"  --issuer-cert C      ... and its certificate (made with 'generate --ca')\n",
};

int verb_generate(int argc, char *argv[])
{
	enum {
		ARG_CN = 0x100,
		ARG_ALG,
		ARG_DAYS,
		ARG_CA,
		ARG_ISSUER_KEY,
		ARG_ISSUER_CERT,
		ARG_OUT_DIR
	};
	static const struct option options[] = {
		{ "out-dir", required_argument, NULL, ARG_OUT_DIR },
		{ "cn", required_argument, NULL, ARG_CN },
		{ "algorithm", required_argument, NULL, ARG_ALG },
		{ "days", required_argument, NULL, ARG_DAYS },
		{ "ca", no_argument, NULL, ARG_CA },
		{ "issuer-key", required_argument, NULL, ARG_ISSUER_KEY },
		{ "issuer-cert", required_argument, NULL, ARG_ISSUER_CERT },
		{}
	};
	_cleanup_(EVP_PKEY_freep) EVP_PKEY *key = NULL, *issuer_key = NULL;
	_cleanup_(X509_freep) X509 *cert = NULL, *issuer_cert = NULL;
	_cleanup_(outputs_done) struct outputs o = {};
	_cleanup_free_ char *desc = NULL, *fpr = NULL, *shown = NULL;
	_cleanup_free_ unsigned char *der = NULL;
	const char *out_dir = NULL, *cn = NULL, *issuer_key_path = NULL, *issuer_cert_path = NULL;
	enum key_algorithm alg = KEY_ALG_RSA3072;
	struct cert_params params = {};
	uint32_t days = DEFAULT_DAYS;
	size_t der_len;
	const char *base;
	bool ca = false;
	int c, r;

	while ((c = getopt_long(argc, argv, "", options, NULL)) >= 0) {
		switch (c) {
		case ARG_OUT_DIR:
			out_dir = optarg;
			break;
		case ARG_CN:
			cn = optarg;
			break;
		case ARG_ALG:
			if (key_algorithm_from_string(optarg, &alg) < 0)
				return usage_error("unknown --algorithm '%s' (rsa3072, rsa4096, ec-p256, ec-p384)",
						   optarg);
			break;
		case ARG_DAYS:
			if (safe_atou32(optarg, &days) < 0 || days == 0 || days > MAX_DAYS)
				return usage_error("--days needs a number from 1 to %u", MAX_DAYS);
			break;
		case ARG_CA:
			ca = true;
			break;
		case ARG_ISSUER_KEY:
			issuer_key_path = optarg;
			break;
		case ARG_ISSUER_CERT:
			issuer_cert_path = optarg;
			break;
		default:
			return -EINVAL;
		}
	}
	r = verb_operands(argc - optind);
	if (r < 0)
		return r;
	if (!out_dir)
		return usage_error("generate needs --out-dir DIR");
	if (!issuer_key_path != !issuer_cert_path)
		return usage_error("--issuer-key and --issuer-cert go together");
	if (cn && !*cn)
		return usage_error("--cn must not be empty");

	base = ca ? "ca" : "signing";
	for (unsigned i = 0; i < OUT_N; i++)
		if (asprintf(&o.path[i], "%s/%s.%s", out_dir, base, out_suffix[i]) < 0)
			return log_error_errno(-ENOMEM, "out of memory");

	if (issuer_key_path) {
		r = load_issuer(issuer_key_path, issuer_cert_path, &issuer_key, &issuer_cert);
		if (r < 0)
			return r;
	}

	r = open_out_dir(out_dir);
	if (r < 0)
		return r;
	/* Checked up front so an existing file is never half-replaced by a set of three. */
	for (unsigned i = 0; i < OUT_N; i++)
		if (access(o.path[i], F_OK) == 0)
			return log_error_errno(-EEXIST, "%s: already exists, refusing to overwrite it",
					       o.path[i]);

	key_material_protect();
	r = key_generate(alg, &key);
	if (r < 0)
		return log_error_errno(r, "cannot generate the key: %m");

	params = (struct cert_params){
		.cn = cn ?: (ca ? "ipe-tools CA" : "ipe-tools signing key"),
		.days = days,
		.not_before = time(NULL),
		.ca = ca,
		.issuer_cert = issuer_cert,
		.issuer_key = issuer_key,
	};
	r = cert_build(key, &params, &cert);
	if (r < 0)
		return log_error_errno(r, "cannot issue the certificate: %m");
	r = cert_to_der(cert, &der, &der_len);
	if (r < 0)
		return log_error_errno(r, "cannot encode the certificate: %m");
	r = cert_kernel_description(cert, &desc);
	if (r >= 0)
		r = cert_fingerprint_sha256(cert, &fpr);
	if (r < 0)
		return log_error_errno(r, "cannot describe the certificate: %m");

	r = write_private_key(key, o.path[OUT_KEY]);
	if (r < 0)
		return log_output_error(r, o.path[OUT_KEY], "cannot write the private key");
	o.n_written++;
	r = write_cert_pem(cert, o.path[OUT_CRT]);
	if (r < 0)
		return log_output_error(r, o.path[OUT_CRT], "cannot write the certificate");
	o.n_written++;
	r = write_file_atomic(o.path[OUT_DER], der, der_len, 0644, ATOMIC_NO_REPLACE);
	if (r < 0)
		return log_output_error(r, o.path[OUT_DER], "cannot write the certificate");

	printf("key:         %s (0600)\n", o.path[OUT_KEY]);
	printf("certificate: %s, %s\n", o.path[OUT_CRT], o.path[OUT_DER]);
	shown = escape_text(desc);
	printf("kernel key:  \"%s\"\n", shown ?: "?");
	printf("sha256:      %s\n", fpr);
	o.n_written = 0; /* keep them */
	return 0;
}
