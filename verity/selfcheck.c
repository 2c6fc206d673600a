// SPDX-License-Identifier: GPL-2.0-only
/*
 * The sampled self-check of a written tree. It shares nothing with the
 * builder (verity/tree.c) but the table of digest names: the layout is the
 * kernel's (drivers/md/dm-verity-target.c: verity_ctr(), verity_hash_at_level()),
 * the superblock is decoded from cryptsetup's struct verity_sb
 * (lib/verity/verity.c), and everything is read back from the files.
 */
#include <endian.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/random.h>
#include <sys/stat.h>

#include <openssl/evp.h>

#include "lib/fileio.h"
#include "lib/hugemem.h"
#include "lib/macro.h"
#include "policy/digest.h"
#include "verity/selfcheck.h"
#include "verity/superblock.h"
#include "verity/tree.h"

/* The tree as the kernel addresses it. */
struct layout {
	unsigned bits;   /* hash_per_block_bits */
	uint32_t stride; /* bytes from one digest to the next */
	unsigned levels;
	uint64_t level_block[VERITY_MAX_LEVELS]; /* first block of each level, from hash_start */
	uint64_t level_count[VERITY_MAX_LEVELS];
	uint64_t blocks; /* all levels */
};

struct check {
	const struct verity_params *m;
	const EVP_MD *md;
	EVP_MD_CTX *ctx;
	uint32_t ds;
	struct layout l;
	char *why;
	size_t why_size;
};

static int mismatch(struct check *c, const char *fmt, ...) _printf_(2, 3);
static int mismatch(struct check *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->why, c->why_size, fmt, ap);
	va_end(ap);
	return -EBADMSG;
}

static uint32_t le32_at(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return le32toh(v);
}

static uint64_t le64_at(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return le64toh(v);
}

static bool all_zero(const unsigned char *p, size_t len)
{
	return len == 0 || (p[0] == 0 && memcmp(p, p + 1, len - 1) == 0);
}

/* Blocks of a level whose entries cover @n items: DIV_ROUND_UP without overflow. */
static uint64_t covering(uint64_t n, unsigned shift)
{
	return shift >= 64 ? 1 : ((n - 1) >> shift) + 1;
}

/* verity_ctr(): hash_per_block_bits, levels, hash_level_block[]; the stride of verity_hash_at_level(). */
static void layout_compute(const struct verity_params *m, uint32_t ds, struct layout *l)
{
	uint64_t n = m->data_blocks, pos = 0;

	*l = (struct layout){ .bits = 63u - (unsigned)__builtin_clzll(m->hash_block_size / ds) };
	l->stride = m->hash_type ? m->hash_block_size >> l->bits : ds;
	while (l->bits * l->levels < 64 && ((n - 1) >> (l->bits * l->levels)))
		l->levels++;
	for (unsigned i = l->levels; i-- > 0;) {
		l->level_block[i] = pos;
		l->level_count[i] = covering(n, (i + 1) * l->bits);
		pos += l->level_count[i];
	}
	l->blocks = pos;
}

/* The digest dm-verity computes (verity_hash()): salt first in format 1, last in format 0. */
static int digest(struct check *c, const void *buf, size_t len, unsigned char *out)
{
	const struct verity_params *m = c->m;

	if (!EVP_DigestInit_ex2(c->ctx, c->md, NULL))
		return -EIO;
	if (m->hash_type == 1 && m->salt_size && !EVP_DigestUpdate(c->ctx, m->salt, m->salt_size))
		return -EIO;
	if (!EVP_DigestUpdate(c->ctx, buf, len))
		return -EIO;
	if (m->hash_type == 0 && m->salt_size && !EVP_DigestUpdate(c->ctx, m->salt, m->salt_size))
		return -EIO;
	return EVP_DigestFinal_ex(c->ctx, out, NULL) ? 0 : -EIO;
}

/* Where the digest of item @k of level @level - 1 (data blocks for level 0) sits. */
static const unsigned char *entry(const struct check *c, const unsigned char *tree, unsigned level,
				  uint64_t k)
{
	uint64_t block = c->l.level_block[level] + (k >> c->l.bits);

	return tree + block * c->m->hash_block_size +
	       (k & ((UINT64_C(1) << c->l.bits) - 1)) * c->l.stride;
}

