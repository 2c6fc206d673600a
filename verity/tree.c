// SPDX-License-Identifier: GPL-2.0-only
/*
 * The dm-verity hash tree, computed the way cryptsetup's lib/verity does it
 * but in one pass: the leaves on a thread pool (large preads, one digest
 * fetch, one context per thread), which also writes each finished leaf block
 * and hashes it into level 1; the levels above in memory. Chunks of the image
 * in the page cache are copied out of it; the others are read around it with
 * O_DIRECT, which spares the kernel the copy and the page cache the image.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>

#include <openssl/evp.h>

#include "crypto/openssl_util.h"
#include "lib/fileio.h"
#include "lib/hugemem.h"
#include "lib/macro.h"
#include "policy/digest.h"
#include "verity/superblock.h"
#include "verity/tree.h"

/* Bytes each worker reads at once: one huge page, so the copy out of the page cache has few TLB misses. */
#define CHUNK_BYTES (1u << 21)

/* Chunks between two kicks of the hash file's writeback: 64 MiB of data. */
#define WRITEBACK_CHUNKS 32

#ifndef __NR_cachestat
#define __NR_cachestat 451 /* Linux 6.5, the same number on every architecture but alpha */
#endif

/* include/uapi/linux/mman.h (Linux 6.5), absent from older headers. */
struct cachestat_range {
	uint64_t off;
	uint64_t len;
};

struct cachestat {
	uint64_t nr_cache;
	uint64_t nr_dirty;
	uint64_t nr_writeback;
	uint64_t nr_evicted;
	uint64_t nr_recently_evicted;
};

static int fetch_md(const char *alg, EVP_MD **ret)
{
	const struct digest_alg *a = digest_alg_find(alg);
	EVP_MD *md;

	if (!a || !a->dm_verity)
		return -EOPNOTSUPP;
	md = EVP_MD_fetch(NULL, a->openssl, NULL);
	if (!md)
		return -EOPNOTSUPP;
	if (EVP_MD_get_size(md) <= 0 || EVP_MD_get_size(md) > DIGEST_MAX_SIZE) {
		EVP_MD_free(md);
		return -EOPNOTSUPP;
	}
	*ret = md;
	return 0;
}

int verity_digest_size(const char *alg)
{
	EVP_MD *md = NULL;
	int r;

	r = fetch_md(alg, &md);
	if (r < 0)
		return r;
	r = EVP_MD_get_size(md);
	EVP_MD_free(md);
	return r;
}

static unsigned ilog2(uint64_t x)
{
	return 63 - (unsigned)__builtin_clzll(x);
}

int verity_geometry_compute(uint64_t n, uint32_t hbs, uint32_t ds, uint32_t hash_type,
			    uint64_t hash_offset, bool superblock, struct verity_geometry *g)
{
	uint64_t pos = 0, per;

	*g = (struct verity_geometry){ 0 };
	if (n == 0 || ds == 0 || ds > DIGEST_MAX_SIZE || hash_type > 1)
		return -EINVAL;
	if (!verity_block_size_valid(hbs))
		return -EINVAL;
	if (hash_offset % 512 || (!superblock && hash_offset % hbs))
		return -EINVAL;
	if (hbs / ds < 2)
		return -EINVAL;

	g->digest_size = ds;
	g->entry_size = hash_type == 1 ? 1u << (ilog2(ds) + !!(ds & (ds - 1))) : ds;
	g->per_block_bits = ilog2(hbs / ds);
	per = UINT64_C(1) << g->per_block_bits;

	/* As lib/verity/verity_hash.c: the levels it takes to get down to one block. */
	while (g->per_block_bits * g->levels < 64 && ((n - 1) >> (g->per_block_bits * g->levels)))
		g->levels++;
	if (g->levels > VERITY_MAX_LEVELS)
		return -EOVERFLOW;

	if (superblock) {
		if (hash_offset > UINT64_MAX - VERITY_SB_SIZE - hbs)
			return -EOVERFLOW;
		g->hash_start = (hash_offset + VERITY_SB_SIZE + hbs - 1) / hbs;
	} else
		g->hash_start = hash_offset / hbs;

	for (unsigned i = 0; i < g->levels; i++) {
		uint64_t below = i ? g->level_blocks[i - 1] : n;

		g->level_blocks[i] = below / per + !!(below % per); /* no overflow near 2^64 */
	}
	/* The top level comes first on disk, the leaves last. */
	for (unsigned i = g->levels; i-- > 0;) {
		g->level_start[i] = pos;
		if (pos + g->level_blocks[i] < pos)
			return -EOVERFLOW;
		pos += g->level_blocks[i];
	}
	g->hash_blocks = pos;
	if (g->hash_start + pos < g->hash_start || g->hash_start + pos > UINT64_MAX / hbs)
		return -EOVERFLOW;
	g->hash_end = (g->hash_start + pos) * hbs;
	return 0;
}

