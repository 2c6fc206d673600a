// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the verity manifest loader (generate and
 * sign-roothash read manifests they did not write). Invariants: a manifest
 * that loads has values within the documented bounds and a self-consistent
 * geometry; written back out and loaded again, it is the same manifest.
 */
#include <string.h>

#include "lib/macro.h"
#include "tests/fuzz/fuzz.h"
#include "verity/manifest.h"
#include "verity/tree.h"

static int fd = -1;
static char path[32];
static char dir[] = "/tmp/fuzz-manifest.XXXXXX";
static char out[sizeof(dir) + 16];

static void remove_dir(void)
{
	unlink(out);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fd = fuzz_memfd("manifest", path);
	/* manifest_write() renames into place, which needs a real directory. */
	REQUIRE(mkdtemp(dir));
	snprintf(out, sizeof(out), "%s/m.json", dir);
	atexit(remove_dir);
	return 0;
}

static bool streq_null(const char *a, const char *b)
{
	return a == b || (a && b && streq(a, b));
}

static bool manifest_same(const struct verity_params *a, const struct verity_params *b)
{
	return streq_null(a->data_path, b->data_path) && streq_null(a->hash_path, b->hash_path) &&
	       streq(a->hash_alg, b->hash_alg) && a->hash_type == b->hash_type &&
	       a->data_block_size == b->data_block_size &&
	       a->hash_block_size == b->hash_block_size && a->data_blocks == b->data_blocks &&
	       a->hash_offset == b->hash_offset && a->hash_start == b->hash_start &&
	       a->salt_size == b->salt_size && memcmp(a->salt, b->salt, a->salt_size) == 0 &&
	       memcmp(a->uuid, b->uuid, 16) == 0 && a->digest_size == b->digest_size &&
	       memcmp(a->root_hash, b->root_hash, a->digest_size) == 0 &&
	       a->superblock == b->superblock && a->hash_blocks == b->hash_blocks;
}

static void check_bounds(const struct verity_params *m)
{
	struct verity_geometry g;

	REQUIRE(verity_block_size_valid(m->data_block_size));
	REQUIRE(verity_block_size_valid(m->hash_block_size));
	REQUIRE(m->salt_size <= VERITY_MAX_SALT);
	REQUIRE(m->digest_size > 0 && m->digest_size <= DIGEST_MAX_SIZE);
	REQUIRE(verity_digest_size(m->hash_alg) == (int)m->digest_size);
	REQUIRE(m->hash_type <= 1);
	REQUIRE(m->data_blocks > 0);
	REQUIRE(m->hash_offset % 512 == 0);
	REQUIRE(verity_params_geometry(m, &g) == 0);
	REQUIRE(g.hash_start == m->hash_start && g.hash_blocks == m->hash_blocks);
	if (!m->superblock)
		REQUIRE(memcmp(m->uuid, (const unsigned char[16]){ 0 }, 16) == 0);
	for (uint32_t i = m->digest_size; i < DIGEST_MAX_SIZE; i++)
		REQUIRE(m->root_hash[i] == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	_cleanup_(verity_params_done) struct verity_params m = { 0 }, again = { 0 };
	char *table;
	int r;

	fuzz_memfd_set(fd, data, size);
	r = manifest_load(path, &m);
	REQUIRE(r == 0 || r == -EBADMSG);
	if (r < 0)
		return 0;
	check_bounds(&m);

	table = manifest_dm_table(&m, "data", "hash");
	REQUIRE(table);
	free(table);

	/* Writing needs both paths; without them the writer refuses. */
	r = manifest_write(out, &m, NULL, NULL, size & 1 ? MANIFEST_COMPACT : 0);
	if (!m.data_path || !m.hash_path) {
		REQUIRE(r == -EINVAL);
		return 0;
	}
	REQUIRE(r == 0);
	REQUIRE(manifest_load(out, &again) == 0);
	REQUIRE(manifest_same(&m, &again));
	return 0;
}
