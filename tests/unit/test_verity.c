// SPDX-License-Identifier: GPL-2.0-only
/* The verity tree geometry, superblock, seed derivation and manifest model. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/fileio.h"
#include "lib/hexdecoct.h"
#include "lib/hugemem.h"
#include "lib/macro.h"
#include "tests/harness.h"
#include "verity/check.h"
#include "verity/manifest.h"
#include "verity/roothash.h"
#include "verity/superblock.h"
#include "verity/tree.h"

TEST(geometry_single_block)
{
	struct verity_geometry g;

	ASSERT_OK(verity_geometry_compute(1, 4096, 32, 1, 0, true, &g));
	ASSERT_EQ(g.levels, 0);
	ASSERT_EQ(g.hash_blocks, 0);
	ASSERT_EQ(g.hash_start, 1);
	ASSERT_EQ(g.hash_end, 4096);
}

TEST(geometry_sha256_boundaries)
{
	struct verity_geometry g;

	/* 128 digests of 32 bytes fill one 4K hash block exactly. */
	ASSERT_OK(verity_geometry_compute(128, 4096, 32, 1, 0, true, &g));
	ASSERT_EQ(g.per_block_bits, 7);
	ASSERT_EQ(g.levels, 1);
	ASSERT_EQ(g.level_blocks[0], 1);
	ASSERT_EQ(g.hash_blocks, 1);

	ASSERT_OK(verity_geometry_compute(129, 4096, 32, 1, 0, true, &g));
	ASSERT_EQ(g.levels, 2);
	ASSERT_EQ(g.level_blocks[0], 2);
	ASSERT_EQ(g.level_blocks[1], 1);
	/* Top level first on disk. */
	ASSERT_EQ(g.level_start[1], 0);
	ASSERT_EQ(g.level_start[0], 1);
	ASSERT_EQ(g.hash_blocks, 3);
	ASSERT_EQ(g.hash_end, 4 * 4096);

	ASSERT_OK(verity_geometry_compute(16387, 4096, 32, 1, 0, true, &g));
	ASSERT_EQ(g.levels, 3);
	ASSERT_EQ(g.level_blocks[0], 129);
	ASSERT_EQ(g.level_blocks[1], 2);
	ASSERT_EQ(g.level_blocks[2], 1);
	ASSERT_EQ(g.level_start[2], 0);
	ASSERT_EQ(g.level_start[1], 1);
	ASSERT_EQ(g.level_start[0], 3);
	ASSERT_EQ(g.hash_blocks, 132);

	/* 1000 blocks: veritysetup dump says "Hash blocks: 9". */
	ASSERT_OK(verity_geometry_compute(1000, 4096, 32, 1, 0, true, &g));
	ASSERT_EQ(g.hash_blocks, 9);
}

TEST(geometry_padding_and_formats)
{
	struct verity_geometry g;

	/* sha1 digests are padded to 32 bytes in format 1, packed in format 0. */
	ASSERT_OK(verity_geometry_compute(100, 512, 20, 1, 0, true, &g));
	ASSERT_EQ(g.entry_size, 32);
	ASSERT_EQ(g.per_block_bits, 4);
	ASSERT_EQ(g.levels, 2);
	ASSERT_EQ(g.level_blocks[0], 7);
	ASSERT_EQ(g.level_blocks[1], 1);
	ASSERT_OK(verity_geometry_compute(100, 512, 20, 0, 0, true, &g));
	ASSERT_EQ(g.entry_size, 20);
	ASSERT_EQ(g.per_block_bits, 4);

	/* sha512 in 4K blocks: 64 per block. */
	ASSERT_OK(verity_geometry_compute(65, 4096, 64, 1, 0, true, &g));
	ASSERT_EQ(g.per_block_bits, 6);
	ASSERT_EQ(g.levels, 2);
	ASSERT_EQ(g.level_blocks[0], 2);
}

