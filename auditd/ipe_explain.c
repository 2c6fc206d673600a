// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "auditd/ipe_explain.h"
#include "lib/errno_name.h"
#include "lib/macro.h"

static const char *const step_names[] = {
	[IPE_STEP_NEW_POLICY] = "new_policy",
	[IPE_STEP_UPDATE] = "update",
	[IPE_STEP_ACTIVATE] = "activate",
	[IPE_STEP_ENFORCE] = "enforce",
};

char *ipe_explain(int err, const struct ipe_explain_ctx *c)
{
	const char *name = c->name ?: "?", *ver = c->version ?: "?", *why = NULL;
	_cleanup_free_ char *detail = NULL;
	char *s;

	switch (-err) {
	case ENOKEY:
		/* verify_pkcs7_signature() with VERIFY_USE_SECONDARY_KEYRING, then
		 * VERIFY_USE_PLATFORM_KEYRING (policy.c, IPE_POLICY_SIG_*_KEYRING). */
		why = "no key the kernel trusts signed this policy: the signing certificate must be in "
		      ".builtin_trusted_keys, .secondary_trusted_keys (IPE_POLICY_SIG_SECONDARY_KEYRING; "
		      "ipe-keys enroll) or .platform (IPE_POLICY_SIG_PLATFORM_KEYRING; UEFI db or MOK, "
		      "ipe-keys enroll-uefi); ipe-keys list --cert CERT tells which keyring holds it";
		break;
	case EKEYREJECTED:
		why = "the signature does not verify with the trusted key it names: the policy was "
		      "changed after signing, or signed by another key with the same issuer and serial";
		break;
	case EBADMSG:
		why = c->file_signed
			      ? "the kernel cannot parse the policy inside the signature, or the "
				"signature's PKCS#7 structure (ipe-policygen check shows the line)"
			      : "the file is not a signed policy: the kernel takes only PKCS#7 "
				"(ipe-policygen sign)";
		break;
	case ESTALE:
		/* ipe_update_policy(): ver_to_u64(old) >= ver_to_u64(new) */
		if (asprintf(&detail,
			     "version %s is not higher than the loaded %s %s (an update needs a "
			     "strictly higher version)",
			     ver, name, c->old_version ?: "?") < 0)
			return NULL;
		break;
	case EEXIST:
		why = "a policy of this name is already loaded";
		break;
	case EPERM:
		why = "the write needs CAP_MAC_ADMIN (and the mac_admin permission under SELinux)";
		break;
	case EINVAL:
		if (c->step == IPE_STEP_ACTIVATE) {
			/* ipe_set_active_pol(): ver_to_u64(ap) > ver_to_u64(p) */
			if (asprintf(&detail,
				     "the active policy %s has the higher version %s, and IPE "
				     "never activates a lower version (across names too)",
				     c->active_name ?: "?", c->active_version ?: "?") < 0)
				return NULL;
		} else
			why = c->step == IPE_STEP_UPDATE
				      ? "the policy's name differs from the loaded one's"
				      : "the kernel refused the policy as invalid";
		break;
	case ERANGE:
		why = "a number in the policy is out of range";
		break;
	case ENOENT:
		why = "IPE's securityfs is not there: mount securityfs, and check that ipe is among the "
		      "active LSMs (/sys/kernel/security/lsm)";
		break;
	default:
		why = strerror(-err);
		break;
	}
	if (asprintf(&s, "%s of %s %s refused by the kernel with %s: %s", step_names[c->step], name,
		     ver, errno_name(err) ?: "an error", detail ?: why) < 0)
		return NULL;
	return s;
}
