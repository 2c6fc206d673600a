// SPDX-License-Identifier: GPL-2.0-only
/* verify: check DATA against its hash tree and root hash, with libcryptsetup as the judge. */
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>

#include "lib/fileio.h"
#include "lib/log.h"
#include "lib/verbs.h"
#include "policygen/verb_util.h"
#include "policygen/verbs.h"
#include "policygen/verity_options.h"
#include "verity/check.h"
#include "verity/roothash.h"
#include "verity/superblock.h"
#include "verity/tree.h"

struct verify_args {
	const char *data_path;
	const char *hash_path;
	const char *root_hex;
	const char *root_hash_file;
	unsigned threads;
};

const struct verb verify_verb = {
	.name = "verify",
	.run = verb_verify,
	.min_operands = 2,
	.max_operands = 3,
	.synopsis = "verify [OPTIONS] DATA HASH (ROOTHASH | --root-hash-file F)",
	.help = "Check DATA against the hash tree in HASH and the root hash with libcryptsetup;\n"
		"on a mismatch, say which block is wrong.\n\n"
		"  --hash-offset BYTES      where the superblock (or tree) starts in HASH\n"
		"  --root-hash-file F       read the root hash from F\n"
		"  --threads N              threads used to locate a corruption\n"
		"  --no-superblock          take the parameters from the options below:\n"
		"  --hash ALG               hash algorithm (default sha256)\n"
		"  --data-block-size N      data block size (default 4096)\n"
		"  --hash-block-size N      hash block size (default 4096)\n"
		"  --salt HEX|-             salt; - for none\n"
		"  --format 1|0             1 normal (default), 0 Chrome OS\n"
		"  --data-blocks N          data blocks (default: the whole DATA)\n",
};

static int parse_args(int argc, char *argv[], struct verify_args *a, struct verity_params *m)
{
	enum { ARG_ROOT_HASH_FILE = VERITY_OPT_VERB };
	static const struct option options[] = { VERITY_GEOMETRY_OPTIONS,
						 { "root-hash-file", required_argument, NULL,
						   ARG_ROOT_HASH_FILE },
						 {} };
	const char *why;
	int c, i = 0, r;

	while ((c = getopt_long(argc, argv, "", options, &i)) >= 0) {
		r = verity_parse_option(c, optarg, m, &a->threads, &why);
		if (r < 0)
			return usage_error("--%s: '%s' %s", options[i].name, optarg, why);
		if (r > 0)
			continue;
		if (c != ARG_ROOT_HASH_FILE)
			return -EINVAL;
		a->root_hash_file = optarg;
	}
	r = verb_operands(argc - optind);
	if (r < 0)
		return r;
	if (argc - optind != (a->root_hash_file ? 2 : 3))
		return usage_error("verify [OPTIONS] DATA HASH (ROOTHASH | --root-hash-file F)");
	a->data_path = argv[optind];
	a->hash_path = argv[optind + 1];
	if (!a->root_hash_file)
		a->root_hex = argv[optind + 2];
	return 0;
}

/* Parameters from the superblock, or from the options (and the data size) without one. */
static int load_params(const struct verify_args *a, int data_fd, struct verity_params *m)
{
	_cleanup_close_ int fd = -1;
	struct verity_params from_sb = { 0 };
	int r;

	if (!m->superblock) {
		if (m->data_blocks == 0) {
			uint64_t size;

			r = verity_fd_size(data_fd, &size);
			if (r < 0)
				return log_error_errno(r, "%s: %m", a->data_path);
			m->data_blocks = size / m->data_block_size;
			if (m->data_blocks == 0)
				return log_error_errno(-EINVAL, "%s: smaller than one data block",
						       a->data_path);
		}
		return 0;
	}
	fd = open_image_logged(a->hash_path);
	if (fd < 0)
		return fd;
	r = verity_superblock_read(fd, m->hash_offset, &from_sb);
	if (r == -EBADMSG)
		return log_error_errno(r,
				       "%s: no verity superblock at offset %" PRIu64
				       " (--no-superblock?)",
				       a->hash_path, m->hash_offset);
	if (r == -EOPNOTSUPP)
		return log_error_errno(r, "%s: unsupported hash algorithm '%s'", a->hash_path,
				       from_sb.hash_alg);
	if (r < 0)
		return log_error_errno(r, "%s: cannot read: %m", a->hash_path);
	*m = from_sb;
	return 0;
}

