// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the dm-verity superblock, as `dump` and `manifest`
 * read it from a hash file. Invariants: a superblock that parses has the
 * values dm-verity accepts, and building it again gives a superblock that
 * parses to the same values (and builds to the same bytes); reading it from
 * a file agrees with parsing it; describing an image never reads outside
 * the tree the superblock lays out.
 */
#include <ctype.h>
#include <string.h>

#include "lib/macro.h"
#include "tests/fuzz/fuzz.h"
#include "verity/manifest.h"
#include "verity/superblock.h"
#include "verity/tree.h"

static int fd = -1;
static char path[32];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fd = fuzz_memfd("hash", path);
	return 0;
}

static bool manifest_same(const struct verity_params *a, const struct verity_params *b)
{
	return streq(a->hash_alg, b->hash_alg) && a->hash_type == b->hash_type &&
	       a->data_block_size == b->data_block_size &&
	       a->hash_block_size == b->hash_block_size && a->data_blocks == b->data_blocks &&
	       a->salt_size == b->salt_size && memcmp(a->salt, b->salt, a->salt_size) == 0 &&
	       memcmp(a->uuid, b->uuid, 16) == 0 && a->superblock == b->superblock;
}

static void check_values(const struct verity_params *m)
{
	size_t alg_len = strlen(m->hash_alg);

	REQUIRE(m->superblock);
	REQUIRE(m->hash_type <= 1);
	REQUIRE(verity_block_size_valid(m->data_block_size));
	REQUIRE(verity_block_size_valid(m->hash_block_size));
	REQUIRE(m->data_blocks > 0);
	REQUIRE(m->salt_size <= VERITY_MAX_SALT);
	REQUIRE(alg_len > 0 && alg_len < sizeof(m->hash_alg));
	for (size_t i = 0; i < alg_len; i++)
		REQUIRE(isgraph((unsigned char)m->hash_alg[i]) &&
			!isupper((unsigned char)m->hash_alg[i]));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char sb[VERITY_SB_SIZE] = { 0 }, built[VERITY_SB_SIZE], rebuilt[VERITY_SB_SIZE];
	struct verity_params m = { 0 }, again = { 0 }, read = { 0 }, d = { 0 };
	struct verity_geometry g;
	int r, rr, rd;

	memcpy(sb, data, MIN(size, sizeof(sb)));
	r = verity_superblock_parse(sb, &m);
	REQUIRE(r == 0 || r == -EBADMSG);
	if (r == 0) {
		check_values(&m);
		verity_superblock_build(&m, built);
		REQUIRE(verity_superblock_parse(built, &again) == 0);
		REQUIRE(manifest_same(&m, &again));
		verity_superblock_build(&again, rebuilt);
		REQUIRE(memcmp(built, rebuilt, sizeof(built)) == 0);
	}

	/* The input as a whole hash file, superblock at offset 0. */
	fuzz_memfd_set(fd, data, size);
	rr = verity_superblock_read(fd, 0, &read);
	if (size < VERITY_SB_SIZE)
		REQUIRE(rr == -EBADMSG);
	else if (r < 0)
		REQUIRE(rr == r);
	else {
		/* A superblock can name a hash this build does not know. */
		REQUIRE(rr == 0 || rr == -EOPNOTSUPP);
		REQUIRE(manifest_same(&m, &read));
		if (rr == 0)
			REQUIRE(read.digest_size > 0 && read.digest_size <= DIGEST_MAX_SIZE);
	}

	/* Data and hash in the same file: the single data block case reads it too. */
	rd = verity_image_describe(path, path, 0, &d);
	if (rr < 0)
		REQUIRE(rd == rr);
	if (rd == 0) {
		REQUIRE(rr == 0 && manifest_same(&read, &d));
		REQUIRE(verity_params_geometry(&d, &g) == 0);
		REQUIRE(g.hash_end <= size);
		REQUIRE(d.hash_start == g.hash_start && d.hash_blocks == g.hash_blocks);
		REQUIRE(d.data_path && d.hash_path);
	}
	verity_params_done(&d);
	return 0;
}