TEST(geometry_hash_start)
{
	struct verity_geometry g;

	/* Superblock at the offset, rounded up to a hash block. */
	ASSERT_OK(verity_geometry_compute(129, 4096, 32, 1, 1024, true, &g));
	ASSERT_EQ(g.hash_start, 1);
	ASSERT_OK(verity_geometry_compute(129, 512, 32, 1, 1024, true, &g));
	ASSERT_EQ(g.hash_start, 3);
	ASSERT_OK(verity_geometry_compute(129, 4096, 32, 1, 4096, true, &g));
	ASSERT_EQ(g.hash_start, 2);
	ASSERT_EQ(g.hash_end, (2 + 3) * 4096);
	/* No superblock: the tree starts at the offset itself. */
	ASSERT_OK(verity_geometry_compute(129, 4096, 32, 1, 8192, false, &g));
	ASSERT_EQ(g.hash_start, 2);
	ASSERT_OK(verity_geometry_compute(129, 4096, 32, 1, 0, false, &g));
	ASSERT_EQ(g.hash_start, 0);
	ASSERT_EQ(g.hash_end, 3 * 4096);
}

TEST(geometry_rejects)
{
	struct verity_geometry g;

	ASSERT_EQ(verity_geometry_compute(0, 4096, 32, 1, 0, true, &g), -EINVAL);
	ASSERT_EQ(verity_geometry_compute(10, 1000, 32, 1, 0, true, &g), -EINVAL);
	ASSERT_EQ(verity_geometry_compute(10, 256, 32, 1, 0, true, &g), -EINVAL);
	ASSERT_EQ(verity_geometry_compute(10, 1u << 20, 32, 1, 0, true, &g), -EINVAL);
	ASSERT_EQ(verity_geometry_compute(10, 4096, 32, 1, 100, true, &g), -EINVAL);
	ASSERT_EQ(verity_geometry_compute(10, 4096, 32, 1, 512, false, &g), -EINVAL);
	ASSERT_EQ(verity_geometry_compute(10, 4096, 32, 2, 0, true, &g), -EINVAL);
	ASSERT_EQ(verity_geometry_compute(UINT64_MAX, 512, 64, 1, 0, true, &g) < 0, 1);
}

TEST(superblock_roundtrip)
{
	struct verity_params m = { .hash_alg = "sha512",
				   .hash_type = 1,
				   .data_block_size = 1024,
				   .hash_block_size = 512,
				   .data_blocks = 123456,
				   .salt_size = 3,
				   .salt = { 1, 2, 3 },
				   .uuid = { 0xde, 0xad } };
	struct verity_params back = { 0 };
	unsigned char sb[VERITY_SB_SIZE];

	verity_superblock_build(&m, sb);
	ASSERT_MEMEQ(sb, "verity\0\0\1\0\0\0\1\0\0\0", 16);
	ASSERT_OK(verity_superblock_parse(sb, &back));
	ASSERT_STREQ(back.hash_alg, "sha512");
	ASSERT_EQ(back.data_block_size, 1024);
	ASSERT_EQ(back.hash_block_size, 512);
	ASSERT_EQ(back.data_blocks, 123456);
	ASSERT_EQ(back.salt_size, 3);
	ASSERT_MEMEQ(back.salt, m.salt, 3);
	ASSERT_MEMEQ(back.uuid, m.uuid, 16);
	ASSERT_EQ(back.superblock, true);

	sb[0] = 'V';
	ASSERT_EQ(verity_superblock_parse(sb, &back), -EBADMSG);
	sb[0] = 'v';
	sb[80] = 0x01; /* salt_size 257 */
	sb[81] = 0x01;
	ASSERT_EQ(verity_superblock_parse(sb, &back), -EBADMSG);
}

TEST(seed_derivation)
{
	unsigned char salt[32], uuid[16], salt2[32], uuid2[16];
	char hex[65];

	/* printf %s 'ipe-tools verity salt v1' | openssl dgst -sha256 -hmac hello */
	ASSERT_OK(verity_seed_derive("hello", salt, uuid));
	hex_encode_to(salt, 32, false, hex);
	ASSERT_STREQ(hex, "91467c265fe4d8fcbe0cbbabb5a6057aeb712ed6ab67dac91e1a43407d27391a");
	ASSERT_EQ(uuid[6] >> 4, 4);
	ASSERT_EQ(uuid[8] >> 6, 2);
	ASSERT_OK(verity_seed_derive("hello!", salt2, uuid2));
	ASSERT_TRUE(memcmp(salt, salt2, 32) != 0);
	ASSERT_TRUE(memcmp(uuid, uuid2, 16) != 0);
}