/* cryptsetup's struct verity_sb, field by field; the reserved bytes must be zero. */
static int check_superblock(struct check *c, const unsigned char *sb)
{
	const struct verity_params *m = c->m;
	char alg[32] = { 0 };
	uint16_t salt_size;

	if (memcmp(sb, "verity\0\0", 8) != 0)
		return mismatch(c, "superblock: no \"verity\" signature");
	if (le32_at(sb + 8) != 1)
		return mismatch(c, "superblock: version is not 1");
	if (le32_at(sb + 12) != m->hash_type)
		return mismatch(c, "superblock: format differs");
	if (memcmp(sb + 16, m->uuid, 16) != 0)
		return mismatch(c, "superblock: UUID differs");
	memcpy(alg, m->hash_alg, strnlen(m->hash_alg, sizeof(alg) - 1));
	if (memcmp(sb + 32, alg, 32) != 0)
		return mismatch(c, "superblock: algorithm differs");
	if (le32_at(sb + 64) != m->data_block_size || le32_at(sb + 68) != m->hash_block_size)
		return mismatch(c, "superblock: block sizes differ");
	if (le64_at(sb + 72) != m->data_blocks)
		return mismatch(c, "superblock: data block count differs");
	salt_size = (uint16_t)(sb[80] | sb[81] << 8);
	if (salt_size != m->salt_size || memcmp(sb + 88, m->salt, salt_size) != 0)
		return mismatch(c, "superblock: salt differs");
	if (!all_zero(sb + 82, 6) || !all_zero(sb + 88 + salt_size, 256 - salt_size) ||
	    !all_zero(sb + 344, VERITY_SB_SIZE - 344))
		return mismatch(c, "superblock: reserved bytes are not zero");
	return 0;
}

/* Superblock, the bytes up to the tree, and (for a new file) its size. */
static int check_head(struct check *c, int hash_fd, uint64_t hash_start, unsigned flags)
{
	const struct verity_params *m = c->m;
	uint64_t head = hash_start * m->hash_block_size - m->hash_offset;
	uint64_t end = (hash_start + c->l.blocks) * m->hash_block_size;
	_cleanup_free_ unsigned char *buf = NULL;
	struct stat st;
	int r;

	if (m->superblock) {
		buf = malloc(head);
		if (!buf)
			return -ENOMEM;
		r = pread_all(hash_fd, buf, head, (off_t)m->hash_offset);
		if (r < 0)
			return r;
		r = check_superblock(c, buf);
		if (r < 0)
			return r;
		if ((flags & VERITY_SELFCHECK_FRESH) &&
		    !all_zero(buf + VERITY_SB_SIZE, head - VERITY_SB_SIZE))
			return mismatch(c, "the padding after the superblock is not zero");
	}
	if (!(flags & VERITY_SELFCHECK_FRESH))
		return 0;
	if (fstat(hash_fd, &st) < 0)
		return -errno;
	if ((uint64_t)st.st_size != end)
		return mismatch(c, "the file is %jd bytes, the tree ends at %" PRIu64,
				(intmax_t)st.st_size, end);
	return 0;
}

/*
 * Hash block @b of level @level: its digest against its entry one level up
 * (the root for the top block), and every byte that is not a used digest zero.
 */
static int check_hash_block(struct check *c, const unsigned char *tree, unsigned level, uint64_t b)
{
	uint32_t hbs = c->m->hash_block_size;
	const unsigned char *blk = tree + (c->l.level_block[level] + b) * hbs;
	uint64_t items = level ? c->l.level_count[level - 1] : c->m->data_blocks;
	uint64_t per = UINT64_C(1) << c->l.bits, used = MIN(per, items - b * per);
	const unsigned char *want = level + 1 < c->l.levels ? entry(c, tree, level + 1, b)
							    : c->m->root_hash;
	unsigned char got[EVP_MAX_MD_SIZE];
	size_t pos = 0;
	int r;

	r = digest(c, blk, hbs, got);
	if (r < 0)
		return r;
	if (memcmp(got, want, c->ds) != 0)
		return level + 1 < c->l.levels
			       ? mismatch(c,
					  "hash block %" PRIu64
					  " of level %u does not match its entry in level %u",
					  b, level, level + 1)
			       : mismatch(c, "the top hash block does not match the root hash");
	for (uint64_t e = 0; e < used; e++) {
		if (!all_zero(blk + pos, e * c->l.stride - pos))
			break;
		pos = e * c->l.stride + c->ds;
	}
	if (pos != (used - 1) * c->l.stride + c->ds || !all_zero(blk + pos, hbs - pos))
		return mismatch(c,
				"hash block %" PRIu64
				" of level %u: bytes that hold no digest are not zero",
				b, level);
	return 0;
}

