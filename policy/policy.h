/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/*
 * The IPE policy model: parse, check, serialise and evaluate IPE policies
 * exactly as the kernel does (security/ipe/policy_parser.c, digest.c,
 * eval.c). docs/policy-model.md lists the kernel facts this mirrors.
 *
 * Functions return 0 or a negative errno and never print. Parse errors use
 * the errno the kernel returns for the same text: -EBADMSG (syntax),
 * -EINVAL (bad version number or hex digest), -ERANGE (version part above
 * 65535), and, for names that cannot become a securityfs directory, -EACCES
 * and -ENAMETOOLONG.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Operations, in the kernel's order (enum ipe_op_type). */
enum ipe_op {
	IPE_OP_EXECUTE,
	IPE_OP_FIRMWARE,
	IPE_OP_KMODULE,
	IPE_OP_KEXEC_IMAGE,
	IPE_OP_KEXEC_INITRAMFS,
	IPE_OP_POLICY,
	IPE_OP_X509,
	IPE_OP_MAX,
	IPE_OP_INVALID = IPE_OP_MAX, /* an event the kernel cannot map to an op */
};

/* LSM hooks as the kernel's audit record names them (enum ipe_hook_type). */
enum ipe_hook {
	IPE_HOOK_BPRM_CHECK,
	IPE_HOOK_BPRM_CREDS_FOR_EXEC, /* Linux 6.19+, execveat(AT_EXECVE_CHECK) */
	IPE_HOOK_MMAP,
	IPE_HOOK_MPROTECT,
	IPE_HOOK_KERNEL_READ,
	IPE_HOOK_KERNEL_LOAD,
	IPE_HOOK_MAX,
};

enum ipe_action {
	IPE_ACTION_INVALID, /* "not set" for defaults */
	IPE_ACTION_ALLOW,
	IPE_ACTION_DENY,
};

/* Properties; the boolean ones carry their value in the type, as in the kernel. */
enum ipe_prop_type {
	IPE_PROP_BOOT_VERIFIED_FALSE,
	IPE_PROP_BOOT_VERIFIED_TRUE,
	IPE_PROP_DMV_ROOTHASH,
	IPE_PROP_DMV_SIG_FALSE,
	IPE_PROP_DMV_SIG_TRUE,
	IPE_PROP_FSV_DIGEST,
	IPE_PROP_FSV_SIG_FALSE,
	IPE_PROP_FSV_SIG_TRUE,
	IPE_PROP_MAX,
};

/* A digest value "alg:hex": the algorithm name is kept verbatim (the kernel does not check it). */
struct ipe_digest {
	char *alg;
	unsigned char *bytes; /* may be NULL when len == 0 */
	size_t len;
};

struct ipe_prop {
	enum ipe_prop_type type;
	struct ipe_digest digest; /* IPE_PROP_DMV_ROOTHASH and IPE_PROP_FSV_DIGEST only */
};

struct ipe_rule {
	enum ipe_op op;
	enum ipe_action action;
	struct ipe_prop *props; /* in policy order */
	size_t n_props;
	unsigned line; /* 1-based source line, 0 when built in memory */
	char *comment; /* or NULL: written above the rule after a blank line (ipe_policy_set_comment()) */
};

struct ipe_policy {
	char *name;
	uint16_t version[3];
	enum ipe_action global_default;         /* IPE_ACTION_INVALID when absent */
	enum ipe_action op_default[IPE_OP_MAX]; /* per-op DEFAULT, or IPE_ACTION_INVALID */
	enum ipe_op op_default_order[IPE_OP_MAX]; /* the ops of op_default[], in the order they were set */
	size_t n_op_defaults;
	char *comment;          /* or NULL: written above the header line */
	char *defaults_comment; /* or NULL: written above the DEFAULT lines */
	struct ipe_rule *rules; /* every non-DEFAULT rule, in file order */
	size_t n_rules;
	size_t rules_cap;
};

