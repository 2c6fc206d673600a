// SPDX-License-Identifier: GPL-2.0-only
/*
 * sign: an IPE policy in the form securityfs new_policy/update accept, an
 * attached DER PKCS#7 SignedData whose content is the policy text byte for
 * byte (the kernel parses the embedded content, set_pkcs7_data()).
 */
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>

#include "lib/fileio.h"
#include "lib/log.h"
#include "lib/macro.h"
#include "lib/verbs.h"
#include "crypto/pkcs7.h"
#include "policy/policy.h"
#include "policygen/signer.h"
#include "policygen/verb_util.h"
#include "policygen/verbs.h"

/* systemd loads /etc/ipe/NAME.p7b: by default the output is named after the policy. */
static int default_output(const char *policy_path, const char *name, char **ret)
{
	_cleanup_free_ char *copy = NULL;
	const char *dir = ".";

	if (!streq(policy_path, "-")) {
		copy = strdup(policy_path);
		if (!copy)
			return -ENOMEM;
		dir = dirname(copy);
	}
	if (asprintf(ret, "%s/%s.p7b", dir, name) < 0)
		return -ENOMEM;
	return 0;
}

/* Whether the kernel can copy @len bytes of policy (IPE_POLICY_COPY_MAX); logs why not. */
static bool fits_kernel_copy(const char *path, const char *how, size_t len)
{
	if (len <= IPE_POLICY_COPY_MAX)
		return true;
	log_error("%s: %s%zu bytes; the kernel cannot copy a policy above %u bytes (ENOMEM), not signing",
		  path, how, len, IPE_POLICY_COPY_MAX);
	return false;
}
const struct verb sign_verb = {
	.name = "sign",
	.run = verb_sign,
	.min_operands = 1,
	.max_operands = 1,
	.synopsis = "sign --key K --cert C [--nocerts] [-o OUT.p7b] POLICY",
	.help = "Check an IPE policy and sign it for securityfs (attached DER PKCS#7).\n\n"
		"  --key KEY                private key, PEM or DER, mode 0600\n"
		"  --cert CERT              its X.509 certificate, PEM or DER\n"
		"  --nocerts                do not embed the certificate\n"
		"  -o, --output FILE        default: NAME.p7b beside POLICY, NAME being its policy_name\n",
};

int verb_sign(int argc, char *argv[])
{
	static const struct option options[] = { SIGNER_OPTIONS,
						 { "output", required_argument, NULL, 'o' },
						 {} };
	_cleanup_(ipe_check_result_done) struct ipe_check_result res = {};
	_cleanup_(signer_done) struct signer signer = {};
	_cleanup_free_ char *text = NULL, *out_default = NULL;
	_cleanup_free_ unsigned char *der = NULL;
	const char *output = NULL, *policy_path;
	size_t len, der_len;
	int c, r;

	while ((c = getopt_long(argc, argv, "o:", options, NULL)) >= 0) {
		if (signer_parse_option(c, optarg, &signer))
			continue;
		if (c != 'o')
			return -EINVAL;
		output = optarg;
	}
	r = verb_operands(argc - optind);
	if (r < 0)
		return r;
	r = signer_check_usage(&signer, "sign");
	if (r < 0)
		return r;
	policy_path = argv[optind];

	r = read_full_file(policy_path, READ_FULL_MAX, &text, &len);
	if (r < 0)
		return log_error_errno(r, "%s: %m", policy_path);
	r = refuse_key_material(policy_path, text, len, "a policy");
	if (r < 0)
		return r;
	if (!fits_kernel_copy(policy_path, "", len))
		return EXIT_NEGATIVE;
	if (pkcs7_looks_like(text, len)) {
		log_error("%s: already a signed policy (PKCS#7); sign the policy text", policy_path);
		return EXIT_NEGATIVE;
	}

	/* Only what the kernel will load gets signed. */
	r = ipe_policy_check(text, len, &res);
	if (r < 0)
		return log_error_errno(r, "%s: %m", policy_path);
	log_policy_diags(policy_path, &res);
	if (res.kernel_errno != 0) {
		log_error("%s: the kernel would refuse this policy (%zu error%s), not signing",
			  policy_path, res.n_errors, res.n_errors == 1 ? "" : "s");
		return EXIT_NEGATIVE;
	}

	if (!output) {
		r = default_output(policy_path, res.name, &out_default);
		if (r < 0)
			return log_error_errno(r, "%m");
		output = out_default;
	}
	r = refuse_binary_terminal(output);
	if (r < 0)
		return r;

	r = signer_load(&signer);
	if (r < 0)
		return r;
	r = signer_sign(&signer, text, len, true, policy_path, &der, &der_len);
	if (r != 0)
		return r;
	if (!fits_kernel_copy(policy_path, "signed, ", der_len))
		return EXIT_NEGATIVE;

	r = write_output_logged(output, der, der_len);
	if (r < 0)
		return r;
	return 0;
}
