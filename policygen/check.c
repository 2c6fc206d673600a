// SPDX-License-Identifier: GPL-2.0-only
/*
 * check: would the kernel load these policies? Errors are what makes IPE
 * refuse a policy (with the errno it returns), warnings what loads but is
 * almost certainly wrong. Signed policies (.p7b) are checked by content.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "json/json.h"
#include "lib/errno_name.h"
#include "lib/fileio.h"
#include "lib/log.h"
#include "lib/verbs.h"
#include "crypto/pkcs7.h"
#include "crypto/pkcs7_verify.h"
#include "policy/policy.h"
#include "policygen/verb_util.h"
#include "policygen/verbs.h"

/* Policies beyond this are refused before parsing; the kernel's own limit is far lower. */
#define CHECK_MAX_SIZE (256u << 20)

/* One JSON object per file, in one write(): bytes that are not UTF-8 as json/json.h says. */
static int print_json(const char *file, bool is_signed, const struct ipe_check_result *res)
{
	_cleanup_json_ struct json_object *o = json_object_new_object(),
					  *diags = json_object_new_array();
	char version[24];
	int r = 0;

	if (!o || !diags)
		return -ENOMEM;
	snprintf(version, sizeof(version), "%u.%u.%u", res->version[0], res->version[1],
		 res->version[2]);
	for (size_t i = 0; i < res->n_diags && r == 0; i++) {
		const struct ipe_diag *d = &res->diags[i];
		_cleanup_json_ struct json_object *j = json_object_new_object();

		if (!j)
			return -ENOMEM;
		r = json_add(j, "line", json_object_new_int((int)d->line));
		if (r == 0)
			r = json_add(j, "severity",
				     json_object_new_string(
					     d->severity == IPE_SEVERITY_ERROR ? "error" : "warning"));
		if (r == 0)
			r = json_add(j, "message", json_str_new(d->message));
		if (r == 0 && d->error)
			r = json_add(j, "errno", json_object_new_string(errno_name(d->error) ?: "?"));
		if (r == 0)
			r = json_object_array_add(diags, j) < 0 ? -ENOMEM : 0;
		if (r == 0)
			j = NULL;
	}
	if (r == 0)
		r = json_add(o, "file", json_str_new(file));
	if (r == 0)
		r = json_add(o, "signed", json_object_new_boolean(is_signed));
	if (r == 0)
		r = json_add(o, "valid", json_object_new_boolean(res->kernel_errno == 0));
	if (r == 0)
		r = json_add(o, "kernel_errno",
			     res->kernel_errno
				     ? json_object_new_string(errno_name(res->kernel_errno) ?: "?")
				     : NULL);
	if (r == 0)
		r = json_add(o, "name", json_str_new(res->name));
	if (r == 0)
		r = json_add(o, "version", res->have_version ? json_object_new_string(version) : NULL);
	if (r == 0)
		r = json_add(o, "errors", json_object_new_uint64(res->n_errors));
	if (r == 0)
		r = json_add(o, "warnings", json_object_new_uint64(res->n_warnings));
	if (r == 0)
		r = json_add(o, "suppressed", json_object_new_uint64(res->n_suppressed));
	if (r == 0)
		r = json_add(o, "diagnostics", TAKE_PTR(diags));
	if (r < 0)
		return r;
	fflush(stdout);
	return json_write_line(STDOUT_FILENO, o);
}

static void print_text(const char *file, const struct ipe_check_result *res)
{
	for (size_t i = 0; i < res->n_diags; i++) {
		const struct ipe_diag *d = &res->diags[i];
		char where[32] = "";

		if (d->line)
			snprintf(where, sizeof(where), "%u:", d->line);
		if (d->severity == IPE_SEVERITY_ERROR)
			printf("%s:%s error: %s (%s)\n", file, where, d->message,
			       errno_name(d->error) ?: "?");
		else
			printf("%s:%s warning: %s\n", file, where, d->message);
	}
	if (res->n_suppressed)
		printf("%s: note: %zu more diagnostics not shown\n", file, res->n_suppressed);
}

/* A diagnostic of our own, for input the policy checker never sees (e.g. a broken .p7b). */
static int add_diag(struct ipe_check_result *res, int error, const char *msg)
{
	struct ipe_diag *d = reallocarray(res->diags, res->n_diags + 1, sizeof(*d));

	if (!d)
		return -ENOMEM;
	res->diags = d;
	d[res->n_diags] = (struct ipe_diag){ .severity = error ? IPE_SEVERITY_ERROR
							       : IPE_SEVERITY_WARNING,
					     .error = error,
					     .message = strdup(msg) };
	if (!d[res->n_diags].message)
		return -ENOMEM;
	res->n_diags++;
	if (error) {
		res->n_errors++;
		if (!res->kernel_errno)
			res->kernel_errno = error;
	} else
		res->n_warnings++;
	return 0;
}

