// SPDX-License-Identifier: GPL-2.0-only
/*
 * ipe-predict POLICY EVENTS: what policy/ says IPE decides for each event
 * under POLICY (a policy text), as the kernel's 1420 audit record would show
 * it. EVENTS has one event a line (blank lines and '#' comments skipped):
 *
 *   LABEL OP HOOK file|anon [initramfs=0|1] [dmverity=ALG:HEX|none] [signed=0|1]
 *
 * e.g. "tmpfs-exec EXECUTE BPRM_CHECK file initramfs=0 dmverity=none signed=0".
 * OP and HOOK are the record's names (EXECUTE, BPRM_CHECK, MMAP, ...);
 * "signed" is whether the dm-verity root-hash signature was verified.
 * Prints, per event, "LABEL ALLOW" or "LABEL DENY RULE", RULE being the
 * rule= value of the record (without its quotes). Exit 0, or 1 on an error.
 */
#include <stdio.h>
#include <string.h>

#include "lib/fileio.h"
#include "lib/hexdecoct.h"
#include "lib/macro.h"
#include "policy/policy.h"

struct event {
	char label[128];
	struct ipe_eval_ctx ctx;
	char dmv_alg[64];
	unsigned char *dmv_digest;
};

static int parse_hook(const char *name, enum ipe_hook *ret)
{
	for (unsigned h = 0; h < IPE_HOOK_MAX; h++)
		if (streq(ipe_hook_name((enum ipe_hook)h), name)) {
			*ret = (enum ipe_hook)h;
			return 0;
		}
	return -EINVAL;
}

static int parse_bool(const char *s, bool *ret)
{
	if (streq(s, "0") || streq(s, "1")) {
		*ret = s[0] == '1';
		return 0;
	}
	return -EINVAL;
}

/* dmverity=ALG:HEX or dmverity=none */
static int parse_dmverity(struct event *e, const char *v)
{
	const char *colon = strchr(v, ':');
	size_t len;

	if (streq(v, "none"))
		return 0;
	if (!colon || colon == v || (size_t)(colon - v) >= sizeof(e->dmv_alg))
		return -EINVAL;
	memcpy(e->dmv_alg, v, colon - v);
	e->dmv_alg[colon - v] = '\0';
	if (hex_decode(colon + 1, strlen(colon + 1), &e->dmv_digest, &len) < 0)
		return -EINVAL;
	e->ctx.has_dmverity = true;
	e->ctx.dmv_alg = e->dmv_alg;
	e->ctx.dmv_digest = e->dmv_digest;
	e->ctx.dmv_digest_len = len;
	return 0;
}

/* Fill @e from one line of EVENTS (modified in place). Return: 0, or -EINVAL. */
static int parse_event(char *line, struct event *e)
{
	char *save = NULL, *tok;
	const char *label = strtok_r(line, " \t", &save);
	const char *op = strtok_r(NULL, " \t", &save);
	const char *hook = strtok_r(NULL, " \t", &save);
	const char *file = strtok_r(NULL, " \t", &save);

	if (!file || strlen(label) >= sizeof(e->label))
		return -EINVAL;
	memcpy(e->label, label, strlen(label) + 1);
	e->ctx.op = ipe_op_from_name(op);
	if (e->ctx.op == IPE_OP_INVALID || parse_hook(hook, &e->ctx.hook) < 0)
		return -EINVAL;
	if (!streq(file, "file") && !streq(file, "anon"))
		return -EINVAL;
	e->ctx.has_file = streq(file, "file");

	while ((tok = strtok_r(NULL, " \t", &save))) {
		char *v = strchr(tok, '=');
		int r;

		if (!v)
			return -EINVAL;
		*v++ = '\0';
		if (streq(tok, "initramfs"))
			r = parse_bool(v, &e->ctx.initramfs);
		else if (streq(tok, "signed"))
			r = parse_bool(v, &e->ctx.dmv_signed);
		else if (streq(tok, "dmverity"))
			r = parse_dmverity(e, v);
		else
			r = -EINVAL;
		if (r < 0)
			return r;
	}
	return 0;
}

/* Print the decision for @e; return 0, or a negative errno. */
static int predict(const struct ipe_policy *p, const struct event *e)
{
	struct ipe_decision d;
	_cleanup_free_ char *rule = NULL;
	int r;

	ipe_policy_evaluate(p, &e->ctx, &d);
	if (d.action != IPE_ACTION_DENY) {
		printf("%s ALLOW\n", e->label);
		return 0;
	}
	r = ipe_decision_rule_string(&d, &rule);
	if (r < 0)
		return r;
	printf("%s DENY %s\n", e->label, rule);
	return 0;
}

int main(int argc, char **argv)
{
	_cleanup_(ipe_policy_freep) struct ipe_policy *policy = NULL;
	_cleanup_free_ char *text = NULL;
	struct ipe_parse_error err = {};
	char line[4096];
	unsigned n = 0;
	size_t len;
	FILE *f;
	int r;

	if (argc != 3) {
		fprintf(stderr, "usage: ipe-predict POLICY EVENTS\n");
		return 1;
	}
	r = read_full_file(argv[1], READ_FULL_MAX, &text, &len);
	if (r < 0) {
		fprintf(stderr, "ipe-predict: %s: %s\n", argv[1], strerror(-r));
		return 1;
	}
	r = ipe_policy_parse(text, len, &policy, &err);
	if (r < 0) {
		fprintf(stderr, "ipe-predict: %s:%u: %s\n", argv[1], err.line, err.message);
		return 1;
	}
	f = fopen(argv[2], "re");
	if (!f) {
		fprintf(stderr, "ipe-predict: %s: %m\n", argv[2]);
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		struct event e = {};
		char *s = line + strspn(line, " \t");

		n++;
		s[strcspn(s, "\r\n")] = '\0';
		if (!*s || *s == '#')
			continue;
		r = parse_event(s, &e);
		if (r == 0)
			r = predict(policy, &e);
		free(e.dmv_digest);
		if (r < 0) {
			fprintf(stderr, "ipe-predict: %s:%u: %s\n", argv[2], n,
				r == -EINVAL ? "not an event" : strerror(-r));
			fclose(f);
			return 1;
		}
	}
	fclose(f);
	return 0;
}
