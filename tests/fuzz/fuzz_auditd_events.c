// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the records the BPF programs hand to user space
 * (auditd/bpf/event.h): auditd_record_kind() decides what the bytes are,
 * then an event goes through what `ipe-auditd run` does with it: the
 * evaluation under a policy and the JSON and text records. The input is
 * copied into a buffer of exactly its size, so any read past what the
 * check allowed is caught. Invariants: an accepted event's record is one
 * line of JSON with a path starting with "/"; a volume record is whole.
 */
#include <string.h>

#include "auditd/evaluate.h"
#include "auditd/output.h"
#include "auditd/record.h"
#include "json/json.h"
#include "lib/macro.h"
#include "tests/fuzz/fuzz.h"

static struct ipe_policy *policy;
static struct auditd_volume volume = {
	.dev = 254u << 20 | 32, .alg = "sha256", .digest_len = 32, .sig_valid = true
};
static int out_fd = -1;
static char path[32];

static const char policy_text[] =
	"policy_name=fuzz policy_version=0.0.1\n"
	"DEFAULT action=ALLOW\n"
	"DEFAULT op=EXECUTE action=DENY\n"
	"op=EXECUTE boot_verified=TRUE action=ALLOW\n"
	"op=EXECUTE dmverity_signature=TRUE action=ALLOW\n"
	"op=EXECUTE dmverity_roothash=sha256:0000000000000000000000000000000000000000000000000000000000000000 action=ALLOW\n"
	"op=KMODULE fsverity_signature=FALSE action=DENY\n";

/* A tracepoint exec of /usr/bin/true by "true true", as the BPF side fills it. */
static void seed(const char *dir)
{
	struct auditd_event *e = calloc(1, sizeof(*e));
	struct auditd_volume_event ve = { .kind = AUDITD_KIND_VOLUME,
					  .what = AUDITD_VOLUME_ROOTHASH,
					  .dev = volume.dev,
					  .digest_len = 32,
					  .alg = "sha256" };
	static const char data[] = "true\0bin\0usr\0true\0true";
	size_t head = offsetof(struct auditd_event, data);

	REQUIRE(e);
	*e = (struct auditd_event){ .kind = AUDITD_KIND_EVENT,
				    .op = AUDITD_OP_EXECUTE,
				    .hook = AUDITD_HOOK_BPRM_CHECK,
				    .flags = AUDITD_F_HAS_FILE,
				    .pid = 42,
				    .tgid = 42,
				    .ppid = 1,
				    .dev = volume.dev,
				    .ino = 7,
				    .file_ino = 7,
				    .path_len = 13,
				    .argv_len = 10,
				    .comm = "true",
				    .fstype = "ext4",
				    .sb_id = "dm-0" };
	memcpy(e->data, data, sizeof(data));
	fuzz_write_seed(dir, "exec", e, head + 23);
	e->hook = AUDITD_HOOK_MMAP;
	e->op = AUDITD_OP_EXECUTE;
	e->exe_len = 13;
	memcpy(e->data, "libc.so.6\0lib\0usr\0true\0bin\0usr\0", 32);
	e->path_len = 18;
	e->argv_len = 0;
	e->prot = 4;
	fuzz_write_seed(dir, "mmap", e, head + 31);
	e->flags = 0;
	e->hook = AUDITD_HOOK_MPROTECT;
	fuzz_write_seed(dir, "anon", e, head);
	e->op = AUDITD_OP_KMODULE;
	e->hook = AUDITD_HOOK_KERNEL_READ;
	e->flags = AUDITD_F_HAS_FILE | AUDITD_F_DELETED | AUDITD_F_INITRAMFS;
	fuzz_write_seed(dir, "kmodule", e, head + 31);
	fuzz_write_seed(dir, "volume", &ve, sizeof(ve));
	free(e);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("FUZZ_SEED_DIR");

	(void)argc;
	(void)argv;
	REQUIRE(ipe_policy_parse(policy_text, sizeof(policy_text) - 1, &policy, NULL) == 0);
	out_fd = fuzz_memfd("events", path);
	if (dir)
		seed(dir);
	return 0;
}

/* The record written to the memfd: one line of JSON (or text), nothing else. */
static void check_output(bool text)
{
	char buf[65536];
	ssize_t n = pread(out_fd, buf, sizeof(buf), 0);
	struct json_object *j = NULL, *p;

	REQUIRE(n > 0 && (size_t)n < sizeof(buf) && buf[n - 1] == '\n');
	REQUIRE(memchr(buf, '\n', (size_t)n) == buf + n - 1);
	if (text)
		return;
	REQUIRE(json_parse_document(buf, (size_t)n, &j) == 0);
	p = json_object_object_get(j, "path");
	if (p && json_object_is_type(p, json_type_string))
		REQUIRE(json_object_get_string(p)[0] == '/');
	json_object_put(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	void *copy = calloc(1, size ?: 1); /* zeroed: no field is read uninitialised, even past a short record */
	const struct auditd_event *e = copy;
	struct auditd_verdict v;
	int kind;

	REQUIRE(copy);
	memcpy(copy, data, size);
	kind = auditd_record_kind(copy, size);
	REQUIRE(kind == AUDITD_KIND_EVENT || kind == AUDITD_KIND_VOLUME || kind == -EBADMSG);
	if (kind == AUDITD_KIND_VOLUME) {
		const struct auditd_volume_event *ve = copy;

		REQUIRE(size >= sizeof(*ve) && ve->kind == AUDITD_KIND_VOLUME);
	} else if (kind == AUDITD_KIND_EVENT && e->hook < AUDITD_HOOK_MAX) {
		const struct auditd_volume *vol = e->dev == volume.dev ? &volume : NULL;
		struct auditd_fsverity fsv = { .enabled = e->ino & 1, .alg = "sha256", .digest_len = 32 };

		REQUIRE(auditd_evaluate(policy, e, vol, &fsv, &v) == 0);
		for (int text = 0; text < 2; text++) {
			struct output o = { .fd = out_fd, .text = text };

			REQUIRE(ftruncate(out_fd, 0) == 0 && lseek(out_fd, 0, SEEK_SET) == 0);
			REQUIRE(output_event(&o, e, &v, vol) == 0);
			check_output(text);
		}
		auditd_verdict_done(&v);
	}
	free(copy);
	return 0;
}
