// SPDX-License-Identifier: GPL-2.0-only
/*
 * sign-roothash: the detached PKCS#7 signature dm-verity checks in
 * verity_ctr() (root_hash_sig_key_desc / veritysetup --root-hash-signature):
 * a DER SignedData over the lowercase hex root hash exactly as it appears in
 * the table, without a newline.
 */
#include <getopt.h>
#include <stdio.h>

#include "json/json.h"
#include "lib/fileio.h"
#include "lib/log.h"
#include "lib/macro.h"
#include "lib/verbs.h"
#include "policy/digest.h"
#include "policygen/sig_util.h"
#include "policygen/signer.h"
#include "policygen/verb_util.h"
#include "policygen/verbs.h"
#include "verity/manifest.h"
#include "verity/roothash.h"

/* systemd's verity-sig partition payload is NUL-padded to whole 4 KiB blocks. */
#define VERITY_SIG_ALIGN 4096u

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

static int encode_output(enum sig_format format, const unsigned char *der, size_t der_len,
			 const char *hex, X509 *cert, char **ret, size_t *ret_len)
{
	_cleanup_free_ char *b64 = NULL, *line = NULL;
	_cleanup_json_ struct json_object *o = NULL;
	const char *text;
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
		n = asprintf(&line, "%s\n", b64);
		if (n < 0)
			return -ENOMEM;
		*ret_len = (size_t)n;
		*ret = TAKE_PTR(line);
		return 0;
	}

	r = sig_cert_fingerprint(cert, fpr);
	if (r < 0)
		return r;
	/* Compact JSON as systemd-repart writes it. */
	o = json_object_new_object();
	if (!o)
		return -ENOMEM;
	r = json_add(o, "rootHash", json_object_new_string(hex));
	if (r == 0)
		r = json_add(o, "certificateFingerprint", json_object_new_string(fpr));
	if (r == 0)
		r = json_add(o, "signature", json_object_new_string(b64));
	text = r == 0 ? json_format(o, 0) : NULL;
	if (!text)
		return -ENOMEM;
	len = strlen(text);
	padded = DIV_ROUND_UP(len, VERITY_SIG_ALIGN) * VERITY_SIG_ALIGN;
	*ret = calloc(1, padded);
	if (!*ret)
		return -ENOMEM;
	memcpy(*ret, text, len);
	*ret_len = padded;
	return 0;
}

const struct verb sign_roothash_verb = {
	.name = "sign-roothash",
	.run = verb_sign_roothash,
	.min_operands = 0,
	.max_operands = 1,
	.synopsis = "sign-roothash --key K --cert C [-o OUT] (ROOTHASH | --root-hash-file F | --manifest M)",
	.help = "Sign a dm-verity root hash (detached DER PKCS#7 over the lowercase hex text).\n\n"
		"  --key KEY                private key, PEM or DER, mode 0600\n"
		"  --cert CERT              its X.509 certificate, PEM or DER\n"
		"  --root-hash-file FILE    read the root hash from FILE\n"
		"  --manifest MANIFEST      sign the root hash of a verity manifest, and record the signature in it\n"
		"  --nocerts                do not embed the certificate in the signature\n"
		"  --format FORMAT          der (default), base64, verity-sig\n"
		"  --hash ALG               algorithm of a bare root hash (checks its length)\n"
		"  -o, --output FILE        where to write the signature (default: stdout)\n",
};

