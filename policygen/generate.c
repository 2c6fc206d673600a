// SPDX-License-Identifier: GPL-2.0-only
/*
 * generate: an IPE policy that pins dm-verity images by root hash (and/or
 * trusts signed volumes or the initramfs) for the operations asked for.
 */
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <sys/stat.h>

#include "crypto/pkcs7.h"
#include "lib/errno_name.h"
#include "lib/fileio.h"
#include "lib/log.h"
#include "lib/macro.h"
#include "lib/verbs.h"
#include "policy/policy.h"
#include "policygen/generate_policy.h"
#include "policygen/verb_util.h"
#include "policygen/verbs.h"
#include "verity/manifest.h"
#include "verity/superblock.h"

struct gen_args {
	struct gen_spec spec;
	char *name_from_previous;
	bool have_version;
};

static void gen_args_done(struct gen_args *a)
{
	gen_images_free(a->spec.allow, a->spec.n_allow);
	gen_images_free(a->spec.deny, a->spec.n_deny);
	free(a->name_from_previous);
}

static const char *file_label(const char *path, char *buf, size_t size)
{
	_cleanup_free_ char *copy = strdup(path);

	snprintf(buf, size, "%s", copy ? basename(copy) : path);
	return buf;
}

static int add_image(struct gen_args *a, struct gen_image *img, bool deny)
{
	int r;

	if (deny)
		r = gen_images_append(&a->spec.deny, &a->spec.n_deny, img);
	else
		r = gen_images_append(&a->spec.allow, &a->spec.n_allow, img);
	if (r < 0)
		return log_error_errno(r, "%m");
	return 0;
}

static int image_error(int r, const char *what, const char *alg)
{
	if (r == -EPROTONOSUPPORT)
		return log_error_errno(-EINVAL, "%s: \"%s\" is not a digest algorithm IPE documents",
				       what, alg);
	if (r == -EBADMSG)
		return log_error_errno(-EINVAL, "%s: root hash length does not match %s", what, alg);
	return log_error_errno(r, "%s: %m", what);
}

static int add_manifest(struct gen_args *a, const char *path)
{
	_cleanup_(verity_params_done) struct verity_params m = {};
	struct gen_image img;
	char label[256];
	int r;

	r = manifest_load(path, &m);
	if (r == -EBADMSG)
		return log_error_errno(-EINVAL, "%s: not a verity manifest", path);
	if (r < 0)
		return log_error_errno(r, "%s: %m", path);
	file_label(m.data_path ? m.data_path : path, label, sizeof(label));
	r = gen_image_set(&img, label, m.hash_alg, m.root_hash, m.digest_size);
	if (r < 0)
		return image_error(r, path, m.hash_alg);
	return add_image(a, &img, false);
}

static int add_data_hash(struct gen_args *a, const char *arg)
{
	_cleanup_(verity_params_done) struct verity_params m = {};
	_cleanup_free_ char *data = NULL;
	const char *hash;
	struct gen_image img;
	struct stat st;
	char label[256];
	int r;

	/* DATA:HASH; a ':' inside DATA is not supported, one in HASH is. */
	hash = strchr(arg, ':');
	if (!hash || hash == arg || hash[1] == 0)
		return usage_error("--image: \"%s\" is not DATA:HASH", arg);
	data = strndup(arg, (size_t)(hash - arg));
	if (!data)
		return log_error_errno(-ENOMEM, "%m");
	hash++;
	r = verity_image_describe(data, hash, 0, &m);
	if (r == -EBADMSG)
		return log_error_errno(-EINVAL,
				       "%s: no dm-verity superblock (use --manifest or --roothash "
				       "for images formatted without one)",
				       hash);
	if (r < 0)
		return log_error_errno(r, "%s: %m", hash);
	/* dm-verity refuses a data device shorter than the tree covers: catch a wrong DATA now. */
	if (stat(data, &st) < 0)
		return log_error_errno(-errno, "%s: %m", data);
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size < m.data_blocks * m.data_block_size)
		return log_error_errno(-EINVAL, "%s: %jd bytes, but the hash tree in %s covers %ju",
				       data, (intmax_t)st.st_size, hash,
				       (uintmax_t)(m.data_blocks * m.data_block_size));
	file_label(data, label, sizeof(label));
	r = gen_image_set(&img, label, m.hash_alg, m.root_hash, m.digest_size);
	if (r < 0)
		return image_error(r, hash, m.hash_alg);
	return add_image(a, &img, false);
}

static int add_roothash(struct gen_args *a, const char *opt, const char *arg, bool deny)
{
	struct gen_image img;
	int r;

	r = gen_image_from_roothash(arg, &img);
	if (r == -EINVAL)
		return usage_error("%s: \"%s\" is not ALG:HEX", opt, arg);
	if (r < 0) {
		_cleanup_free_ char *alg = strndup(arg, strcspn(arg, ":"));

		return image_error(r, opt, alg ? alg : "?");
	}
	return add_image(a, &img, deny);
}

