// SPDX-License-Identifier: GPL-2.0-only
/* Names the kernel uses for ops, hooks, actions and properties. */
#include <stdio.h>
#include <string.h>

#include "lib/macro.h"
#include "policy/internal.h"
#include "policy/policy.h"

/* security/ipe/audit.c audit_op_names[], with __IPE_OP_INVALID as "UNKNOWN". */
static const char *const op_names[IPE_OP_MAX + 1] = {
	[IPE_OP_EXECUTE] = "EXECUTE",
	[IPE_OP_FIRMWARE] = "FIRMWARE",
	[IPE_OP_KMODULE] = "KMODULE",
	[IPE_OP_KEXEC_IMAGE] = "KEXEC_IMAGE",
	[IPE_OP_KEXEC_INITRAMFS] = "KEXEC_INITRAMFS",
	[IPE_OP_POLICY] = "POLICY",
	[IPE_OP_X509] = "X509_CERT",
	[IPE_OP_INVALID] = "UNKNOWN",
};

static const char *const hook_names[IPE_HOOK_MAX] = {
	[IPE_HOOK_BPRM_CHECK] = "BPRM_CHECK",
	[IPE_HOOK_BPRM_CREDS_FOR_EXEC] = "BPRM_CREDS_FOR_EXEC",
	[IPE_HOOK_MMAP] = "MMAP",
	[IPE_HOOK_MPROTECT] = "MPROTECT",
	[IPE_HOOK_KERNEL_READ] = "KERNEL_READ",
	[IPE_HOOK_KERNEL_LOAD] = "KERNEL_LOAD",
};

static const char *const prop_keys[IPE_PROP_MAX] = {
	[IPE_PROP_BOOT_VERIFIED_FALSE] = "boot_verified",
	[IPE_PROP_BOOT_VERIFIED_TRUE] = "boot_verified",
	[IPE_PROP_DMV_ROOTHASH] = "dmverity_roothash",
	[IPE_PROP_DMV_SIG_FALSE] = "dmverity_signature",
	[IPE_PROP_DMV_SIG_TRUE] = "dmverity_signature",
	[IPE_PROP_FSV_DIGEST] = "fsverity_digest",
	[IPE_PROP_FSV_SIG_FALSE] = "fsverity_signature",
	[IPE_PROP_FSV_SIG_TRUE] = "fsverity_signature",
};

const char *ipe_op_name(enum ipe_op op)
{
	if ((unsigned)op > IPE_OP_MAX)
		return NULL;
	return op_names[op];
}

const char *ipe_hook_name(enum ipe_hook hook)
{
	if ((unsigned)hook >= IPE_HOOK_MAX)
		return NULL;
	return hook_names[hook];
}

const char *ipe_action_name(enum ipe_action action)
{
	switch (action) {
	case IPE_ACTION_ALLOW:
		return "ALLOW";
	case IPE_ACTION_DENY:
		return "DENY";
	default:
		return NULL;
	}
}

const char *ipe_prop_key(enum ipe_prop_type type)
{
	if ((unsigned)type >= IPE_PROP_MAX)
		return NULL;
	return prop_keys[type];
}

enum ipe_op ipe_op_from_name(const char *name)
{
	for (unsigned i = 0; i < IPE_OP_MAX; i++)
		if (streq(op_names[i], name))
			return (enum ipe_op)i;
	return IPE_OP_INVALID;
}

bool ipe_isspace(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xa0;
}

void ipe_quote(const char *s, size_t len, char *out, size_t size)
{
	static const size_t max_shown = 48;
	size_t o = 0;

	if (!size)
		return;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char tmp[8];
		size_t n;

		if (i == max_shown) {
			snprintf(tmp, sizeof(tmp), "...");
			n = 3;
		} else if (c >= 0x20 && c < 0x7f && c != '\\') {
			tmp[0] = (char)c;
			n = 1;
		} else {
			snprintf(tmp, sizeof(tmp), "\\x%02x", c);
			n = 4;
		}
		if (o + n >= size)
			break;
		memcpy(out + o, tmp, n);
		o += n;
		if (i == max_shown)
			break;
	}
	out[o] = 0;
}