/* Return: 0 loads, 1 refused, -errno when the file cannot be read. */
static int check_one(const char *path, bool json)
{
	const char *file = streq(path, "-") ? "<stdin>" : path;
	_cleanup_free_ char *buf = NULL;
	_cleanup_(pkcs7_verdict_done) struct pkcs7_verdict sig = {};
	struct ipe_check_result res = {};
	const char *text;
	bool is_signed = false;
	size_t len, text_len;
	int r;

	r = read_full_file(path, CHECK_MAX_SIZE, &buf, &len);
	if (r < 0) {
		fprintf(stderr, "%s: error: cannot read: %s\n", file, strerror(-r));
		return r;
	}
	r = refuse_key_material(file, buf, len, "a policy");
	if (r < 0)
		return r;
	text = buf;
	text_len = len;
	if (pkcs7_looks_like(buf, len)) {
		char msg[512];

		/* The kernel judges the envelope before it parses the policy in it. */
		is_signed = true;
		r = pkcs7_kernel_verify(buf, len, NULL, 0, NULL, &sig);
		if (r < 0)
			return log_error_errno(r, "%s: %m", file);
		if (!sig.error && !sig.content)
			/* No signer in the bag checked it; the trusted key will, against no content. */
			sig = (struct pkcs7_verdict){
				.error = -EKEYREJECTED,
				.why = "a detached signature: the kernel checks it against empty content",
				.fix = "sign with -nodetach"
			};
		if (sig.error) {
			snprintf(msg, sizeof(msg), "signature: %s%s%s", sig.why,
				 sig.fix ? "; " : "", sig.fix ? sig.fix : "");
			r = add_diag(&res, sig.error, msg);
			goto report;
		}
		text = (const char *)sig.content;
		text_len = sig.content_len;
	}

	r = ipe_policy_check(text, text_len, &res);
	if (r < 0)
		return log_error_errno(r, "%s: %m", file);
	if (len > IPE_POLICY_COPY_MAX) {
		char msg[200];

		snprintf(msg, sizeof(msg),
			 "%zu bytes: the kernel copies a policy with kmalloc(), which fails above %u bytes with 4 KiB pages",
			 len, IPE_POLICY_COPY_MAX);
		r = add_diag(&res, -ENOMEM, msg);
		/* The copy comes before the parser: its error is the kernel's answer, whatever else is wrong. */
		res.kernel_errno = -ENOMEM;
	}
report:
	if (r < 0) {
		ipe_check_result_done(&res);
		return log_error_errno(r, "%s: %m", file);
	}
	if (json)
		r = print_json(file, is_signed, &res);
	else
		print_text(file, &res);
	if (r >= 0)
		r = res.kernel_errno ? EXIT_NEGATIVE : 0;
	ipe_check_result_done(&res);
	if (r < 0)
		return log_error_errno(r, "%s: %m", file);
	return r;
}

const struct verb check_verb = {
	.name = "check",
	.run = verb_check,
	.min_operands = 1,
	.max_operands = VERB_ANY,
	.synopsis = "check [--json] FILE...",
	.help = "Check IPE policies (text, or signed .p7b) as the kernel parses them.\n"
		"\"-\" reads standard input. Diagnostics go to standard output as\n"
		"FILE:LINE: error|warning: MESSAGE.\n\n"
		"  --json                   print one JSON object per file\n\n"
		"Exit status: 0 every policy loads, 1 some would be refused, 2 usage or I/O error.\n",
};

int verb_check(int argc, char *argv[])
{
	enum { ARG_JSON = 0x100 };
	static const struct option options[] = { { "json", no_argument, NULL, ARG_JSON }, {} };
	bool json = false, io_error = false, refused = false;
	int c, r;

	while ((c = getopt_long(argc, argv, "", options, NULL)) >= 0)
		switch (c) {
		case ARG_JSON:
			json = true;
			break;
		default:
			return -EINVAL;
		}
	r = verb_operands(argc - optind);
	if (r < 0)
		return r;

	for (int i = optind; i < argc; i++) {
		r = check_one(argv[i], json);
		if (r < 0)
			io_error = true;
		else if (r > 0)
			refused = true;
		fflush(stdout);
	}
	return io_error ? -EIO : refused ? EXIT_NEGATIVE : 0;
}
