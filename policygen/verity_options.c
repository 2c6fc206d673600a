// SPDX-License-Identifier: GPL-2.0-only
/* The options that set verity parameters, shared by format, verify, dump and manifest. */
#include "lib/macro.h"
#include "lib/parse_util.h"
#include "policygen/verity_options.h"

int verity_parse_option(int c, const char *arg, struct verity_params *m, unsigned *threads,
			const char **ret_why)
{
	uint32_t u32;

	switch (c) {
	case VERITY_OPT_HASH:
		*ret_why = "is not a hash both OpenSSL and the kernel know (e.g. sha256)";
		return verity_parse_alg(arg, m) < 0 ? -EINVAL : 1;
	case VERITY_OPT_DATA_BLOCK_SIZE:
		*ret_why = "is not a power of 2 from 512 to 524288";
		return verity_parse_block_size(arg, &m->data_block_size) < 0 ? -EINVAL : 1;
	case VERITY_OPT_HASH_BLOCK_SIZE:
		*ret_why = "is not a power of 2 from 512 to 524288";
		return verity_parse_block_size(arg, &m->hash_block_size) < 0 ? -EINVAL : 1;
	case VERITY_OPT_SALT:
		*ret_why = "is not up to 256 bytes of hex, or '-' for none";
		return verity_parse_salt(arg, m) < 0 ? -EINVAL : 1;
	case VERITY_OPT_HASH_OFFSET:
		*ret_why = "is not a multiple of 512 bytes";
		return safe_atou64(arg, &m->hash_offset) < 0 || m->hash_offset % 512 ? -EINVAL : 1;
	case VERITY_OPT_DATA_BLOCKS:
		*ret_why = "is not a positive number";
		return safe_atou64(arg, &m->data_blocks) < 0 || m->data_blocks == 0 ? -EINVAL : 1;
	case VERITY_OPT_NO_SUPERBLOCK:
		m->superblock = false;
		return 1;
	case VERITY_OPT_FORMAT:
		*ret_why = "is neither 1 (normal) nor 0 (Chrome OS)";
		if (safe_atou32(arg, &u32) < 0 || u32 > 1)
			return -EINVAL;
		m->hash_type = u32;
		return 1;
	case VERITY_OPT_THREADS:
		*ret_why = "is not a number from 1 to 256";
		if (safe_atou32(arg, &u32) < 0 || u32 == 0 || u32 > 256)
			return -EINVAL;
		*threads = u32;
		return 1;
	default:
		return 0;
	}
}