/* Where the first parse error happened (filled by ipe_policy_parse() on failure). */
struct ipe_parse_error {
	unsigned line;     /* 1-based; 0 when not tied to a line */
	char message[160]; /* one line, no trailing newline */
};

/**
 * ipe_policy_parse() - parse a policy text as the kernel's ipe_parse_policy() does.
 * @text: policy bytes; parsing stops at the first NUL, as in the kernel
 * @len: number of bytes in @text (0 gives -EBADMSG)
 * @ret: the parsed policy on success, free with ipe_policy_free()
 * @err: optional; receives the line and a message on failure
 *
 * Also refuses names the kernel cannot turn into a securityfs directory
 * (-EACCES, -ENAMETOOLONG), which the kernel reports at load time.
 * Return: 0, the kernel's -errno for this text, or -ENOMEM.
 */
int ipe_policy_parse(const char *text, size_t len, struct ipe_policy **ret,
		     struct ipe_parse_error *err);

/* The policy's name (policy_name=). */
static inline const char *ipe_policy_name(const struct ipe_policy *p)
{
	return p->name;
}

/* The policy's version (policy_version=) as MAJOR, MINOR, REVISION. */
static inline const uint16_t *ipe_policy_version(const struct ipe_policy *p)
{
	return p->version;
}

/* Free a policy (NULL is fine). Return: NULL. */
struct ipe_policy *ipe_policy_free(struct ipe_policy *p);
static inline void ipe_policy_freep(struct ipe_policy **p)
{
	if (*p)
		ipe_policy_free(*p);
}

/**
 * ipe_policy_new() - an empty policy to fill with ipe_policy_add_rule() etc.
 * @name: policy name; checked with ipe_policy_name_valid()
 * Return: 0, -EBADMSG/-EACCES/-ENAMETOOLONG for a bad name, -ENOMEM.
 */
int ipe_policy_new(const char *name, const uint16_t version[3], struct ipe_policy **ret);

/**
 * ipe_policy_add_rule() - append a rule; @props are deep-copied.
 * Return: 0, -EINVAL for an invalid op/action or digest algorithm name, -ENOMEM.
 */
int ipe_policy_add_rule(struct ipe_policy *p, enum ipe_op op, enum ipe_action action,
			const struct ipe_prop *props, size_t n_props);

/**
 * ipe_policy_set_default() - set the global (@op == IPE_OP_INVALID) or a per-op default.
 * ipe_policy_format() writes the per-op defaults in the order they were set.
 * Return: 0, -EEXIST when that default is already set, -EINVAL.
 */
int ipe_policy_set_default(struct ipe_policy *p, enum ipe_op op, enum ipe_action action);

/* Where ipe_policy_set_comment() puts a comment. */
enum ipe_comment_at {
	IPE_COMMENT_HEADER,   /* above the policy_name= line */
	IPE_COMMENT_DEFAULTS, /* above the DEFAULT lines, after a blank line */
	IPE_COMMENT_RULE,     /* above rule @rule, after a blank line */
};

/**
 * ipe_policy_set_comment() - a comment for ipe_policy_format() to write, one
 * "# " line per line of @text ('\n' separates them; any other control byte is
 * written as '?', so that no comment can end early or split a rule). The
 * kernel's parser skips comments; ipe_policy_parse() does not keep them.
 * @rule: index of the rule for IPE_COMMENT_RULE, otherwise ignored
 * Return: 0, -EINVAL (no such rule or place), -ENOMEM.
 */
int ipe_policy_set_comment(struct ipe_policy *p, enum ipe_comment_at at, size_t rule, const char *text);

/**
 * ipe_policy_name_valid() - can @name be a policy name on a running kernel?
 * Return: 0; -EBADMSG when the parser cannot carry it (empty, blank, '#',
 * line breaks, NUL); -EACCES for "/", "." or ".."; -ENAMETOOLONG above 255 bytes.
 */