TEST(parsers)
{
	struct verity_params m = { 0 };
	unsigned char uuid[16];
	char s[37];

	ASSERT_OK(verity_parse_alg("SHA256", &m));
	ASSERT_STREQ(m.hash_alg, "sha256");
	ASSERT_EQ(m.digest_size, 32);
	ASSERT_EQ(verity_parse_alg("md5", &m), -EINVAL);
	ASSERT_EQ(verity_parse_alg("sha-256", &m), -EINVAL);
	ASSERT_OK(verity_parse_salt("-", &m));
	ASSERT_EQ(m.salt_size, 0);
	ASSERT_OK(verity_parse_salt("00FF", &m));
	ASSERT_EQ(m.salt_size, 2);
	ASSERT_EQ(m.salt[1], 0xff);
	ASSERT_EQ(verity_parse_salt("abc", &m), -EINVAL);
	ASSERT_OK(verity_parse_uuid("12345678-9ABC-def0-1234-56789abcdef0", uuid));
	verity_format_uuid(uuid, s);
	ASSERT_STREQ(s, "12345678-9abc-def0-1234-56789abcdef0");
	ASSERT_EQ(verity_parse_uuid("12345678-9abc-def0-1234_56789abcdef0", uuid), -EINVAL);
	ASSERT_EQ(verity_parse_uuid("12345678", uuid), -EINVAL);
	uint32_t bs;
	ASSERT_OK(verity_parse_block_size("524288", &bs));
	ASSERT_EQ(verity_parse_block_size("1048576", &bs), -EINVAL);
	ASSERT_EQ(verity_parse_block_size("768", &bs), -EINVAL);
}

static char *tmp_path(const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", test_tmp_dir(), name) < 0)
		abort();
	return p;
}

