// SPDX-License-Identifier: GPL-2.0-only
/* The parameters' value parsers, and where salts and UUIDs come from. */
#include <ctype.h>
#include <linux/fs.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "lib/hexdecoct.h"
#include "lib/macro.h"
#include "lib/parse_util.h"
#include "verity/params.h"
#include "verity/tree.h"

void verity_params_done(struct verity_params *m)
{
	free(m->data_path);
	free(m->hash_path);
	m->data_path = m->hash_path = NULL;
}

int verity_parse_alg(const char *s, struct verity_params *m)
{
	char name[sizeof(m->hash_alg)];
	size_t len = strlen(s);
	int ds;

	if (len == 0 || len >= sizeof(name))
		return -EINVAL;
	/* The superblock and the DM table carry the lower-case kernel name. */
	for (size_t i = 0; i <= len; i++)
		name[i] = (char)tolower((unsigned char)s[i]);
	ds = verity_digest_size(name);
	if (ds < 0)
		return -EINVAL;
	memcpy(m->hash_alg, name, len + 1);
	m->digest_size = (uint32_t)ds;
	return 0;
}

int verity_parse_block_size(const char *s, uint32_t *ret)
{
	uint32_t v;

	if (safe_atou32(s, &v) < 0 || !verity_block_size_valid(v))
		return -EINVAL;
	*ret = v;
	return 0;
}

int verity_parse_salt(const char *s, struct verity_params *m)
{
	_cleanup_free_ unsigned char *buf = NULL;
	size_t len;

	if (streq(s, "-")) {
		m->salt_size = 0;
		return 0;
	}
	if (strlen(s) > 2 * (size_t)VERITY_MAX_SALT || hex_decode(s, strlen(s), &buf, &len) < 0)
		return -EINVAL;
	memcpy(m->salt, buf, len);
	m->salt_size = (uint32_t)len;
	return 0;
}

int verity_parse_uuid(const char *s, unsigned char uuid[16])
{
	size_t n = 0;

	if (strlen(s) != 36)
		return -EINVAL;
	for (size_t i = 0; i < 36;) {
		int hi, lo;

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return -EINVAL;
			i++;
			continue;
		}
		hi = unhexchar(s[i]);
		lo = unhexchar(s[i + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		uuid[n++] = (unsigned char)(hi << 4 | lo);
		i += 2;
	}
	return 0;
}

void verity_format_uuid(const unsigned char uuid[16], char out[37])
{
	char hex[33];

	hex_encode_to(uuid, 16, false, hex);
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

static void uuid_set_v4(unsigned char uuid[16])
{
	uuid[6] = (uuid[6] & 0x0f) | 0x40;
	uuid[8] = (uuid[8] & 0x3f) | 0x80;
}

static int hmac_label(const char *seed, const char *label, unsigned char out[32])
{
	unsigned int len = 0;

	if (!HMAC(EVP_sha256(), seed, (int)strlen(seed), (const unsigned char *)label,
		  strlen(label), out, &len) ||
	    len != 32)
		return -EIO;
	return 0;
}

int verity_seed_derive(const char *seed, unsigned char salt[32], unsigned char uuid[16])
{
	unsigned char mac[32];
	int r;

	r = hmac_label(seed, "ipe-tools verity salt v1", salt);
	if (r < 0)
		return r;
	r = hmac_label(seed, "ipe-tools verity uuid v1", mac);
	if (r < 0)
		return r;
	memcpy(uuid, mac, 16);
	uuid_set_v4(uuid);
	return 0;
}

int verity_random_salt_uuid(unsigned char salt[32], unsigned char uuid[16])
{
	if (RAND_bytes(salt, 32) != 1 || RAND_bytes(uuid, 16) != 1)
		return -EIO;
	uuid_set_v4(uuid);
	return 0;
}

int verity_fd_size(int fd, uint64_t *ret)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (S_ISREG(st.st_mode)) {
		*ret = (uint64_t)st.st_size;
		return 0;
	}
	if (S_ISBLK(st.st_mode))
		return ioctl(fd, BLKGETSIZE64, ret) < 0 ? -errno : 0;
	return -EBADFD;
}

unsigned verity_default_threads(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
		return (unsigned)CPU_COUNT(&set);
	return 1;
}