int ipe_policy_name_valid(const char *name);

/**
 * ipe_policy_format() - canonical text: header, global default, per-op
 * defaults, then rules in order; single spaces, LF endings, lower-case hex.
 * @ret_text: malloc'd NUL-terminated text
 * @ret_len: optional, its length
 * Return: 0, -EINVAL for a model that would not parse back (no defaults,
 * bad name, an algorithm name containing ':' or blanks), -ENOMEM.
 */
int ipe_policy_format(const struct ipe_policy *p, char **ret_text, size_t *ret_len);

/* True when @a and @b hold the same policy (name, version, defaults, rules and props in order). */
bool ipe_policy_equal(const struct ipe_policy *a, const struct ipe_policy *b);

/* Version parts: the kernel's ver_to_u64() (major << 32 | minor << 16 | rev). */
uint64_t ipe_version_to_u64(const uint16_t v[3]);

/* <0, 0, >0 as @a is older than, equal to or newer than @b. */
int ipe_version_compare(const uint16_t a[3], const uint16_t b[3]);

/**
 * ipe_version_parse() - parse "X.Y.Z" as the kernel's parse_version() does.
 * Each part goes through kstrtou16 (a leading '+' and leading zeros accepted).
 * Return: 0, -EBADMSG (not three parts), -EINVAL (non-numeric/empty/negative
 * part), -ERANGE (part above 65535); the first failing part decides.
 */
int ipe_version_parse(const char *s, uint16_t ret[3]);

/* Names: "EXECUTE", … "X509_CERT" (IPE_OP_INVALID: "UNKNOWN"); NULL when out of range. */
const char *ipe_op_name(enum ipe_op op);
/* "BPRM_CHECK", "BPRM_CREDS_FOR_EXEC", "MMAP", "MPROTECT", "KERNEL_READ", "KERNEL_LOAD". */
const char *ipe_hook_name(enum ipe_hook hook);
/* "ALLOW", "DENY"; NULL for IPE_ACTION_INVALID. */
const char *ipe_action_name(enum ipe_action action);
/* Property keyword without value: "boot_verified", "dmverity_roothash", … */
const char *ipe_prop_key(enum ipe_prop_type type);
/* IPE_OP_* for "EXECUTE" etc. (exact, case-sensitive), or IPE_OP_INVALID. */
enum ipe_op ipe_op_from_name(const char *name);

/* ---- checking ---- */

enum ipe_severity {
	IPE_SEVERITY_ERROR,
	IPE_SEVERITY_WARNING,
};

struct ipe_diag {
	unsigned line; /* 1-based, 0 = whole file */
	enum ipe_severity severity;
	int error; /* for errors: the -errno the kernel returns; 0 for warnings */
	char *message;
};

/* At most this many diagnostics are kept; the rest are counted in n_suppressed. */
#define IPE_CHECK_MAX_DIAGS 1000

/*
 * The largest file the kernel can take through new_policy or a policy's
 * update node: security/ipe/fs.c new_policy() and policy_fs.c
 * update_policy() copy the write with memdup_user_nul(data, len), a
 * kmalloc() of len + 1 bytes, which fails with ENOMEM above KMALLOC_MAX_SIZE
 * (1 << (MAX_PAGE_ORDER + PAGE_SHIFT): 4 MiB with x86-64's 4 KiB pages).
 */
#define IPE_POLICY_COPY_MAX ((4u << 20) - 1)

struct ipe_check_result {
	int kernel_errno; /* 0 when the kernel loads the text, else its -errno (the first error) */
	char *name;       /* NULL when no policy_name= was read */
	uint16_t version[3];
	bool have_version;
	struct ipe_diag *diags; /* in line order within each severity pass */
	size_t n_diags;
	size_t n_errors;
	size_t n_warnings;
	size_t n_suppressed;
	struct ipe_policy *policy; /* the parsed policy when kernel_errno == 0, else NULL */
};

