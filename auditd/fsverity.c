// SPDX-License-Identifier: GPL-2.0-only
/* FS_IOC_MEASURE_VERITY and the builtin-signature test, for `run` and `explain`. */
#include <linux/fsverity.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "lib/macro.h"
#include "auditd/fsverity.h"

void fsverity_measure_fd(int fd, struct auditd_fsverity *ret)
{
	struct {
		struct fsverity_digest d;
		unsigned char buf[64];
	} m = { .d.digest_size = 64 };
	struct fsverity_read_metadata_arg sig = { .metadata_type = FS_VERITY_METADATA_TYPE_SIGNATURE,
						  .length = 1 };
	unsigned char one;

	*ret = (struct auditd_fsverity){};
	if (ioctl(fd, FS_IOC_MEASURE_VERITY, &m) < 0)
		return;
	ret->enabled = true;
	snprintf(ret->alg, sizeof(ret->alg), "%s",
		 m.d.digest_algorithm == FS_VERITY_HASH_ALG_SHA512 ? "sha512" : "sha256");
	ret->digest_len = MIN((size_t)m.d.digest_size, sizeof(ret->digest));
	memcpy(ret->digest, m.d.digest, ret->digest_len);
	sig.buf_ptr = (uintptr_t)&one;
	ret->builtin_sig = ioctl(fd, FS_IOC_READ_VERITY_METADATA, &sig) > 0;
}

bool policy_uses_fsverity(const struct ipe_policy *p, enum ipe_op op)
{
	return auditd_policy_uses(p, op, IPE_PROP_FSV_DIGEST) ||
	       auditd_policy_uses(p, op, IPE_PROP_FSV_SIG_TRUE) ||
	       auditd_policy_uses(p, op, IPE_PROP_FSV_SIG_FALSE);
}
