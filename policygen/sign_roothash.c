// SPDX-License-Identifier: GPL-2.0-only
/*
 * sign-roothash: the detached PKCS#7 signature dm-verity checks in
 * verity_ctr() (root_hash_sig_key_desc / veritysetup --root-hash-signature):
 * a DER SignedData over the lowercase hex root hash exactly as it appears in
 * the table, without a newline.
 */
#include <getopt.h>
#include <stdio.h>

#include "lib/fileio.h"
#include "lib/log.h"
#include "lib/macro.h"
#include "lib/verbs.h"
#include "verity/manifest.h"
#include "policygen/sig_util.h"
#include "policygen/signer.h"
#include "policygen/verb_util.h"
#include "policygen/verbs.h"

/* systemd's verity-sig partition payload is NUL-padded to whole 4 KiB blocks. */
#define VERITY_SIG_ALIGN 4096u

/* A root-hash file holds at most 128 hex digits and a newline. */
#define ROOT_HASH_FILE_MAX 4096u

enum sig_format { FORMAT_DER, FORMAT_BASE64, FORMAT_VERITY_SIG };

static const char *const format_names[] = {
	[FORMAT_DER] = "der",
	[FORMAT_BASE64] = "base64",
	[FORMAT_VERITY_SIG] = "verity-sig",
};

static int format_from_name(const char *name)
{
	for (unsigned i = 0; i < ELEMENTSOF(format_names); i++)
		if (streq(name, format_names[i]))
			return (int)i;
	return -EINVAL;
}

/* One line of text from a root-hash file (veritysetup --root-hash-file or a shell `> file`). */
static int read_root_hash_file(const char *path, char **ret)
{
	_cleanup_free_ char *buf = NULL;
	size_t len;
	int r;

	r = read_full_file(path, ROOT_HASH_FILE_MAX, &buf, &len);
	if (r == -EFBIG)
		return log_error_errno(-EINVAL, "%s: too large for a root hash file", path);
	if (r < 0)
		return log_error_errno(r, "%s: %m", path);
	if (strlen(buf) != len)
		return log_error_errno(-EINVAL, "%s: contains a NUL byte, not a root hash", path);
	*ret = TAKE_PTR(buf);
	return 0;
}

static int encode_output(enum sig_format format, const unsigned char *der, size_t der_len,
			 const char *hex, X509 *cert, char **ret, size_t *ret_len)
{
	_cleanup_free_ char *b64 = NULL, *json = NULL;
	char fpr[65];
	size_t len, padded;
	int n, r;

	if (format == FORMAT_DER) {
		*ret = malloc(der_len);
		if (!*ret)
			return -ENOMEM;
		memcpy(*ret, der, der_len);
		*ret_len = der_len;
		return 0;
	}

	b64 = sig_base64(der, der_len);
	if (!b64)
		return -ENOMEM;
	if (format == FORMAT_BASE64) {
		/* One line, for veritytab's root-hash-signature=base64:… */
		n = asprintf(&json, "%s\n", b64);
		if (n < 0)
			return -ENOMEM;
		*ret_len = (size_t)n;
		*ret = TAKE_PTR(json);
		return 0;
	}

	r = sig_cert_fingerprint(cert, fpr);
	if (r < 0)
		return r;
	/* Compact JSON as systemd-repart writes it; hex and base64 need no escaping. */
	n = asprintf(&json, "{\"rootHash\":\"%s\",\"certificateFingerprint\":\"%s\",\"signature\":\"%s\"}",
		     hex, fpr, b64);
	if (n < 0)
		return -ENOMEM;
	len = (size_t)n;
	padded = DIV_ROUND_UP(len, VERITY_SIG_ALIGN) * VERITY_SIG_ALIGN;
	*ret = calloc(1, padded);
	if (!*ret)
		return -ENOMEM;
	memcpy(*ret, json, len);
	*ret_len = padded;
	return 0;
}