static int add_op(struct gen_args *a, const char *name)
{
	enum ipe_op op = ipe_op_from_name(name);

	if (op == IPE_OP_INVALID)
		return usage_error("--op: \"%s\" is not an IPE operation (EXECUTE, FIRMWARE, KMODULE, "
				   "KEXEC_IMAGE, KEXEC_INITRAMFS, POLICY, X509_CERT)",
				   name);
	for (size_t i = 0; i < a->spec.n_ops; i++)
		if (a->spec.ops[i] == op)
			return 0;
	a->spec.ops[a->spec.n_ops++] = op;
	return 0;
}

/* The version after a previous policy, text or signed; its signature is not checked here. */
static int version_from(struct gen_args *a, const char *path)
{
	_cleanup_(ipe_policy_freep) struct ipe_policy *p = NULL;
	_cleanup_free_ unsigned char *content = NULL;
	_cleanup_free_ char *buf = NULL;
	struct ipe_parse_error err = {};
	const char *text;
	size_t len;
	int r;

	r = read_full_file(path, READ_FULL_MAX, &buf, &len);
	if (r < 0)
		return log_error_errno(r, "%s: %m", path);
	r = refuse_key_material(path, buf, len, "a policy");
	if (r < 0)
		return r;
	text = buf;
	if (pkcs7_looks_like(buf, len)) {
		r = pkcs7_content(buf, len, &content, &len);
		if (r < 0)
			return log_error_errno(-EINVAL, "%s: not an attached PKCS#7 policy", path);
		text = (const char *)content;
	}
	r = ipe_policy_parse(text, len, &p, &err);
	if (r == -ENOMEM)
		return log_error_errno(r, "%m");
	if (r < 0)
		return log_error_errno(-EINVAL, "%s:%u: not a valid IPE policy: %s", path, err.line,
				       err.message);
	r = gen_next_version(p->version, a->spec.version);
	if (r < 0)
		return log_error_errno(-ERANGE, "%s: version 65535.65535.65535 has no successor", path);
	a->name_from_previous = strdup(p->name);
	if (!a->name_from_previous)
		return log_error_errno(-ENOMEM, "%m");
	return 0;
}

/* Why ipe_policy_name_valid() refused a name. */
static const char *name_refusal(int error)
{
	switch (error) {
	case -EACCES:
		return "\"/\", \".\" and \"..\" cannot name its securityfs directory";
	case -ENAMETOOLONG:
		return "it is longer than 255 bytes (NAME_MAX)";
	default:
		return "it is empty, or has '#' or white space, where IPE's parser cuts it";
	}
}

/* The text of line @n (1-based) of @text, up to its end; NULL past the end. */
static const char *line_at(const char *text, unsigned n)
{
	for (unsigned i = 1; text && i < n; i++) {
		text = strchr(text, '\n');
		if (text)
			text++;
	}
	return text;
}

static bool line_has(const char *line, const char *what)
{
	size_t len = strcspn(line, "\n");

	return memmem(line, len, what, strlen(what)) != NULL;
}

/*
 * Any warning except the checker's remark on a boot_verified rule, which is the
 * documented price of --boot-verified, means the generator built something wrong.
 */
static bool unexpected_warnings(const struct ipe_check_result *res, const char *text, bool boot_verified)
{
	for (size_t i = 0; i < res->n_diags; i++) {
		const struct ipe_diag *d = &res->diags[i];
		const char *line = line_at(text, d->line);

		if (d->severity != IPE_SEVERITY_WARNING)
			return true;
		/* The name was chosen (or kept from --version-from): its remark is the user's to weigh. */
		if (d->line != 0 && line && strncmp(line, "policy_name=", 12) == 0)
			continue;
		if (!boot_verified || d->line == 0 || !line || !line_has(line, "boot_verified=TRUE"))
			return true;
	}
	return false;
}

const struct verb generate_verb = {
	.name = "generate",
	.run = verb_generate,
	.min_operands = 0,
	.max_operands = 0,
	.synopsis = "generate --name NAME (--version X.Y.Z | --version-from F) IMAGES... [-o FILE]",
	.help = "Write an IPE policy that allows the given dm-verity images.\n\n"
		"  --name NAME              policy name, [A-Za-z0-9_.-] (default with --version-from: the previous one)\n"
		"  --version X.Y.Z          policy version\n"
		"  --version-from FILE      next version after a previous policy (text or .p7b)\n"
		"  --manifest FILE          allow the image a verity manifest describes\n"
		"  --image DATA:HASH        allow an image formatted with a superblock\n"
		"  --roothash ALG:HEX       allow a root hash given by hand\n"
		"  --deny-roothash ALG:HEX  deny a root hash (revocation; placed first)\n"
		"  --op OP                  enforce OP (repeatable; default EXECUTE)\n"
		"  --signed                 allow any volume with a verified root-hash signature\n"
		"  --boot-verified          allow the initramfs (early boot only)\n"
		"  -o, --output FILE        default: stdout\n",
};

