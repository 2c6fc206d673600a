// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for auditd/volumes.c's parsers of what the kernel sends:
 * a verity table line (DM_TABLE_STATUS) when the first byte is even, a
 * uevent message (NETLINK_KOBJECT_UEVENT) when it is odd. Invariants: an
 * accepted table gives "ALG:HEX" with lowercase hex of whole bytes, and
 * parses the same again; a uevent is refused, ignored or gives a known
 * action.
 */
#include <string.h>

#include "auditd/volumes.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void table(const uint8_t *data, size_t size)
{
	char *line = strndup((const char *)data, size);
	struct verity_volume a = { 0 }, b = { 0 };
	const char *colon, *p;

	if (!line)
		return;
	if (volume_parse_verity_table(line, &a) == 0) {
		colon = strchr(a.roothash, ':');
		REQUIRE(colon && colon > a.roothash && colon[1]);
		REQUIRE(strlen(colon + 1) % 2 == 0);
		for (p = colon + 1; *p; p++)
			REQUIRE((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'));
		REQUIRE(volume_parse_verity_table(line, &b) == 0);
		REQUIRE(strcmp(a.roothash, b.roothash) == 0);
		REQUIRE(a.roothash_signed == b.roothash_signed &&
			a.ignore_corruption == b.ignore_corruption &&
			a.check_at_most_once == b.check_at_most_once);
	}
	free(line);
}

static void uevent(const uint8_t *data, size_t size)
{
	struct volume_uevent u = { 0 };
	int r = volume_parse_uevent((const char *)data, size, &u);

	REQUIRE(r == -EINVAL || r == 0 || r == 1);
	if (r == 1)
		REQUIRE(u.action == VOLUME_ADD || u.action == VOLUME_CHANGE ||
			u.action == VOLUME_REMOVE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if (data[0] % 2 == 0)
		table(data + 1, size - 1);
	else
		uevent(data + 1, size - 1);
	return 0;
}