static int read_root(const struct verify_args *a, const struct verity_params *m, struct root_hash *root)
{
	const char *source = a->root_hash_file ?: a->root_hex;
	int r;

	if (a->root_hash_file)
		r = root_hash_read_file(a->root_hash_file, m->digest_size, root);
	else
		r = root_hash_parse(a->root_hex, strlen(a->root_hex), m->digest_size, root);
	if (r == -EINVAL || r == -EMSGSIZE || r == -EFBIG)
		return log_error_errno(-EINVAL,
				       "%s: not a %s root hash (%" PRIu32 " hex digits expected)",
				       source, m->hash_alg, 2 * m->digest_size);
	if (r < 0)
		return log_error_errno(r, "%s: cannot read: %m", source);
	return 0;
}

/* A file shorter than the tree says is a corrupt image, not an I/O error. */
static int check_sizes(const struct verify_args *a, const struct verity_params *m,
		       const struct verity_geometry *g, int data_fd)
{
	_cleanup_close_ int hash_fd = -1;
	uint64_t size;
	int r;

	r = verity_fd_size(data_fd, &size);
	if (r < 0)
		return log_error_errno(r, "%s: %m", a->data_path);
	if (size < m->data_blocks * m->data_block_size) {
		log_error("%s: corrupt: %" PRIu64 " bytes, the tree covers %" PRIu64, a->data_path,
			  size, m->data_blocks * m->data_block_size);
		return EXIT_NEGATIVE;
	}
	hash_fd = open_image_logged(a->hash_path);
	if (hash_fd < 0)
		return hash_fd;
	r = verity_fd_size(hash_fd, &size);
	if (r < 0)
		return log_error_errno(r, "%s: %m", a->hash_path);
	if (size < g->hash_end) {
		log_error("%s: corrupt: %" PRIu64 " bytes, the tree ends at %" PRIu64, a->hash_path,
			  size, g->hash_end);
		return EXIT_NEGATIVE;
	}
	return 0;
}

static void explain(const struct verify_args *a, const struct verity_params *m,
		    const unsigned char *root, int data_fd, int verdict)
{
	_cleanup_close_ int hash_fd = verity_open_image(a->hash_path);
	enum verity_fault fault = VERITY_FAULT_NONE;
	uint64_t index = 0;
	unsigned level = 0;
	int r = hash_fd < 0 ? hash_fd
			    : verity_tree_locate(data_fd, hash_fd, m, root, a->threads, &fault,
						 &index, &level);

	switch (r < 0 ? VERITY_FAULT_NONE : fault) {
	case VERITY_FAULT_ROOT:
		log_error("%s: corrupt: the root hash does not match the top hash block", a->hash_path);
		return;
	case VERITY_FAULT_HASH_BLOCK:
		log_error("%s: corrupt: hash block %" PRIu64
			  " (tree level %u) does not match its parent",
			  a->hash_path, index, level);
		return;
	case VERITY_FAULT_DATA_BLOCK:
		log_error("%s: corrupt: data block %" PRIu64 " (bytes %" PRIu64 "..%" PRIu64
			  ") does not match its hash",
			  a->data_path, index, index * m->data_block_size,
			  (index + 1) * m->data_block_size - 1);
		return;
	case VERITY_FAULT_NONE:
		break;
	}
	log_error("%s: corrupt: %s", a->data_path,
		  verdict == -EFAULT ? "the root hash differs" : "a block does not match its hash");
}

int verb_verify(int argc, char *argv[])
{
	struct verify_args a = { .threads = verity_default_threads() };
	struct verity_params m = VERITY_PARAMS_DEFAULTS;
	struct root_hash root;
	_cleanup_close_ int data_fd = -1;
	struct verity_geometry g;
	int r;

	r = parse_args(argc, argv, &a, &m);
	if (r < 0)
		return r;
	data_fd = open_image_logged(a.data_path);
	if (data_fd < 0)
		return data_fd;
	r = load_params(&a, data_fd, &m);
	if (r < 0)
		return r;
	r = verity_params_geometry(&m, &g);
	if (r < 0)
		return log_error_errno(r, "%s: impossible verity parameters: %m", a.hash_path);
	m.hash_start = g.hash_start;
	r = read_root(&a, &m, &root);
	if (r < 0)
		return r;
	r = check_sizes(&a, &m, &g, data_fd);
	if (r != 0)
		return r;

	r = verity_cryptsetup_check(a.data_path, a.hash_path, &m, root.bytes);
	if (r == 0) {
		log_debug("%s: intact", a.data_path);
		return 0;
	}
	if (r == -EPERM || r == -EFAULT) {
		explain(&a, &m, root.bytes, data_fd, r);
		return EXIT_NEGATIVE;
	}
	return log_verify_failure(r, a.data_path, a.hash_path, a.hash_path, &m);
}
