// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the root-hash file reader (verity/roothash.c): the
 * first byte picks the digest size the caller expects, the rest is the
 * file. Invariants: an accepted file holds the digits and at most one line
 * end; its lower-case hex equals the digits in lower case and parses back to
 * the same bytes; a refusal is one of the documented errors.
 */
#include <ctype.h>
#include <string.h>

#include "lib/macro.h"
#include "verity/roothash.h"
#include "tests/fuzz/fuzz.h"

static int in_fd = -1;
static char path[32];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("FUZZ_SEED_DIR");

	(void)argc;
	(void)argv;
	in_fd = fuzz_memfd("roothash", path);
	if (dir) {
		fuzz_write_seed(dir, "sha256",
				"\2d77ab0852838b8e9514874bc80da99ef3870d8f5d08dbc5dd9552995054113d7\n",
				66);
		fuzz_write_seed(dir, "crlf", "\0D77AB0852838B8E9514874BC80DA99EF3870D8F\r\n", 43);
		fuzz_write_seed(dir, "nul",
				"\2d77a\0b0852838b8e9514874bc80da99ef3870d8f5d08dbc5dd9552995054113d7",
				66);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t sizes[] = { 0, 20, 32, 48, 64 };
	struct root_hash h = {}, again = {};
	char hex[2 * DIGEST_MAX_SIZE + 1];
	size_t want, len;
	int r;

	if (size == 0)
		return 0;
	want = sizes[data[0] % ELEMENTSOF(sizes)];
	fuzz_memfd_set(in_fd, data + 1, size - 1);
	r = root_hash_read_file(path, want, &h);
	if (r < 0) {
		REQUIRE(r == -EINVAL || r == -EMSGSIZE || r == -EFBIG);
		REQUIRE(r != -EFBIG || size - 1 > ROOT_HASH_FILE_MAX);
		return 0;
	}
	len = size - 1;
	if (len && data[len] == '\n')
		len -= len >= 2 && data[len - 1] == '\r' ? 2 : 1;
	REQUIRE(h.size > 0 && h.size <= DIGEST_MAX_SIZE && 2 * h.size == len);
	REQUIRE(want == 0 || h.size == want);
	root_hash_hex(&h, hex);
	for (size_t i = 0; i < len; i++)
		REQUIRE(hex[i] == tolower(data[1 + i]));
	REQUIRE(root_hash_parse(hex, strlen(hex), want, &again) == 0);
	REQUIRE(again.size == h.size && memcmp(again.bytes, h.bytes, h.size) == 0);
	return 0;
}
