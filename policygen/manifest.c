// SPDX-License-Identifier: GPL-2.0-only
/* manifest: the JSON manifest of an existing DATA + HASH pair (see verity/manifest.h). */
#include <getopt.h>
#include <inttypes.h>

#include "lib/log.h"
#include "lib/verbs.h"
#include "policygen/verb_util.h"
#include "policygen/verbs.h"
#include "policygen/verity_options.h"
#include "verity/check.h"
#include "verity/manifest.h"
#include "verity/superblock.h"

const struct verb manifest_verb = {
	.name = "manifest",
	.run = verb_manifest,
	.min_operands = 2,
	.max_operands = 2,
	.synopsis = "manifest [OPTIONS] DATA HASH [-o OUT.json]",
	.help = "Write the JSON manifest of an existing DATA and HASH; the root hash is\n"
		"that of the stored tree.\n\n"
		"  -o, --output FILE        where to write (default: standard output)\n"
		"  --hash-offset BYTES      where the superblock is\n"
		"  --verify                 check the data against the tree first\n"
		"  --data-device DEV        data device name for the DM table and command line\n"
		"  --hash-device DEV        hash device name for the DM table and command line\n"
		"  --compact                one line instead of pretty-printed JSON\n",
};

int verb_manifest(int argc, char *argv[])
{
	enum { ARG_VERIFY = VERITY_OPT_VERB, ARG_COMPACT, ARG_DATA_DEVICE, ARG_HASH_DEVICE };
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "hash-offset", required_argument, NULL, VERITY_OPT_HASH_OFFSET },
		{ "verify", no_argument, NULL, ARG_VERIFY },
		{ "compact", no_argument, NULL, ARG_COMPACT },
		{ "data-device", required_argument, NULL, ARG_DATA_DEVICE },
		{ "hash-device", required_argument, NULL, ARG_HASH_DEVICE },
		{}
	};
	_cleanup_(verity_params_done) struct verity_params m = { 0 };
	const char *out = "-", *data_dev = NULL, *hash_dev = NULL, *why;
	_cleanup_close_ int data_fd = -1;
	uint64_t offset, size;
	unsigned flags = 0;
	bool verify = false;
	int c, i = 0, r;

	/* --hash-offset is parsed into m, which verity_image_describe() then fills. */
	while ((c = getopt_long(argc, argv, "o:", options, &i)) >= 0) {
		r = verity_parse_option(c, optarg, &m, NULL, &why);
		if (r < 0)
			return usage_error("--%s: '%s' %s", options[i].name, optarg, why);
		if (r > 0)
			continue;
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case ARG_VERIFY:
			verify = true;
			break;
		case ARG_COMPACT:
			flags |= MANIFEST_COMPACT;
			break;
		case ARG_DATA_DEVICE:
			data_dev = optarg;
			break;
		case ARG_HASH_DEVICE:
			hash_dev = optarg;
			break;
		default:
			return -EINVAL;
		}
	}
	r = verb_operands(argc - optind);
	if (r < 0)
		return r;
	offset = m.hash_offset;

	/* DATA is described too (the DM table, the command lines): it must be there, whole */
	data_fd = open_image_logged(argv[optind]);
	if (data_fd < 0)
		return data_fd;
	r = verity_image_describe(argv[optind], argv[optind + 1], offset, &m);
	if (r == -EBADFD)
		return log_error_errno(r, "%s: not a regular file or block device", argv[optind + 1]);
	if (r == -EBADMSG) {
		log_error("%s: no valid verity superblock at offset %" PRIu64
			  ", or the hash file is truncated",
			  argv[optind + 1], offset);
		return EXIT_NEGATIVE;
	}
	if (r < 0)
		return log_error_errno(r, "%s: cannot describe the image: %m", argv[optind + 1]);
	r = verity_fd_size(data_fd, &size);
	if (r < 0)
		return log_error_errno(r, "%s: cannot size it: %m", m.data_path);
	if (size < m.data_blocks * m.data_block_size) {
		log_error("%s: corrupt: %" PRIu64 " bytes, the tree covers %" PRIu64, m.data_path,
			  size, m.data_blocks * m.data_block_size);
		return EXIT_NEGATIVE;
	}

	/* The root hash above trusts the hash file; --verify checks it against the data too. */
	if (verify) {
		r = verity_cryptsetup_check(m.data_path, m.hash_path, &m, m.root_hash);
		if (r == -EPERM || r == -EFAULT) {
			log_error("%s: corrupt: the data does not match the hash tree", m.data_path);
			return EXIT_NEGATIVE;
		}
		if (r < 0)
			return log_verify_failure(r, m.data_path, m.hash_path, m.hash_path, &m);
	}

	r = manifest_write(out, &m, data_dev, hash_dev, flags);
	if (r < 0)
		return log_output_error(r, out, "cannot write the manifest");
	return 0;
}
