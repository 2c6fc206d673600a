// SPDX-License-Identifier: GPL-2.0-only
/*
 * check: would the kernel load these policies? Errors are what makes IPE
 * refuse a policy (with the errno it returns), warnings what loads but is
 * almost certainly wrong. Signed policies (.p7b) are checked by content.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "lib/errno_name.h"
#include "lib/fileio.h"
#include "lib/log.h"
#include "lib/verbs.h"
#include "crypto/pkcs7.h"
#include "crypto/pkcs7_verify.h"
#include "policy/policy.h"
#include "policygen/verbs.h"

/* Policies beyond this are refused before parsing; the kernel's own limit is far lower. */
#define CHECK_MAX_SIZE (256u << 20)

/* kmalloc() limit with 4 KiB pages (KMALLOC_MAX_SIZE): the kernel copies the whole policy with it. */
#define KERNEL_COPY_MAX (4u << 20)

/* A string as valid UTF-8 for JSON: bytes that are not UTF-8 become "\xHH" text. */
static char *utf8_clean(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), o = 0;
	char *out = malloc(4 * n + 1);

	if (!out)
		return NULL;
	for (size_t i = 0; i < n;) {
		size_t len = u[i] < 0x80 ? 1 : (u[i] & 0xe0) == 0xc0 ? 2 : (u[i] & 0xf0) == 0xe0 ? 3
			   : (u[i] & 0xf8) == 0xf0 ? 4 : 0;
		bool ok = len > 0 && i + len <= n && !(len == 2 && u[i] < 0xc2);

		for (size_t k = 1; ok && k < len; k++)
			ok = (u[i + k] & 0xc0) == 0x80;
		if (ok) {
			memcpy(out + o, s + i, len);
			o += len;
			i += len;
		} else {
			o += (size_t)sprintf(out + o, "\\x%02x", u[i]);
			i++;
		}
	}
	out[o] = 0;
	return out;
}

static struct json_object *json_str(const char *s)
{
	_cleanup_free_ char *clean = NULL;

	if (!s)
		return NULL;
	clean = utf8_clean(s);
	return clean ? json_object_new_string(clean) : NULL;
}

static int print_json(const char *file, bool is_signed, const struct ipe_check_result *res)
{
	struct json_object *o = json_object_new_object(), *diags = json_object_new_array();
	char version[24];
	int r = 0;

	if (!o || !diags) {
		json_object_put(o);
		json_object_put(diags);
		return -ENOMEM;
	}
	snprintf(version, sizeof(version), "%u.%u.%u", res->version[0], res->version[1], res->version[2]);
	for (size_t i = 0; i < res->n_diags && r == 0; i++) {
		const struct ipe_diag *d = &res->diags[i];
		struct json_object *j = json_object_new_object();

		if (!j ||
		    json_object_object_add(j, "line", json_object_new_int((int)d->line)) < 0 ||
		    json_object_object_add(j, "severity", json_object_new_string(
				d->severity == IPE_SEVERITY_ERROR ? "error" : "warning")) < 0 ||
		    json_object_object_add(j, "message", json_str(d->message)) < 0 ||
		    (d->error && json_object_object_add(j, "errno", json_object_new_string(
				errno_name(d->error) ?: "?")) < 0) ||
		    json_object_array_add(diags, j) < 0) {
			json_object_put(j);
			r = -ENOMEM;
		}
	}
	if (r == 0 &&
	    (json_object_object_add(o, "file", json_str(file)) < 0 ||
	     json_object_object_add(o, "signed", json_object_new_boolean(is_signed)) < 0 ||
	     json_object_object_add(o, "valid", json_object_new_boolean(res->kernel_errno == 0)) < 0 ||
	     json_object_object_add(o, "kernel_errno", res->kernel_errno
				    ? json_object_new_string(errno_name(res->kernel_errno) ?: "?") : NULL) < 0 ||
	     json_object_object_add(o, "name", json_str(res->name)) < 0 ||
	     json_object_object_add(o, "version", res->have_version ? json_object_new_string(version) : NULL) < 0 ||
	     json_object_object_add(o, "errors", json_object_new_uint64(res->n_errors)) < 0 ||
	     json_object_object_add(o, "warnings", json_object_new_uint64(res->n_warnings)) < 0 ||
	     json_object_object_add(o, "suppressed", json_object_new_uint64(res->n_suppressed)) < 0))
		r = -ENOMEM;
	if (r < 0 || json_object_object_add(o, "diagnostics", diags) < 0) {
		/* diags is o's only once added */
		json_object_put(diags);
		json_object_put(o);
		return -ENOMEM;
	}
	printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return 0;
}

static void print_text(const char *file, const struct ipe_check_result *res)
{
	for (size_t i = 0; i < res->n_diags; i++) {
		const struct ipe_diag *d = &res->diags[i];
		char where[32] = "";

		if (d->line)
			snprintf(where, sizeof(where), "%u:", d->line);
		if (d->severity == IPE_SEVERITY_ERROR)
			printf("%s:%s error: %s (%s)\n", file, where, d->message, errno_name(d->error) ?: "?");
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
	d[res->n_diags] = (struct ipe_diag){ .severity = error ? IPE_SEVERITY_ERROR : IPE_SEVERITY_WARNING,
					     .error = error, .message = strdup(msg) };
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
			sig = (struct pkcs7_verdict){ .error = -EKEYREJECTED,
				.why = "a detached signature: the kernel checks it against empty content",
				.fix = "sign with -nodetach" };
		if (sig.error) {
			snprintf(msg, sizeof(msg), "signature: %s%s%s", sig.why, sig.fix ? "; " : "",
				 sig.fix ? sig.fix : "");
			r = add_diag(&res, sig.error, msg);
			goto report;
		}
		text = (const char *)sig.content;
		text_len = sig.content_len;
	}

	r = ipe_policy_check(text, text_len, &res);
	if (r < 0)
		return log_error_errno(r, "%s: %m", file);
	if (len > KERNEL_COPY_MAX) {
		char msg[160];

		snprintf(msg, sizeof(msg),
			 "%zu bytes: the kernel copies a policy with kmalloc(), which fails above %u bytes (4 KiB pages)",
			 len, KERNEL_COPY_MAX);
		r = add_diag(&res, 0, msg);
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

int verb_check(int argc, char *argv[])
{
	enum { ARG_JSON = 0x100 };
	static const struct option options[] = {
		{ "json", no_argument, NULL, ARG_JSON },
		{}
	};
	bool json = false, io_error = false, refused = false;
	int c;

	while ((c = getopt_long(argc, argv, "", options, NULL)) >= 0)
		switch (c) {
		case ARG_JSON:
			json = true;
			break;
		default:
			return -EINVAL;
		}
	if (optind >= argc)
		return usage_error("check [--json] FILE...");

	for (int i = optind; i < argc; i++) {
		int r = check_one(argv[i], json);

		if (r < 0)
			io_error = true;
		else if (r > 0)
			refused = true;
		fflush(stdout);
	}
	return io_error ? -EIO : refused ? EXIT_NEGATIVE : 0;
}