/* splitmix64: a fast, well-mixed sequence from one seed. */
static uint64_t next_random(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* The window: a power of 2 of data blocks (see VERITY_SELFCHECK_WINDOW_BYTES). */
static uint64_t sample_window(const struct check *c)
{
	uint64_t w = MAX(1u, VERITY_SELFCHECK_WINDOW_BYTES / c->m->data_block_size);

	w = MIN(w, UINT64_C(1) << c->l.bits);
	while (w > 1 && w > c->m->data_blocks / VERITY_SELFCHECK_MIN_SAMPLES)
		w >>= 1;
	return w;
}

/* One pseudo-random data block in every window against its leaf entry. */
static int check_data_sample(struct check *c, int data_fd, const unsigned char *tree,
			     struct verity_selfcheck_stats *stats)
{
	uint32_t dbs = c->m->data_block_size;
	uint64_t n = c->m->data_blocks, w = sample_window(c), windows = DIV_ROUND_UP(n, w), state;
	_cleanup_free_ unsigned char *buf = NULL;
	_cleanup_free_ uint64_t *sample = NULL;
	unsigned char got[EVP_MAX_MD_SIZE];
	int r;

	if (n == 0) /* nothing to sample, and calloc(0) may return NULL */
		return 0;
	buf = malloc(dbs);
	sample = calloc(windows, sizeof(*sample));
	if (!buf || !sample)
		return -ENOMEM;
	if (getrandom(&state, sizeof(state), 0) != sizeof(state))
		return -errno;
	stats->seed = state;
	stats->window = w;
	/*
	 * Ask for every block first: the disk then reads those that are not cached
	 * (the builder reads around the page cache) many at a time, not one by one.
	 */
	for (uint64_t i = 0; i < windows; i++) {
		sample[i] = i * w + next_random(&state) % MIN(w, n - i * w);
		(void)posix_fadvise(data_fd, (off_t)(sample[i] * dbs), dbs, POSIX_FADV_WILLNEED);
	}
	for (uint64_t i = 0; i < windows; i++) {
		uint64_t b = sample[i];
		const unsigned char *want = c->l.levels ? entry(c, tree, 0, b) : c->m->root_hash;

		r = pread_all(data_fd, buf, dbs, (off_t)(b * dbs));
		if (r < 0)
			return r;
		r = digest(c, buf, dbs, got);
		if (r < 0)
			return r;
		stats->sampled++;
		if (memcmp(got, want, c->ds) != 0)
			return c->l.levels
				       ? mismatch(c, "data block %" PRIu64 " does not match its leaf entry",
						  b)
				       : mismatch(c, "the data block does not match the root hash");
	}
	return 0;
}

static void EVP_MD_freep(EVP_MD **md)
{
	EVP_MD_free(*md);
}

static void evp_md_ctx_freep(EVP_MD_CTX **ctx)
{
	EVP_MD_CTX_free(*ctx);
}

int verity_selfcheck(int data_fd, int hash_fd, const struct verity_params *m, unsigned flags,
		     struct verity_selfcheck_stats *stats, char *why, size_t why_size)
{
	_cleanup_(EVP_MD_freep) EVP_MD *md = NULL;
	_cleanup_(evp_md_ctx_freep) EVP_MD_CTX *ctx = NULL;
	_cleanup_hugemem_ unsigned char *tree = NULL;
	const struct digest_alg *alg = digest_alg_find(m->hash_alg);
	struct check c = { .m = m, .why = why, .why_size = why_size };
	uint64_t hash_start;
	int r;

	*stats = (struct verity_selfcheck_stats){ 0 };
	if (why_size)
		why[0] = 0;
	md = alg && alg->dm_verity ? EVP_MD_fetch(NULL, alg->openssl, NULL) : NULL;
	if (!md)
		return -EOPNOTSUPP;
	ctx = EVP_MD_CTX_new();
	if (!ctx)
		return -ENOMEM;
	c.md = md;
	c.ctx = ctx;
	c.ds = (uint32_t)EVP_MD_get_size(md);
	if (c.ds != m->digest_size || m->hash_block_size / c.ds < 2)
		return -EINVAL;
	layout_compute(m, c.ds, &c.l);

	/* cryptsetup's VERITY_hash_offset_block(): the superblock padded to a hash block. */
	hash_start = m->superblock ? (m->hash_offset + VERITY_SB_SIZE + m->hash_block_size - 1) /
					     m->hash_block_size
				   : m->hash_offset / m->hash_block_size;
	if (hash_start != m->hash_start)
		return mismatch(&c, "hash_start %" PRIu64 " is not %" PRIu64, m->hash_start,
				hash_start);
	r = check_head(&c, hash_fd, hash_start, flags);
	if (r < 0)
		return r;

	if (c.l.blocks) {
		if (c.l.blocks > SIZE_MAX / m->hash_block_size)
			return -ENOMEM;
		tree = hugemem_alloc(c.l.blocks * m->hash_block_size);
		if (!tree)
			return -ENOMEM;
		r = pread_all(hash_fd, tree, c.l.blocks * m->hash_block_size,
			      (off_t)(hash_start * m->hash_block_size));
		if (r < 0)
			return r;
		/* Top-down, as the kernel walks it: each block is trusted only once its parent is. */
		for (unsigned level = c.l.levels; level-- > 0;)
			for (uint64_t b = 0; b < c.l.level_count[level]; b++) {
				r = check_hash_block(&c, tree, level, b);
				if (r < 0)
					return r;
				stats->hash_blocks++;
			}
	}
	return check_data_sample(&c, data_fd, tree, stats);
}