int verb_sign_roothash(int argc, char *argv[])
{
	enum { ARG_FORMAT = SIGNER_OPT_VERB, ARG_HASH, ARG_ROOT_HASH_FILE, ARG_MANIFEST };
	static const struct option options[] = {
		SIGNER_OPTIONS,
		{ "format", required_argument, NULL, ARG_FORMAT },
		{ "hash", required_argument, NULL, ARG_HASH },
		{ "root-hash-file", required_argument, NULL, ARG_ROOT_HASH_FILE },
		{ "manifest", required_argument, NULL, ARG_MANIFEST },
		{ "output", required_argument, NULL, 'o' },
		{}
	};
	_cleanup_(manifest_done) struct verity_manifest m = {};
	_cleanup_(signer_done) struct signer signer = {};
	_cleanup_free_ char *hex = NULL, *out_buf = NULL;
	_cleanup_free_ unsigned char *der = NULL;
	const char *hash_alg = NULL, *root_hash_file = NULL, *manifest_path = NULL, *output = "-";
	const char *source, *alg;
	enum sig_format format = FORMAT_DER;
	size_t der_len, out_len, want;
	int c, r;

	while ((c = getopt_long(argc, argv, "o:", options, NULL)) >= 0) {
		if (signer_parse_option(c, optarg, &signer))
			continue;
		switch (c) {
		case ARG_FORMAT:
			r = format_from_name(optarg);
			if (r < 0)
				return usage_error("--format: \"%s\" is not der, base64 or verity-sig", optarg);
			format = (enum sig_format)r;
			break;
		case ARG_HASH:
			hash_alg = optarg;
			break;
		case ARG_ROOT_HASH_FILE:
			root_hash_file = optarg;
			break;
		case ARG_MANIFEST:
			manifest_path = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		default:
			return -EINVAL;
		}
	}
	r = signer_check_usage(&signer, "sign-roothash");
	if (r < 0)
		return r;
	if ((optind < argc) + !!root_hash_file + !!manifest_path != 1)
		return usage_error("give exactly one of ROOTHASH, --root-hash-file or --manifest");
	if (optind + 1 < argc)
		return usage_error("unexpected argument \"%s\"", argv[optind + 1]);
	if (manifest_path && streq(output, "-"))
		return usage_error("--manifest records the signature file: give -o FILE");
	if (format != FORMAT_BASE64) {
		r = refuse_binary_terminal(output);
		if (r < 0)
			return r;
	}

	/* The text to sign, and the algorithm that fixes its length. */
	if (manifest_path) {
		r = manifest_load(manifest_path, &m);
		if (r == -EBADMSG)
			return log_error_errno(r, "%s: not a verity manifest", manifest_path);
		if (r < 0)
			return log_error_errno(r, "%s: %m", manifest_path);
		hex = malloc(2 * VERITY_MAX_DIGEST + 1);
		if (!hex)
			return log_error_errno(-ENOMEM, "%m");
		manifest_root_hash_hex(&m, hex);
		if (hash_alg && !streq(hash_alg, m.hash_alg))
			return usage_error("--hash %s, but %s says %s", hash_alg, manifest_path, m.hash_alg);
		alg = m.hash_alg;
		source = manifest_path;
	} else {
		if (root_hash_file) {
			r = read_root_hash_file(root_hash_file, &hex);
			if (r < 0)
				return r;
			source = root_hash_file;
		} else {
			hex = strdup(argv[optind]);
			if (!hex)
				return log_error_errno(-ENOMEM, "%m");
			source = "root hash";
		}
		if (sig_root_hash_normalize(hex) < 0)
			return log_error_errno(-EINVAL, "%s: not a hex root hash (hex digits only, "
					       "at most one trailing newline)", source);
		alg = hash_alg;
		if (!alg) {
			alg = sig_guess_alg(strlen(hex));
			if (!alg)
				return log_error_errno(-EINVAL, "%s: %zu hex digits is not the size of a "
						       "supported digest", source, strlen(hex));
			log_info("%s: %zu hex digits, taken as a %s root hash (--hash names the algorithm)",
				 source, strlen(hex), alg);
		}
	}
	want = sig_digest_size(alg);
	if (want == 0)
		return log_error_errno(-EINVAL, "%s: unknown hash algorithm \"%s\"", source, alg);
	if (strlen(hex) != 2 * want)
		return log_error_errno(-EINVAL, "%s: %zu hex digits, but a %s root hash has %zu",
				       source, strlen(hex), alg, 2 * want);

	r = signer_load(&signer);
	if (r < 0)
		return r;
	r = signer_sign(&signer, hex, strlen(hex), false, source, &der, &der_len);
	if (r != 0)
		return r;

	r = encode_output(format, der, der_len, hex, signer.cert, &out_buf, &out_len);
	if (r < 0)
		return log_error_errno(r, "encoding the signature: %m");
	r = write_output_logged(output, out_buf, out_len);
	if (r < 0)
		return r;

	if (manifest_path) {
		r = manifest_add_signature(manifest_path, output, format_names[format]);
		if (r < 0)
			return log_error_errno(r, "%s: recording the signature: %m", manifest_path);
	}
	return 0;
}