int verity_params_geometry(const struct verity_params *m, struct verity_geometry *ret)
{
	int ds = m->digest_size;

	if (ds == 0) {
		ds = verity_digest_size(m->hash_alg);
		if (ds < 0)
			return ds;
	}
	return verity_geometry_compute(m->data_blocks, m->hash_block_size, (uint32_t)ds,
				       m->hash_type, m->hash_offset, m->superblock, ret);
}

/* One block's digest: format 1 is H(salt || block), format 0 H(block || salt). */
static int digest_block(EVP_MD_CTX *ctx, const EVP_MD *md, const struct verity_params *m,
			const void *block, size_t len, unsigned char *out)
{
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned size;

	if (!EVP_DigestInit_ex2(ctx, md, NULL))
		return -EIO;
	if (m->hash_type == 1 && m->salt_size && !EVP_DigestUpdate(ctx, m->salt, m->salt_size))
		return -EIO;
	if (!EVP_DigestUpdate(ctx, block, len))
		return -EIO;
	if (m->hash_type == 0 && m->salt_size && !EVP_DigestUpdate(ctx, m->salt, m->salt_size))
		return -EIO;
	if (!EVP_DigestFinal_ex(ctx, digest, &size))
		return -EIO;
	/* Stored with memcpy(), which ThreadSanitizer sees, unlike libcrypto's own stores. */
	memcpy(out, digest, size);
	return 0;
}

int verity_digest_one(const struct verity_params *m, const void *buf, size_t len, unsigned char *out)
{
	_cleanup_(EVP_MD_freep) EVP_MD *md = NULL;
	EVP_MD_CTX *ctx;
	int r;

	r = fetch_md(m->hash_alg, &md);
	if (r < 0)
		return r;
	ctx = EVP_MD_CTX_new();
	if (!ctx)
		return -ENOMEM;
	r = digest_block(ctx, md, m, buf, len, out);
	EVP_MD_CTX_free(ctx);
	return r;
}

struct leaf_job {
	int fd;
	int direct_fd; /* the image opened O_DIRECT, or -1 */
	long page_size;
	const EVP_MD *md;
	const struct verity_params *m;
	unsigned char *leaves;    /* level 0 of the tree */
	unsigned char *level1;    /* level 1, or NULL when level 0 is the top */
	atomic_uint *filled;      /* per leaf block: the entries hashed so far */
	int hash_fd;              /* where level 0 goes as it is finished, or -1 */
	atomic_bool write_failed; /* the error kept in @error came from writing hash_fd */
	uint64_t leaves_offset;   /* its byte offset in hash_fd */
	uint32_t entry_size;
	uint32_t per_block_bits;
	uint64_t chunk_blocks;
	uint64_t chunks;
	atomic_uint_fast64_t next_chunk;
	atomic_uint_fast64_t done_blocks;
	atomic_uint_fast64_t direct_chunks;
	atomic_uint finished;
	atomic_int error;
};

