// SPDX-License-Identifier: GPL-2.0-only
/*
 * auditd/volumes.c's pure parts: verity table lines as the 6.12 test kernel
 * printed them (`dmsetup table` in tests/vm/auditd_test.sh: one volume opened
 * with a root-hash signature, one without) and kernel uevent messages; and
 * the table of volumes `run` keeps (auditd/volume_table.c).
 */
#include <errno.h>
#include <string.h>

#include "auditd/volume_table.h"
#include "auditd/volumes.h"
#include "tests/harness.h"

#define SIGNED_LINE                                                         \
	"1 254:32 254:48 4096 4096 485 1 sha256 "                           \
	"d77ab0852838b8e9514874bc80da99ef3870d8f5d08dbc5dd9552995054113d7 " \
	"10095789c023d225a874b89475fdd3aab4bf97f5c9618315059d20dccfd21e11 " \
	"2 root_hash_sig_key_desc cryptsetup:e80db2fe-9423-4733-b344-ed87e8bf55b0-ero"
#define UNSIGNED_LINE                                                       \
	"1 254:0 254:16 4096 4096 254 1 sha256 "                            \
	"4e0a3ec077e2da50e7cd83591589f75dd40261a5c78145493929451dafee0cb2 " \
	"218b16b3938335e5335cc3afcdb15409e48fa77fb679754fb2ff17eebfa85f5c"

TEST(table_signed)
{
	struct verity_volume v = { 0 };

	ASSERT_OK(volume_parse_verity_table(SIGNED_LINE, &v));
	ASSERT_STREQ(v.roothash,
		     "sha256:d77ab0852838b8e9514874bc80da99ef3870d8f5d08dbc5dd9552995054113d7");
	ASSERT_TRUE(v.roothash_signed);
	ASSERT_TRUE(!v.ignore_corruption && !v.check_at_most_once);
}

TEST(table_unsigned)
{
	struct verity_volume v = { .roothash_signed = true };

	ASSERT_OK(volume_parse_verity_table(UNSIGNED_LINE, &v));
	ASSERT_STREQ(v.roothash,
		     "sha256:4e0a3ec077e2da50e7cd83591589f75dd40261a5c78145493929451dafee0cb2");
	ASSERT_TRUE(!v.roothash_signed);
}

/* Option words are counted with their values: a key description named like an option is a value. */
TEST(table_options)
{
	struct verity_volume v = { 0 };

	ASSERT_OK(volume_parse_verity_table(UNSIGNED_LINE " 3 ignore_corruption check_at_most_once"
							  " ignore_zero_blocks",
					    &v));
	ASSERT_TRUE(v.ignore_corruption && v.check_at_most_once && !v.roothash_signed);
	ASSERT_OK(volume_parse_verity_table(UNSIGNED_LINE
					    " 10 use_fec_from_device 254:2 fec_roots 2"
					    " fec_blocks 10 fec_start 10 root_hash_sig_key_desc k",
					    &v));
	ASSERT_TRUE(v.roothash_signed && !v.ignore_corruption);
	/* a key description that reads like an option stays a value */
	ASSERT_OK(volume_parse_verity_table(UNSIGNED_LINE " 2 root_hash_sig_key_desc ignore_corruption",
					    &v));
	ASSERT_TRUE(v.roothash_signed && !v.ignore_corruption);
	ASSERT_OK(volume_parse_verity_table(UNSIGNED_LINE " 2 use_fec_from_device root_hash_sig_key_desc",
					    &v));
	ASSERT_TRUE(!v.roothash_signed);
	/* no salt */
	ASSERT_OK(volume_parse_verity_table("1 254:0 254:16 4096 4096 254 1 sha512 00ff -", &v));
	ASSERT_STREQ(v.roothash, "sha512:00ff");
}

TEST(table_refused)
{
	struct verity_volume v = { 0 };

	ASSERT_EQ(volume_parse_verity_table("", &v), -EINVAL);
	ASSERT_EQ(volume_parse_verity_table("0 254:0 254:16 4096 4096 254 1 sha256 4e0a", &v), -EINVAL);
	ASSERT_EQ(volume_parse_verity_table("1 254:0 254:16 4096 4096 254 1 sha256 4E0A -", &v),
		  -EINVAL);
	ASSERT_EQ(volume_parse_verity_table("1 254:0 254:16 4096 4096 254 1 sha256 4e0 -", &v),
		  -EINVAL);
	ASSERT_EQ(volume_parse_verity_table("1 254:0 254:16 4096 4096 254 1 sha256 4e0a zz", &v),
		  -EINVAL);
	/* "alg:hex" must split at the one colon */
	ASSERT_EQ(volume_parse_verity_table("1 254:0 254:16 4096 4096 254 1 sha2:56 4e0a -", &v),
		  -EINVAL);
	/* fewer option words than the count says */
	ASSERT_EQ(volume_parse_verity_table(UNSIGNED_LINE " 2 root_hash_sig_key_desc", &v), -EINVAL);
	/* an option's value cut off by the count */
	ASSERT_EQ(volume_parse_verity_table(UNSIGNED_LINE " 1 root_hash_sig_key_desc k", &v), -EINVAL);
	ASSERT_EQ(volume_parse_verity_table(UNSIGNED_LINE " x", &v), -EINVAL);
}