/* A 300-block image formatted in-process, then described, written and loaded back. */
TEST(describe_manifest_roundtrip)
{
	_cleanup_free_ char *data = tmp_path("data"), *hash = tmp_path("hash"),
			    *json = tmp_path("m.json"), *sig = tmp_path("sig.p7s");
	_cleanup_free_ unsigned char *img = malloc((size_t)300 * 4096);
	_cleanup_hugemem_ unsigned char *tree = NULL;
	struct verity_build build = VERITY_BUILD_IN_MEMORY(3);
	struct verity_params m = { .hash_alg = "sha256",
				   .digest_size = 32,
				   .hash_type = 1,
				   .data_block_size = 4096,
				   .hash_block_size = 4096,
				   .data_blocks = 300,
				   .superblock = true,
				   .salt_size = 2,
				   .salt = { 0xab, 0xcd } };
	struct verity_params d = { 0 }, l = { 0 };
	struct verity_geometry g;
	unsigned char sb[VERITY_SB_SIZE];
	_cleanup_free_ char *text = NULL;
	char root[129];
	size_t len;
	int fd;

	for (size_t i = 0; i < (size_t)300 * 4096; i++)
		img[i] = (unsigned char)(i * 2654435761u >> 13);
	ASSERT_OK(write_file_atomic(data, img, (size_t)300 * 4096, 0644, 0));
	fd = open(data, O_RDONLY);
	ASSERT_TRUE(fd >= 0);
	ASSERT_OK(verity_params_geometry(&m, &g));
	ASSERT_OK(verity_tree_build(fd, &m, &g, &build, &tree));
	close(fd);
	fd = open(hash, O_RDWR | O_CREAT | O_TRUNC, 0644);
	ASSERT_TRUE(fd >= 0);
	verity_superblock_build(&m, sb);
	ASSERT_EQ(pwrite(fd, sb, sizeof(sb), 0), (ssize_t)sizeof(sb));
	ASSERT_EQ(pwrite(fd, tree, g.hash_blocks * 4096, (off_t)(g.hash_start * 4096)),
		  (ssize_t)(g.hash_blocks * 4096));
	close(fd);

	/* The root read back from the top block equals the one computed from the data. */
	ASSERT_OK(verity_image_describe(data, hash, 0, &d));
	ASSERT_MEMEQ(d.root_hash, m.root_hash, 32);
	ASSERT_EQ(d.hash_start, 1);
	ASSERT_EQ(d.hash_blocks, 4);
	ASSERT_EQ(d.data_blocks, 300);
	/* libcryptsetup agrees with the tree. */
	ASSERT_OK(verity_cryptsetup_check(data, hash, &d, d.root_hash));

	ASSERT_OK(manifest_write(json, &d, NULL, NULL, 0));
	ASSERT_OK(manifest_load(json, &l));
	ASSERT_MEMEQ(l.root_hash, m.root_hash, 32);
	ASSERT_EQ(l.digest_size, 32);
	ASSERT_EQ(l.salt_size, 2);
	ASSERT_EQ(l.hash_start, 1);
	ASSERT_STREQ(l.data_path, data);
	manifest_root_hash_hex(&l, root);
	manifest_root_hash_hex(&m, text = malloc(129));
	ASSERT_STREQ(root, text);

	/* Signatures: recorded with their SHA-256; the same path again replaces its entry. */
	ASSERT_OK(write_file_atomic(sig, "abc", 3, 0644, 0));
	ASSERT_OK(manifest_add_signature(json, sig, "pkcs7-der", "abc", 3));
	ASSERT_OK(manifest_add_signature(json, sig, "pkcs7-der", "abc", 3));
	free(text);
	text = NULL;
	ASSERT_OK(read_full_file(json, 1 << 20, &text, &len));
	ASSERT_TRUE(strstr(text, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") !=
		    NULL);
	ASSERT_TRUE(strstr(text, "\"format\": \"pkcs7-der\"") != NULL);
	ASSERT_TRUE(strstr(strstr(text, "pkcs7-der") + 1, "pkcs7-der") == NULL);
	/* ... and the rest still loads. */
	verity_params_done(&l);
	ASSERT_OK(manifest_load(json, &l));
	ASSERT_MEMEQ(l.root_hash, m.root_hash, 32);
	verity_params_done(&l);

	/* A path that is not UTF-8 is an array of byte values (json/json.h), and comes back exact. */
	free(d.hash_path);
	ASSERT_TRUE((d.hash_path = strdup("hash\xff\x01.img")));
	ASSERT_OK(manifest_write(json, &d, NULL, NULL, MANIFEST_COMPACT));
	free(text);
	text = NULL;
	ASSERT_OK(read_full_file(json, 1 << 20, &text, &len));
	ASSERT_TRUE(strstr(text, "\"hash_path\":[104,97,115,104,255,1,46,105,109,103]") != NULL);
	ASSERT_OK(manifest_load(json, &l));
	ASSERT_STREQ(l.hash_path, "hash\xff\x01.img");
	ASSERT_STREQ(l.data_path, data);
	verity_params_done(&l);
	/* Trailing bytes after the object: not a manifest, and nothing is rewritten. */
	{
		_cleanup_free_ char *before = NULL, *after = NULL;
		size_t blen, alen;
		int tfd = open(json, O_WRONLY | O_APPEND | O_CLOEXEC);

		ASSERT_TRUE(tfd >= 0);
		ASSERT_EQ(write(tfd, "{}", 2), 2);
		close(tfd);
		ASSERT_OK(read_full_file(json, 1 << 20, &before, &blen));
		ASSERT_EQ(manifest_load(json, &l), -EBADMSG);
		ASSERT_EQ(manifest_add_signature(json, sig, "pkcs7-der", "abc", 3), -EBADMSG);
		ASSERT_OK(read_full_file(json, 1 << 20, &after, &alen));
		ASSERT_EQ(alen, blen);
		ASSERT_MEMEQ(after, before, blen);
	}
	verity_params_done(&d);
}

TEST(manifest_load_rejects)
{
	_cleanup_free_ char *json = tmp_path("bad.json");
	struct verity_params l;
	const char *bad[] = {
		"not json",
		"[]",
		"{\"manifest_version\": 2}",
		"{\"manifest_version\": 1, \"hash_algorithm\": \"sha256\"}",
		"{\"manifest_version\": 1, \"hash_algorithm\": \"sha256\", \"format\": 1, "
		"\"data_block_size\": 1000, \"hash_block_size\": 4096, \"data_blocks\": 1, "
		"\"hash_offset\": 0, \"hash_start\": 1, \"superblock\": false, \"salt\": \"\", "
		"\"uuid\": null, \"root_hash\": "
		"\"0000000000000000000000000000000000000000000000000000000000000000\"}",
	};

	for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
		ASSERT_OK(write_file_atomic(json, bad[i], strlen(bad[i]), 0644, 0));
		ASSERT_EQ(manifest_load(json, &l), -EBADMSG);
	}
	ASSERT_EQ(manifest_load("/nonexistent/m.json", &l), -ENOENT);

	/* The same with a valid block size loads (paths are optional). */
	{
		const char *ok =
			"{\"manifest_version\": 1, \"hash_algorithm\": \"sha256\", \"format\": 1, "
			"\"data_block_size\": 4096, \"hash_block_size\": 4096, \"data_blocks\": 1, "
			"\"hash_offset\": 0, \"hash_start\": 0, \"superblock\": false, \"salt\": \"\", "
			"\"uuid\": null, \"root_hash\": "
			"\"00000000000000000000000000000000000000000000000000000000000000ff\"}";

		ASSERT_OK(write_file_atomic(json, ok, strlen(ok), 0644, 0));
		ASSERT_OK(manifest_load(json, &l));
		ASSERT_EQ(l.root_hash[31], 0xff);
		ASSERT_EQ(l.salt_size, 0);
		ASSERT_TRUE(l.data_path == NULL);
		verity_params_done(&l);
	}
}