/* Where the digest of block @k of the level below goes in @level. */
static unsigned char *entry_slot(const struct leaf_job *j, unsigned char *level, uint64_t k)
{
	uint64_t per = UINT64_C(1) << j->per_block_bits;

	return level + (k >> j->per_block_bits) * j->m->hash_block_size +
	       (k & (per - 1)) * j->entry_size;
}

/*
 * Count the entries a chunk added to leaf block @b; true when it was the last
 * chunk the block waited for. (A chunk may share its first and last leaf block
 * with its neighbours, hashed by other threads.)
 */
static bool leaf_block_completed(struct leaf_job *j, uint64_t b, uint64_t first, uint64_t end)
{
	uint64_t per = UINT64_C(1) << j->per_block_bits;
	uint64_t lo = MAX(first, b * per), hi = MIN(end, (b + 1) * per);
	uint64_t want = MIN(per, j->m->data_blocks - b * per);
	unsigned n = (unsigned)(hi - lo);

	return atomic_fetch_add(&j->filled[b], n) + n == want;
}

/*
 * The leaf blocks this chunk completed are final: write them out now, in
 * parallel and while other chunks are hashed, and hash them into level 1 here
 * rather than on one thread at the end. They are consecutive: every block
 * inside the chunk, and the ones at its edges if their neighbours are done.
 */