static const char ADD_DM1[] =
	"add@/devices/virtual/block/dm-1\0ACTION=add\0DEVPATH=/devices/virtual/block/dm-1\0"
	"SUBSYSTEM=block\0MAJOR=253\0MINOR=1\0DEVNAME=dm-1\0DEVTYPE=disk\0DISKSEQ=12\0SEQNUM=901";

TEST(uevent_dm)
{
	struct volume_uevent u = { 0 };

	ASSERT_EQ(volume_parse_uevent(ADD_DM1, sizeof(ADD_DM1), &u), 1);
	ASSERT_EQ(u.action, VOLUME_ADD);
	ASSERT_EQ(u.major, 253);
	ASSERT_EQ(u.minor, 1);
}

TEST(uevent_other)
{
	static const char vda[] = "add@/devices/pci/virtio1/block/vda\0ACTION=add\0SUBSYSTEM=block\0"
				  "MAJOR=254\0MINOR=0\0DEVNAME=vda";
	static const char mod[] = "add@/module/dm_verity\0ACTION=add\0SUBSYSTEM=module";
	static const char bind[] = "bind@/devices/virtual/block/dm-1\0ACTION=bind\0SUBSYSTEM=block\0"
				   "MAJOR=253\0MINOR=1\0DEVNAME=dm-1";
	struct volume_uevent u = { 0 };

	ASSERT_EQ(volume_parse_uevent(vda, sizeof(vda), &u), 0);
	ASSERT_EQ(volume_parse_uevent(mod, sizeof(mod), &u), 0);
	ASSERT_EQ(volume_parse_uevent(bind, sizeof(bind), &u), 0);
	ASSERT_EQ(volume_parse_uevent("garbage", 7, &u), -EINVAL);
	/* cut inside the MINOR value ("12"): an unterminated field is not taken */
	static const char cut[] = "change@/devices/virtual/block/dm-1\0ACTION=change\0SUBSYSTEM=block\0"
				  "MAJOR=253\0DEVNAME=dm-1\0MINOR=12";
	ASSERT_EQ(volume_parse_uevent(cut, sizeof(cut) - 2, &u), 0);
	ASSERT_EQ(volume_parse_uevent(cut, sizeof(cut), &u), 1);
	ASSERT_EQ(u.minor, 12);
}

/*
 * More volumes than the kernel's map holds by default (AUDITD_TRUST_MAX):
 * every one is kept and found, whatever was added or removed around it.
 */
TEST(volume_table_grows)
{
	enum { N = 3 * AUDITD_TRUST_MAX + 7 };
	struct volume_table t = {};
	struct auditd_volume *v;

	for (uint32_t i = 0; i < N; i++) {
		ASSERT_OK(volume_table_add(&t, AUDITD_KDEV(253, i), &v));
		ASSERT_EQ(v->dev, AUDITD_KDEV(253, i));
		ASSERT_TRUE(v->digest_len == 0 && !v->map_full && !v->name[0]);
		v->digest_len = 32;
		v->digest[0] = (unsigned char)i;
	}
	ASSERT_EQ(t.n, (size_t)N);
	/* adding a known device gives its entry back, unchanged */
	ASSERT_OK(volume_table_add(&t, AUDITD_KDEV(253, 5), &v));
	ASSERT_TRUE(v->digest_len == 32 && v->digest[0] == 5);
	ASSERT_EQ(t.n, (size_t)N);
	for (uint32_t i = 0; i < N; i += 2)
		volume_table_remove(&t, AUDITD_KDEV(253, i));
	volume_table_remove(&t, AUDITD_KDEV(254, 0)); /* never added: nothing happens */
	ASSERT_EQ(t.n, (size_t)N / 2);
	for (uint32_t i = 0; i < N; i++) {
		v = volume_table_find(&t, AUDITD_KDEV(253, i));
		if (i % 2 == 0)
			ASSERT_TRUE(v == NULL);
		else
			ASSERT_TRUE(v && v->dev == AUDITD_KDEV(253, i) &&
				    v->digest[0] == (unsigned char)i);
	}
	volume_table_done(&t);
	ASSERT_TRUE(t.v == NULL && t.n == 0);
	ASSERT_TRUE(volume_table_find(&t, AUDITD_KDEV(253, 1)) == NULL);
}
