// SPDX-License-Identifier: GPL-2.0-only
/* dump: the verity superblock of a hash file, as text (like `veritysetup dump`) or JSON. */
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>

#include <json-c/json.h>

#include "lib/fileio.h"
#include "lib/hexdecoct.h"
#include "lib/log.h"
#include "lib/verbs.h"
#include "policygen/verbs.h"
#include "policygen/verity_options.h"
#include "verity/superblock.h"
#include "verity/tree.h"

static int print_json(const struct verity_params *m, const struct verity_geometry *g,
		      const char *salt, const char *uuid)
{
	struct json_object *o = json_object_new_object();
	int r = 0;

	if (!o)
		return -ENOMEM;
	/* The same key names as the manifest. */
	if (json_object_object_add(o, "hash_algorithm", json_object_new_string(m->hash_alg)) < 0 ||
	    json_object_object_add(o, "format", json_object_new_int((int)m->hash_type)) < 0 ||
	    json_object_object_add(o, "data_block_size", json_object_new_int64(m->data_block_size)) < 0 ||
	    json_object_object_add(o, "hash_block_size", json_object_new_int64(m->hash_block_size)) < 0 ||
	    json_object_object_add(o, "data_blocks", json_object_new_uint64(m->data_blocks)) < 0 ||
	    json_object_object_add(o, "hash_offset", json_object_new_uint64(m->hash_offset)) < 0 ||
	    json_object_object_add(o, "hash_start", json_object_new_uint64(g->hash_start)) < 0 ||
	    json_object_object_add(o, "hash_blocks", json_object_new_uint64(g->hash_blocks)) < 0 ||
	    json_object_object_add(o, "salt", json_object_new_string(salt)) < 0 ||
	    json_object_object_add(o, "uuid", json_object_new_string(uuid)) < 0 ||
	    json_object_object_add(o, "hash_size", json_object_new_uint64(g->hash_end - m->hash_offset)) < 0)
		r = -ENOMEM;
	else
		printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
								      JSON_C_TO_STRING_SPACED |
								      JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return r;
}

int verb_dump(int argc, char *argv[])
{
	enum { ARG_JSON = VERITY_OPT_VERB };
	static const struct option options[] = {
		{ "json", no_argument, NULL, ARG_JSON },
		{ "hash-offset", required_argument, NULL, VERITY_OPT_HASH_OFFSET },
		{}
	};
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
	if (argc - optind != 1)
		return usage_error("dump [--json] [--hash-offset N] HASH");
	path = argv[optind];
	offset = m.hash_offset;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return log_error_errno(-errno, "%s: cannot open: %m", path);
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
		r = print_json(&m, &g, salt, uuid);
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
