// SPDX-License-Identifier: GPL-2.0-only
/*
 * The 512-byte verity superblock of cryptsetup (lib/verity/verity.c), and
 * describing an existing image from it. Little-endian on disk.
 */
#include <ctype.h>
#include <endian.h>
#include <fcntl.h>

#include "lib/fileio.h"
#include "lib/macro.h"
#include "verity/superblock.h"
#include "verity/tree.h"

struct verity_sb {
	uint8_t signature[8]; /* "verity\0\0" */
	uint32_t version;     /* superblock version: 1 */
	uint32_t hash_type;   /* 0 Chrome OS, 1 normal */
	uint8_t uuid[16];
	uint8_t algorithm[32]; /* NUL-padded, lower case */
	uint32_t data_block_size;
	uint32_t hash_block_size;
	uint64_t data_blocks;
	uint16_t salt_size;
	uint8_t pad1[6];
	uint8_t salt[256];
	uint8_t pad2[168];
} __attribute__((packed));

_Static_assert(sizeof(struct verity_sb) == VERITY_SB_SIZE, "superblock is 512 bytes");

static const uint8_t sb_signature[8] = "verity\0";

int verity_superblock_parse(const void *buf, struct verity_params *m)
{
	struct verity_sb sb;
	size_t alg_len;

	memcpy(&sb, buf, sizeof(sb));
	if (memcmp(sb.signature, sb_signature, sizeof(sb_signature)) != 0)
		return -EBADMSG;
	if (le32toh(sb.version) != 1 || le32toh(sb.hash_type) > 1)
		return -EBADMSG;
	alg_len = strnlen((const char *)sb.algorithm, sizeof(sb.algorithm));
	if (alg_len == 0 || alg_len >= sizeof(m->hash_alg))
		return -EBADMSG;
	for (size_t i = 0; i < alg_len; i++)
		if (!isgraph(sb.algorithm[i]))
			return -EBADMSG;
	if (le16toh(sb.salt_size) > VERITY_MAX_SALT)
		return -EBADMSG;
	if (!verity_block_size_valid(le32toh(sb.data_block_size)) ||
	    !verity_block_size_valid(le32toh(sb.hash_block_size)))
		return -EBADMSG;
	if (le64toh(sb.data_blocks) == 0)
		return -EBADMSG;

	memcpy(m->hash_alg, sb.algorithm, alg_len);
	m->hash_alg[alg_len] = 0;
	for (size_t i = 0; i < alg_len; i++)
		m->hash_alg[i] = (char)tolower((unsigned char)m->hash_alg[i]);
	m->hash_type = le32toh(sb.hash_type);
	memcpy(m->uuid, sb.uuid, sizeof(m->uuid));
	m->data_block_size = le32toh(sb.data_block_size);
	m->hash_block_size = le32toh(sb.hash_block_size);
	m->data_blocks = le64toh(sb.data_blocks);
	m->salt_size = le16toh(sb.salt_size);
	memcpy(m->salt, sb.salt, m->salt_size);
	m->superblock = true;
	return 0;
}

void verity_superblock_build(const struct verity_params *m, void *buf)
{
	struct verity_sb sb = { 0 };

	memcpy(sb.signature, sb_signature, sizeof(sb.signature));
	sb.version = htole32(1);
	sb.hash_type = htole32(m->hash_type);
	memcpy(sb.uuid, m->uuid, sizeof(sb.uuid));
	memcpy(sb.algorithm, m->hash_alg, strnlen(m->hash_alg, sizeof(sb.algorithm) - 1));
	sb.data_block_size = htole32(m->data_block_size);
	sb.hash_block_size = htole32(m->hash_block_size);
	sb.data_blocks = htole64(m->data_blocks);
	sb.salt_size = htole16((uint16_t)m->salt_size);
	memcpy(sb.salt, m->salt, m->salt_size);
	memcpy(buf, &sb, sizeof(sb));
}

/* The root of an existing tree: the digest of its top block (or of the only data block). */
static int root_of_tree(const char *data_path, int hash_fd, struct verity_params *m,
			const struct verity_geometry *g)
{
	_cleanup_free_ unsigned char *block = NULL;
	_cleanup_close_ int data_fd = -1;
	uint64_t at;
	int r;

	if (g->levels == 0) {
		data_fd = verity_open_image(data_path);
		if (data_fd < 0)
			return data_fd;
		block = malloc(m->data_block_size);
		if (!block)
			return -ENOMEM;
		r = pread_all(data_fd, block, m->data_block_size, 0);
		if (r < 0)
			return r;
		return verity_digest_one(m, block, m->data_block_size, m->root_hash);
	}

	block = malloc(m->hash_block_size);
	if (!block)
		return -ENOMEM;
	at = (g->hash_start + g->level_start[g->levels - 1]) * m->hash_block_size;
	r = pread_all(hash_fd, block, m->hash_block_size, (off_t)at);
	if (r < 0)
		return r;
	return verity_digest_one(m, block, m->hash_block_size, m->root_hash);
}

int verity_superblock_read(int fd, uint64_t hash_offset, struct verity_params *m)
{
	unsigned char buf[VERITY_SB_SIZE];
	int r, ds;

	r = pread_all(fd, buf, sizeof(buf), (off_t)hash_offset);
	if (r == -ENODATA) /* the file ends before a whole superblock; a read error stays -EIO */
		return -EBADMSG;
	if (r < 0)
		return r;
	r = verity_superblock_parse(buf, m);
	if (r < 0)
		return r;
	ds = verity_digest_size(m->hash_alg);
	if (ds < 0)
		return ds;
	m->digest_size = (uint32_t)ds;
	m->hash_offset = hash_offset;
	return 0;
}

int verity_image_describe(const char *data_path, const char *hash_path, uint64_t hash_offset,
			  struct verity_params *ret)
{
	_cleanup_close_ int fd = -1;
	struct verity_params m = { 0 };
	struct verity_geometry g;
	uint64_t size;
	int r;

	if (hash_offset % 512)
		return -EINVAL;
	fd = verity_open_image(hash_path);
	if (fd < 0)
		return fd;
	r = verity_superblock_read(fd, hash_offset, &m);
	if (r < 0)
		return r;
	r = verity_params_geometry(&m, &g);
	if (r < 0)
		return -EBADMSG;
	r = verity_fd_size(fd, &size);
	if (r < 0)
		return r;
	if (size < g.hash_end)
		return -EBADMSG; /* truncated hash file */
	m.hash_start = g.hash_start;
	m.hash_blocks = g.hash_blocks;
	r = root_of_tree(data_path, fd, &m, &g);
	if (r < 0)
		return r;

	m.data_path = strdup(data_path);
	m.hash_path = strdup(hash_path);
	if (!m.data_path || !m.hash_path) {
		verity_params_done(&m);
		return -ENOMEM;
	}
	*ret = m;
	return 0;
}