int verb_sign_roothash(int argc, char *argv[])
{
	enum { ARG_FORMAT = SIGNER_OPT_VERB, ARG_HASH, ARG_ROOT_HASH_FILE, ARG_MANIFEST };
	static const struct option options[] = { SIGNER_OPTIONS,
						 { "format", required_argument, NULL, ARG_FORMAT },
						 { "hash", required_argument, NULL, ARG_HASH },
						 { "root-hash-file", required_argument, NULL,
						   ARG_ROOT_HASH_FILE },
						 { "manifest", required_argument, NULL, ARG_MANIFEST },
						 { "output", required_argument, NULL, 'o' },
						 {} };
	_cleanup_(verity_params_done) struct verity_params m = {};
	_cleanup_(signer_done) struct signer signer = {};
	_cleanup_(atomic_file_discard) struct atomic_file sig_file = ATOMIC_FILE_INIT;
	_cleanup_free_ char *out_buf = NULL;
	_cleanup_free_ unsigned char *der = NULL;
	const char *hash_alg = NULL, *root_hash_file = NULL, *manifest_path = NULL, *output = "-";
	const struct digest_alg *alg = NULL;
	enum sig_format format = FORMAT_DER;
	char hex[2 * DIGEST_MAX_SIZE + 1];
	size_t der_len, out_len;
	struct root_hash rh = {};
	const char *source;
	int c, r;

	while ((c = getopt_long(argc, argv, "o:", options, NULL)) >= 0) {
		if (signer_parse_option(c, optarg, &signer))
			continue;
		switch (c) {
		case ARG_FORMAT:
			r = format_from_name(optarg);
			if (r < 0)
				return usage_error("--format: \"%s\" is not der, base64 or verity-sig",
						   optarg);
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
	r = verb_operands(argc - optind);
	if (r < 0)
		return r;
	r = signer_check_usage(&signer, "sign-roothash");
	if (r < 0)
		return r;
	if ((optind < argc) + !!root_hash_file + !!manifest_path != 1)
		return usage_error("give exactly one of ROOTHASH, --root-hash-file or --manifest");
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
		if (hash_alg && !streq(hash_alg, m.hash_alg))
			return usage_error("--hash %s, but %s says %s", hash_alg, manifest_path,
					   m.hash_alg);
		hash_alg = m.hash_alg;
		rh.size = m.digest_size;
		memcpy(rh.bytes, m.root_hash, rh.size);
		source = manifest_path;
	} else {
		source = root_hash_file ?: "root hash";
		if (root_hash_file)
			r = root_hash_read_file(root_hash_file, 0, &rh);
		else
			r = root_hash_parse(argv[optind], strlen(argv[optind]), 0, &rh);
		if (r == -EFBIG)
			return log_error_errno(-EINVAL, "%s: too large for a root hash file", source);
		if (r == -EINVAL)
			return log_error_errno(r,
					       "%s: not a hex root hash (hex digits only, "
					       "at most one trailing newline)",
					       source);
		if (r < 0)
			return log_error_errno(r, "%s: %m", source);
		if (!hash_alg) {
			alg = digest_alg_assumed(rh.size);
			if (!alg)
				return log_error_errno(-EINVAL,
						       "%s: %zu hex digits is not the size of a "
						       "supported digest",
						       source, 2 * rh.size);
			log_info("%s: %zu hex digits, taken as a %s root hash (--hash names the algorithm)",
				 source, 2 * rh.size, alg->name);
		}
	}
	if (!alg)
		alg = digest_alg_find(hash_alg);
	if (!alg)
		return log_error_errno(-EINVAL, "%s: unknown hash algorithm \"%s\"", source, hash_alg);
	if (rh.size != alg->size)
		return log_error_errno(-EINVAL, "%s: %zu hex digits, but a %s root hash has %zu",
				       source, 2 * rh.size, alg->name, 2 * alg->size);
	root_hash_hex(&rh, hex);

	r = signer_load(&signer);
	if (r < 0)
		return r;
	r = signer_sign(&signer, hex, strlen(hex), false, source, &der, &der_len);
	if (r != 0)
		return r;

	r = encode_output(format, der, der_len, hex, signer.cert, &out_buf, &out_len);
	if (r < 0)
		return log_error_errno(r, "encoding the signature: %m");
	if (!manifest_path)
		return write_output_logged(output, out_buf, out_len);

	/*
	 * The signature is written completely but named only after the manifest
	 * records it: a manifest that cannot be rewritten leaves no signature
	 * file behind.
	 */
	r = atomic_file_open(&sig_file, output, 0644, 0);
	if (r == 0)
		r = write_all(sig_file.fd, out_buf, out_len);
	if (r < 0)
		return log_output_error(r, output, "cannot write");
	r = manifest_add_signature(manifest_path, output, format_names[format], out_buf, out_len);
	if (r == -EBADMSG)
		return log_error_errno(r, "%s: not a verity manifest (one JSON object, nothing after it); no signature written",
				       manifest_path);
	if (r < 0)
		return log_output_error(r, manifest_path,
					"cannot record the signature; no signature written");
	r = atomic_file_commit(&sig_file);
	if (r < 0)
		return log_error_errno(r, "%s: cannot write: %m (%s already records it)", output,
				       manifest_path);
	return 0;
}
