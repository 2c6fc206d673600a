// SPDX-License-Identifier: GPL-2.0-only
/* dump: the verity superblock of a hash file, as text (like `veritysetup dump`) or JSON. */
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>

#include "json/json.h"
#include "lib/fileio.h"
#include "lib/hexdecoct.h"
#include "lib/log.h"
#include "lib/verbs.h"
#include "policygen/verb_util.h"
#include "policygen/verbs.h"
#include "policygen/verity_options.h"
#include "verity/manifest.h"
#include "verity/superblock.h"
#include "verity/tree.h"

static int print_json(const struct verity_params *m, const struct verity_geometry *g)
{
	static const enum manifest_field fields[] = {
		MANIFEST_HASH_ALGORITHM,
		MANIFEST_FORMAT,
		MANIFEST_DATA_BLOCK_SIZE,
		MANIFEST_HASH_BLOCK_SIZE,
		MANIFEST_DATA_BLOCKS,
		MANIFEST_HASH_OFFSET,
		MANIFEST_HASH_START,
		MANIFEST_HASH_BLOCKS,
		MANIFEST_SALT,
		MANIFEST_UUID,
		MANIFEST_HASH_SIZE,
	};
	_cleanup_json_ struct json_object *o = json_object_new_object();
	const char *s;
	int r;

	if (!o)
		return -ENOMEM;
	r = manifest_add_fields(o, m, g, fields, ELEMENTSOF(fields));
	if (r < 0)
		return r;
	s = json_format(o, JSON_PRETTY);
	if (!s)
		return -ENOMEM;
	printf("%s\n", s);
	return 0;
}

const struct verb dump_verb = {
	.name = "dump",
	.run = verb_dump,
	.min_operands = 1,
	.max_operands = 1,
	.synopsis = "dump [--json] [--hash-offset N] HASH",
	.help = "Print the verity superblock of HASH like `veritysetup dump`.\n\n"
		"  --json                   print JSON instead\n"
		"  --hash-offset BYTES      where the superblock is\n",
};

int verb_dump(int argc, char *argv[])
{
	enum { ARG_JSON = VERITY_OPT_VERB };
	static const struct option options[] = { { "json", no_argument, NULL, ARG_JSON },
						 { "hash-offset", required_argument, NULL,
						   VERITY_OPT_HASH_OFFSET },
						 {} };
	struct verity_params m = { 0 };
	char salt[2 * VERITY_MAX_SALT + 1], uuid[37];
	_cleanup_close_ int fd = -1;
	struct verity_geometry g;
	uint64_t offset;
	const char *path, *why;
	bool json = false;
	int c, i = 0, r;

	while ((c = getopt_long(argc, argv, "", options, &i)) >= 0) {
		r = verity_parse_option(c, optarg, &m, NULL, &why);
		if (r < 0)
			return usage_error("--%s: '%s' %s", options[i].name, optarg, why);
		if (r > 0)
			continue;
		if (c != ARG_JSON)
			return -EINVAL;
		json = true;
	}
	r = verb_operands(argc - optind);
	if (r < 0)
		return r;
	path = argv[optind];
	offset = m.hash_offset;

	fd = open_image_logged(path);
	if (fd < 0)
		return fd;
	r = verity_superblock_read(fd, offset, &m);
	if (r == -EBADMSG) {
		log_error("%s: no verity superblock at offset %" PRIu64, path, offset);
		return EXIT_NEGATIVE;
	}
	if (r == -EOPNOTSUPP)
		return log_error_errno(r, "%s: unsupported hash algorithm '%s'", path, m.hash_alg);
	if (r < 0)
		return log_error_errno(r, "%s: cannot read: %m", path);
	r = verity_params_geometry(&m, &g);
	if (r < 0)
		return log_error_errno(r, "%s: impossible parameters in the superblock: %m", path);

	hex_encode_to(m.salt, m.salt_size, false, salt);
	verity_format_uuid(m.uuid, uuid);
	if (json)
		r = print_json(&m, &g);
	else {
		printf("VERITY header information for %s\n", path);
		printf("UUID:            \t%s\n", uuid);
		printf("Hash type:       \t%" PRIu32 "\n", m.hash_type);
		printf("Data blocks:     \t%" PRIu64 "\n", m.data_blocks);
		printf("Data block size: \t%" PRIu32 "\n", m.data_block_size);
		printf("Hash blocks:     \t%" PRIu64 "\n", g.hash_blocks);
		printf("Hash block size: \t%" PRIu32 "\n", m.hash_block_size);
		printf("Hash algorithm:  \t%s\n", m.hash_alg);
		printf("Salt:            \t%s\n", m.salt_size ? salt : "-");
		/* As veritysetup: the size only when the hash area is the whole file. */
		if (offset == 0)
			printf("Hash device size: \t%" PRIu64 " [bytes]\n", g.hash_end);
	}
	if (r < 0)
		return log_error_errno(r, "%m");
	return fflush(stdout) == 0 ? 0 : log_error_errno(-EIO, "cannot write to stdout");
}