int verb_generate(int argc, char *argv[])
{
	enum {
		ARG_NAME = 0x100,
		ARG_VERSION,
		ARG_VERSION_FROM,
		ARG_MANIFEST,
		ARG_IMAGE,
		ARG_ROOTHASH,
		ARG_DENY_ROOTHASH,
		ARG_OP,
		ARG_SIGNED,
		ARG_BOOT_VERIFIED,
	};
	static const struct option options[] = {
		{ "name", required_argument, NULL, ARG_NAME },
		{ "version", required_argument, NULL, ARG_VERSION },
		{ "version-from", required_argument, NULL, ARG_VERSION_FROM },
		{ "manifest", required_argument, NULL, ARG_MANIFEST },
		{ "image", required_argument, NULL, ARG_IMAGE },
		{ "roothash", required_argument, NULL, ARG_ROOTHASH },
		{ "deny-roothash", required_argument, NULL, ARG_DENY_ROOTHASH },
		{ "op", required_argument, NULL, ARG_OP },
		{ "signed", no_argument, NULL, ARG_SIGNED },
		{ "boot-verified", no_argument, NULL, ARG_BOOT_VERIFIED },
		{ "output", required_argument, NULL, 'o' },
		{}
	};
	_cleanup_(gen_args_done) struct gen_args a = {};
	_cleanup_(ipe_check_result_done) struct ipe_check_result res = {};
	_cleanup_free_ char *text = NULL;
	const char *output = "-", *version_from_path = NULL;
	size_t len;
	int c, r;

	while ((c = getopt_long(argc, argv, "o:", options, NULL)) >= 0) {
		switch (c) {
		case ARG_NAME:
			a.spec.name = optarg;
			break;
		case ARG_VERSION:
			if (a.have_version)
				return usage_error("give one --version or --version-from");
			r = ipe_version_parse(optarg, a.spec.version);
			if (r < 0)
				return usage_error("--version: \"%s\" is not X.Y.Z with parts up to 65535",
						   optarg);
			a.have_version = true;
			break;
		case ARG_VERSION_FROM:
			if (a.have_version)
				return usage_error("give one --version or --version-from");
			version_from_path = optarg;
			a.have_version = true;
			break;
		case ARG_MANIFEST:
			r = add_manifest(&a, optarg);
			if (r < 0)
				return r;
			break;
		case ARG_IMAGE:
			r = add_data_hash(&a, optarg);
			if (r < 0)
				return r;
			break;
		case ARG_ROOTHASH:
		case ARG_DENY_ROOTHASH:
			r = add_roothash(&a, c == ARG_ROOTHASH ? "--roothash" : "--deny-roothash",
					 optarg, c == ARG_DENY_ROOTHASH);
			if (r < 0)
				return r;
			break;
		case ARG_OP:
			r = add_op(&a, optarg);
			if (r < 0)
				return r;
			break;
		case ARG_SIGNED:
			a.spec.signed_images = true;
			break;
		case ARG_BOOT_VERIFIED:
			a.spec.boot_verified = true;
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
	if (!a.have_version)
		return usage_error("generate needs --version X.Y.Z or --version-from PREVIOUS");
	if (version_from_path) {
		r = version_from(&a, version_from_path);
		if (r < 0)
			return r;
		if (!a.spec.name)
			a.spec.name = a.name_from_previous;
	}
	if (!a.spec.name)
		return usage_error("generate needs --name NAME");
	/* What the kernel refuses, and nothing more (policy/model.c mirrors it). */
	r = ipe_policy_name_valid(a.spec.name);
	if (r < 0 && a.spec.name == a.name_from_previous)
		return log_error_errno(-EINVAL,
				       "%s: its policy name \"%s\" is one the kernel refuses (%s): %s; give --name",
				       version_from_path, a.spec.name, errno_name(r), name_refusal(r));
	if (r < 0)
		return usage_error("--name: \"%s\" is a name the kernel refuses (%s): %s",
				   a.spec.name, errno_name(r), name_refusal(r));
	if (a.spec.n_allow == 0 && !a.spec.signed_images && !a.spec.boot_verified)
		return usage_error("nothing to allow: give --manifest, --image, --roothash, --signed "
				   "or --boot-verified");
	for (size_t i = 0; i < a.spec.n_deny; i++)
		for (size_t j = 0; j < a.spec.n_allow; j++)
			if (gen_image_same(&a.spec.deny[i], &a.spec.allow[j]))
				return usage_error("%s is both allowed (%s) and denied",
						   a.spec.deny[i].label, a.spec.allow[j].label);
	if (a.spec.n_ops == 0)
		a.spec.ops[a.spec.n_ops++] = IPE_OP_EXECUTE;

	r = gen_policy_text(&a.spec, &text, &len);
	if (r < 0)
		return log_error_errno(r, "building the policy: %m");

	/* The same checker as `check`: nothing is written that it would not pass cleanly. */
	r = ipe_policy_check(text, len, &res);
	if (r < 0)
		return log_error_errno(r, "checking the policy: %m");
	/* Said either way: the boot_verified warnings were asked for, but still worth a line. */
	log_policy_diags("generated policy", &res);
	if (res.kernel_errno != 0 || unexpected_warnings(&res, text, a.spec.boot_verified)) {
		log_error("the generated policy does not pass check; nothing written");
		return EXIT_NEGATIVE;
	}

	return write_output_logged(output, text, len);
}