static int finish_leaf_blocks(struct leaf_job *j, EVP_MD_CTX *ctx, uint64_t first, uint64_t count,
			      bool *ret_write_failed)
{
	size_t hbs = j->m->hash_block_size;
	uint64_t end = first + count, lo = first >> j->per_block_bits;
	uint64_t last = (end - 1) >> j->per_block_bits, stop = last + 1;
	int r;

	if (!leaf_block_completed(j, last, first, end))
		stop = last;
	if (lo < last && !leaf_block_completed(j, lo, first, end))
		lo++;
	if (lo >= stop)
		return 0;

	if (j->hash_fd >= 0) {
		r = pwrite_all(j->hash_fd, j->leaves + lo * hbs, (stop - lo) * hbs,
			       (off_t)(j->leaves_offset + lo * hbs));
		if (r < 0) {
			*ret_write_failed = true;
			return r;
		}
	}
	if (!j->level1)
		return 0;
	for (uint64_t b = lo; b < stop; b++) {
		r = digest_block(ctx, j->md, j->m, j->leaves + b * hbs, hbs,
				 entry_slot(j, j->level1, b));
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * Whether most of [off, off + len) of @fd is in the page cache; true when the
 * kernel cannot say. A chunk with a few pages evicted is still copied: the
 * copy brings them back, an O_DIRECT read would leave them out for good.
 */
static bool chunk_cached(const struct leaf_job *j, uint64_t off, uint64_t len)
{
	struct cachestat_range range = { off, len };
	struct cachestat cs;

	if (syscall(__NR_cachestat, j->fd, &range, &cs, 0) < 0)
		return true;
	return cs.nr_cache * (uint64_t)j->page_size >= len / 2;
}

/*
 * One chunk of the image into @buf: a copy out of the page cache when it is
 * mostly there (the warm case: a build that just wrote the image), else one
 * O_DIRECT read from the disk. An O_DIRECT read the file system or the
 * alignment refuses (-EINVAL) falls back to the copy.
 */
static int read_chunk(struct leaf_job *j, void *buf, uint64_t len, uint64_t off)
{
	int r;

	if (j->direct_fd >= 0 && !chunk_cached(j, off, len)) {
		r = pread_all(j->direct_fd, buf, len, (off_t)off);
		if (r != -EINVAL) {
			atomic_fetch_add(&j->direct_chunks, r == 0);
			return r;
		}
	}
	return pread_all(j->fd, buf, len, (off_t)off);
}

static int hash_leaves(struct leaf_job *j, bool *ret_write_failed)
{
	const struct verity_params *m = j->m;
	size_t dbs = m->data_block_size;
	_cleanup_hugemem_ unsigned char *buf = NULL;
	EVP_MD_CTX *ctx;
	int r = 0;

	buf = hugemem_alloc(j->chunk_blocks * dbs);
	ctx = EVP_MD_CTX_new();
	if (!buf || !ctx) {
		EVP_MD_CTX_free(ctx);
		return -ENOMEM;
	}
	for (;;) {
		uint64_t c = atomic_fetch_add(&j->next_chunk, 1), first, count;

		if (c >= j->chunks || atomic_load(&j->error))
			break;
		first = c * j->chunk_blocks;
		count = MIN(j->chunk_blocks, m->data_blocks - first);
		r = read_chunk(j, buf, count * dbs, first * dbs);
		if (r < 0)
			break;
		for (uint64_t i = 0; i < count; i++) {
			r = digest_block(ctx, j->md, m, buf + i * dbs, dbs,
					 entry_slot(j, j->leaves, first + i));
			if (r < 0)
				break;
		}
		if (r == 0)
			r = finish_leaf_blocks(j, ctx, first, count, ret_write_failed);
		if (r < 0)
			break;
		/* Start writeback now and then, so the final fsync() has little left to do. */
		if (j->hash_fd >= 0 && (c + 1) % WRITEBACK_CHUNKS == 0)
			(void)sync_file_range(j->hash_fd, 0, 0, SYNC_FILE_RANGE_WRITE);
		atomic_fetch_add(&j->done_blocks, count);
	}
	EVP_MD_CTX_free(ctx);
	return r;
}

static void *leaf_worker(void *arg)
{
	struct leaf_job *j = arg;
	bool write_failed = false;
	int r = hash_leaves(j, &write_failed), expected = 0;

	/* The first error wins, and with it whether it was a write. */
	if (r < 0 && atomic_compare_exchange_strong(&j->error, &expected, r))
		atomic_store(&j->write_failed, write_failed);
	atomic_fetch_add(&j->finished, 1);
	return NULL;
}

static int run_leaf_pool(struct leaf_job *j, unsigned threads, verity_progress_fn progress,
			 void *userdata)
{
	pthread_t tids[256];
	sigset_t all, saved;
	unsigned started = 0;
	int r = 0;

	threads = MAX(1u, MIN(threads, (unsigned)ELEMENTSOF(tids)));
	if (threads > j->chunks)
		threads = (unsigned)j->chunks;
	/* Workers inherit a full mask: signals (and their handlers) stay on this thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &saved);
	for (; started < threads; started++) {
		r = -pthread_create(&tids[started], NULL, leaf_worker, j);
		if (r < 0)
			break;
	}
	pthread_sigmask(SIG_SETMASK, &saved, NULL);
	if (started == 0)
		return r;
	r = 0; /* fewer threads than asked still hash every chunk */
	if (progress)
		while (atomic_load(&j->finished) < started) {
			struct timespec ts = { 0, 100L * 1000 * 1000 };

			progress(atomic_load(&j->done_blocks), j->m->data_blocks, userdata);
			nanosleep(&ts, NULL);
		}
	for (unsigned i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	if (progress)
		progress(atomic_load(&j->done_blocks), j->m->data_blocks, userdata);
	return atomic_load(&j->error) ?: r;
}

/* Fill levels 2.. from level 1 (the workers made it) and return the root in m->root_hash. */
static int hash_upper_levels(const EVP_MD *md, struct verity_params *m,
			     const struct verity_geometry *g, unsigned char *tree)
{
	size_t hbs = m->hash_block_size;
	uint64_t per = UINT64_C(1) << g->per_block_bits;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int r = 0;

	if (!ctx)
		return -ENOMEM;
	for (unsigned l = 2; l < g->levels && r == 0; l++) {
		const unsigned char *below = tree + g->level_start[l - 1] * hbs;
		unsigned char *here = tree + g->level_start[l] * hbs;

		for (uint64_t b = 0; b < g->level_blocks[l - 1] && r == 0; b++)
			r = digest_block(ctx, md, m, below + b * hbs, hbs,
					 here + (b / per) * hbs + (b % per) * g->entry_size);
	}
	if (r == 0)
		r = digest_block(ctx, md, m, tree + g->level_start[g->levels - 1] * hbs, hbs,
				 m->root_hash);
	EVP_MD_CTX_free(ctx);
	return r;
}

int verity_tree_build(int data_fd, struct verity_params *m, const struct verity_geometry *g,
		      struct verity_build *b, unsigned char **ret_tree)
{
	_cleanup_(EVP_MD_freep) EVP_MD *md = NULL;
	_cleanup_hugemem_ unsigned char *tree = NULL;
	_cleanup_free_ atomic_uint *filled = NULL;
	_cleanup_close_ int direct_fd = -1;
	char fd_path[32];
	struct leaf_job j;
	int r;

	r = fetch_md(m->hash_alg, &md);
	if (r < 0)
		return r;
	m->digest_size = (uint32_t)EVP_MD_get_size(md);
	if (m->digest_size != g->digest_size)
		return -EINVAL;

	if (g->levels == 0) {
		/* A single data block: the root is its digest, there is no tree. */
		_cleanup_free_ unsigned char *blk = malloc(m->data_block_size);
		EVP_MD_CTX *ctx = EVP_MD_CTX_new();

		r = (!blk || !ctx) ? -ENOMEM : pread_all(data_fd, blk, m->data_block_size, 0);
		if (r == 0)
			r = digest_block(ctx, md, m, blk, m->data_block_size, m->root_hash);
		EVP_MD_CTX_free(ctx);
		if (r == 0 && b->progress)
			b->progress(1, 1, b->userdata);
		*ret_tree = NULL;
		return r;
	}

	if (g->hash_blocks > SIZE_MAX / m->hash_block_size)
		return -ENOMEM;
	tree = hugemem_alloc(g->hash_blocks * m->hash_block_size);
	filled = calloc(g->level_blocks[0], sizeof(*filled));
	if (!tree || !filled)
		return -ENOMEM;

	/* A second open file description, since O_DIRECT is a property of one; none is fine. */
	snprintf(fd_path, sizeof(fd_path), "/proc/self/fd/%d", data_fd);
	direct_fd = open(fd_path, O_RDONLY | O_DIRECT | O_CLOEXEC | O_NOCTTY);

	j = (struct leaf_job){
		.fd = data_fd,
		.direct_fd = direct_fd,
		.page_size = sysconf(_SC_PAGESIZE),
		.md = md,
		.m = m,
		.leaves = tree + g->level_start[0] * m->hash_block_size,
		.level1 = g->levels > 1 ? tree + g->level_start[1] * m->hash_block_size : NULL,
		.filled = filled,
		.hash_fd = b->hash_fd,
		.leaves_offset = (g->hash_start + g->level_start[0]) * m->hash_block_size,
		.entry_size = g->entry_size,
		.per_block_bits = g->per_block_bits,
		.chunk_blocks = MAX(1u, CHUNK_BYTES / m->data_block_size),
	};
	j.chunks = DIV_ROUND_UP(m->data_blocks, j.chunk_blocks);
	r = run_leaf_pool(&j, b->threads, b->progress, b->userdata);
	b->write_failed = atomic_load(&j.write_failed);
	b->direct_chunks = atomic_load(&j.direct_chunks);
	if (r < 0)
		return r;
	r = hash_upper_levels(md, m, g, tree);
	if (r < 0)
		return r;
	*ret_tree = TAKE_PTR(tree);
	return 0;
}

/* Index of the first entry where two hash blocks differ, or -1. */
static int64_t first_entry_diff(const unsigned char *a, const unsigned char *b, uint32_t hbs,
				uint32_t entry_size)
{
	for (uint32_t off = 0; off + entry_size <= hbs; off += entry_size)
		if (memcmp(a + off, b + off, entry_size) != 0)
			return off / entry_size;
	return -1;
}

int verity_tree_locate(int data_fd, int hash_fd, const struct verity_params *m,
		       const unsigned char *root, unsigned threads, enum verity_fault *ret_fault,
		       uint64_t *ret_index, unsigned *ret_level)
{
	_cleanup_(EVP_MD_freep) EVP_MD *md = NULL;
	_cleanup_free_ unsigned char *stored = NULL;
	_cleanup_hugemem_ unsigned char *fresh = NULL;
	struct verity_params copy = *m;
	struct verity_build build = VERITY_BUILD_IN_MEMORY(threads);
	struct verity_geometry g;
	unsigned char digest[DIGEST_MAX_SIZE];
	uint32_t hbs = m->hash_block_size;
	EVP_MD_CTX *ctx;
	int r;

	*ret_fault = VERITY_FAULT_NONE;
	*ret_index = 0;
	*ret_level = 0;
	r = verity_params_geometry(m, &g);
	if (r < 0)
		return r;
	r = fetch_md(m->hash_alg, &md);
	if (r < 0)
		return r;

	if (g.levels == 0) {
		r = verity_tree_build(data_fd, &copy, &g, &build, &fresh);
		if (r < 0)
			return r;
		if (memcmp(copy.root_hash, root, g.digest_size) != 0)
			*ret_fault = VERITY_FAULT_DATA_BLOCK;
		return 0;
	}

	stored = malloc(g.hash_blocks * hbs);
	if (!stored)
		return -ENOMEM;
	r = pread_all(hash_fd, stored, g.hash_blocks * hbs, (off_t)(g.hash_start * hbs));
	if (r < 0)
		return r;

	ctx = EVP_MD_CTX_new();
	if (!ctx)
		return -ENOMEM;
	/* Top-down through the stored tree: each block against its parent's entry. */
	r = digest_block(ctx, md, m, stored + g.level_start[g.levels - 1] * hbs, hbs, digest);
	if (r == 0 && memcmp(digest, root, g.digest_size) != 0) {
		*ret_fault = VERITY_FAULT_ROOT;
		*ret_level = g.levels;
	}
	for (unsigned l = g.levels - 1; r == 0 && !*ret_fault && l-- > 0;) {
		uint64_t per = UINT64_C(1) << g.per_block_bits;

		for (uint64_t b = 0; b < g.level_blocks[l]; b++) {
			const unsigned char *parent = stored + (g.level_start[l + 1] + b / per) * hbs +
						      (b % per) * g.entry_size;

			r = digest_block(ctx, md, m, stored + (g.level_start[l] + b) * hbs, hbs,
					 digest);
			if (r < 0)
				break;
			if (memcmp(digest, parent, g.digest_size) != 0) {
				*ret_fault = VERITY_FAULT_HASH_BLOCK;
				*ret_index = g.hash_start + g.level_start[l] + b;
				*ret_level = l;
				break;
			}
		}
	}
	EVP_MD_CTX_free(ctx);
	if (r < 0 || *ret_fault)
		return r;

	/* The stored tree is consistent: compare its leaves with the data. */
	r = verity_tree_build(data_fd, &copy, &g, &build, &fresh);
	if (r < 0)
		return r;
	for (uint64_t b = 0; b < g.level_blocks[0]; b++) {
		uint64_t at = (g.level_start[0] + b) * hbs;
		int64_t e = first_entry_diff(stored + at, fresh + at, hbs, g.entry_size);

		if (e >= 0) {
			*ret_fault = VERITY_FAULT_DATA_BLOCK;
			*ret_index = (b << g.per_block_bits) + (uint64_t)e;
			break;
		}
	}
	return 0;
}