/**
 * ipe_policy_check() - everything the kernel would say about @text, and more.
 * Errors: what makes the kernel refuse the text (the first one decides
 * @ret->kernel_errno; later lines are still checked so that one run shows
 * every broken line). Warnings: what loads but is almost certainly wrong
 * (rules that can never match, unknown digest algorithms, …).
 * Return: 0 (the verdict is in @ret), or -ENOMEM. Release with ipe_check_result_done().
 */
int ipe_policy_check(const char *text, size_t len, struct ipe_check_result *ret);

void ipe_check_result_done(struct ipe_check_result *r);

/* ---- evaluation ---- */

/*
 * One event, as IPE's build_eval_ctx() sees it. Digests are raw bytes; the
 * algorithm names are the kernel's (crypto API name of the verity target,
 * hash_algo_name[] for fs-verity).
 */
struct ipe_eval_ctx {
	enum ipe_op op;
	enum ipe_hook hook;
	bool has_file;     /* false: anonymous memory or kernel_load_data */
	bool initramfs;    /* the file's (visible) superblock is the initramfs */
	bool has_dmverity; /* the real inode's bdev carries a dm-verity root hash */
	const char *dmv_alg;
	const unsigned char *dmv_digest;
	size_t dmv_digest_len;
	bool dmv_signed;   /* root hash signature verified when the device was set up */
	bool has_fsverity; /* the inode has fs-verity enabled */
	const char *fsv_alg;
	const unsigned char *fsv_digest;
	size_t fsv_digest_len;
	bool fsv_signed; /* fs-verity builtin signature verified */
	/*
	 * Bit (1u << IPE_PROP_*) set: the kernel was built without that
	 * property's Kconfig, so both its TRUE and FALSE forms evaluate false.
	 */
	unsigned props_unsupported;
};

enum ipe_match {
	IPE_MATCH_RULE,   /* a rule matched */
	IPE_MATCH_TABLE,  /* the op's DEFAULT */
	IPE_MATCH_GLOBAL, /* the global DEFAULT (also for IPE_OP_INVALID) */
	IPE_MATCH_NONE,   /* no active policy: allowed, not audited */
};

struct ipe_decision {
	enum ipe_action action;
	enum ipe_match match;
	enum ipe_op op;              /* the event's op */
	const struct ipe_rule *rule; /* IPE_MATCH_RULE only; points into the policy */
};

/**
 * ipe_policy_evaluate() - IPE's decision for @ctx under @p (NULL = no active policy).
 * First matching rule of the op in file order, else the op's default, else
 * the global default; an IPE_OP_INVALID event goes to the global default
 * (allow when there is none, as the kernel does after its WARN).
 */
void ipe_policy_evaluate(const struct ipe_policy *p, const struct ipe_eval_ctx *ctx,
			 struct ipe_decision *ret);

/**
 * ipe_decision_rule_string() - the rule= value of the kernel's 1420 audit
 * record (without the enclosing quotes): "op=X prop... action=Y",
 * "DEFAULT op=X action=Y" or "DEFAULT action=Y". A digest appears as the
 * kernel's ipe_digest_audit() writes it: the algorithm as an audit
 * "untrusted string" (in double quotes, or as upper-case hex when it has
 * bytes outside 0x21-0x7e or a '"'), ':', the digest in upper-case hex:
 * dmverity_roothash="sha256":0A1B...
 * Return: 0 and a malloc'd string, -ENOENT for IPE_MATCH_NONE, -ENOMEM.
 */
int ipe_decision_rule_string(const struct ipe_decision *d, char **ret);

/**
 * ipe_rule_to_string() - one rule as text.
 * @audit: render it as the kernel's audit record does (see
 *	ipe_decision_rule_string()), else as policy text (lower-case hex).
 * Return: 0 and a malloc'd string, or -ENOMEM.
 */
int ipe_rule_to_string(const struct ipe_rule *r, bool audit, char **ret);