/* One parser and one file reader for every verb that takes a root hash. */
TEST(root_hash_parse_and_read)
{
	static const char hex[] = "0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789abcdef";
	char path[4096], out[2 * DIGEST_MAX_SIZE + 1];
	struct root_hash h;
	static const struct {
		const char *before; /* then the first @digits of hex, then @after_len bytes of @after */
		size_t digits;
		const char *after;
		size_t after_len;
		int err; /* 0, or the errno root_hash_read_file() gives */
	} files[] = {
		{ "", 64, "", 0, 0 },          { "", 64, "\n", 1, 0 },
		{ "", 64, "\r\n", 2, 0 },      { "", 64, "\n\n", 2, EINVAL },
		{ "", 64, "\r", 1, EINVAL },   { "", 64, " ", 1, EINVAL },
		{ "\n", 64, "", 0, EINVAL },   { "", 64, "\n\r\n", 3, EINVAL },
		{ "", 62, "\n", 1, EMSGSIZE }, { "", 64, "\0\n", 2, EINVAL },
	};

	ASSERT_OK(root_hash_parse(hex, 64, 32, &h));
	ASSERT_EQ(h.size, 32);
	root_hash_hex(&h, out);
	ASSERT_STREQ(out, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	ASSERT_OK(root_hash_parse(hex, 40, 0, &h));
	ASSERT_EQ(h.size, 20);
	ASSERT_ERRNO(root_hash_parse(hex, 64, 64, &h), EMSGSIZE);
	ASSERT_ERRNO(root_hash_parse(hex, 63, 0, &h), EINVAL);
	ASSERT_ERRNO(root_hash_parse(hex, 0, 0, &h), EINVAL);
	ASSERT_ERRNO(root_hash_parse("0g", 2, 0, &h), EINVAL);
	ASSERT_ERRNO(root_hash_parse("sha256:00", 9, 0, &h), EINVAL);

	snprintf(path, sizeof(path), "%s/roothash", test_tmp_dir());
	for (size_t i = 0; i < ELEMENTSOF(files); i++) {
		_cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		size_t nb = strlen(files[i].before);

		ASSERT_TRUE(fd >= 0);
		ASSERT_EQ(write(fd, files[i].before, nb), (ssize_t)nb);
		ASSERT_EQ(write(fd, hex, files[i].digits), (ssize_t)files[i].digits);
		ASSERT_EQ(write(fd, files[i].after, files[i].after_len), (ssize_t)files[i].after_len);
		if (files[i].err)
			ASSERT_ERRNO(root_hash_read_file(path, 32, &h), files[i].err);
		else {
			ASSERT_OK(root_hash_read_file(path, 32, &h));
			root_hash_hex(&h, out);
			ASSERT_STREQ(out,
				     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
		}
	}
	ASSERT_ERRNO(root_hash_read_file("/nonexistent/roothash", 32, &h), ENOENT);
}
