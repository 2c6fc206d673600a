// SPDX-License-Identifier: GPL-2.0-only
/* Loading signing keys and certificates from PEM or DER files. */
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "lib/fileio.h"
#include "lib/macro.h"
#include "crypto/keyfile.h"
#include "crypto/openssl_util.h"

/* Far above any RSA/EC key in PEM; bounds what is read into memory. */
#define KEY_FILE_MAX (1u << 20)

/* A key file's contents: wiped when freed (see READ_FULL_SECRET). */
struct secret_buf {
	char *p;
	size_t size;
};

static void secret_buf_done(struct secret_buf *b)
{
	erase_and_free(b->p, b->size);
}

/* Password callback: notes that the key is encrypted and declines. */
static int refuse_password(char *buf, int size, int rwflag, void *userdata)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	*(bool *)userdata = true;
	return -1;
}

static bool looks_pem(const void *p, size_t len)
{
	static const char marker[] = "-----BEGIN ";

	return memmem(p, len, marker, sizeof(marker) - 1) != NULL;
}

int key_load_private(const char *path, EVP_PKEY **ret)
{
	_cleanup_(secret_buf_done) struct secret_buf b = {};
	_cleanup_(BIO_freep) BIO *bio = NULL;
	_cleanup_(EVP_PKEY_freep) EVP_PKEY *key = NULL;
	_cleanup_close_ int fd = -1;
	bool encrypted = false;
	struct stat st;
	size_t len = 0;
	int r;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EBADMSG;
	/* Checked on the opened file, before a byte is read: a leaked key must be noticed. */
	if (st.st_mode & 0077)
		return -EACCES;

	r = read_full_fd(fd, KEY_FILE_MAX, READ_FULL_SECRET, &b.p, &len);
	if (r < 0)
		return r;
	b.size = len + 1;
	if (len == 0)
		return -EBADMSG;
	if (len > (uint64_t)st.st_size) /* the file grew while being read */
		return -EBUSY;

	bio = BIO_new_mem_buf(b.p, (int)len);
	if (!bio)
		return -ENOMEM;
	if (looks_pem(b.p, len))
		key = PEM_read_bio_PrivateKey(bio, NULL, refuse_password, &encrypted);
	else {
		key = d2i_PrivateKey_bio(bio, NULL);
		if (!key && BIO_reset(bio) == 1)
			key = d2i_PKCS8PrivateKey_bio(bio, NULL, refuse_password, &encrypted);
	}
	ERR_clear_error();
	if (!key)
		return encrypted ? -EOPNOTSUPP : -EBADMSG;
	*ret = TAKE_PTR(key);
	return 0;
}

int cert_load(const char *path, X509 **ret)
{
	_cleanup_free_ char *buf = NULL;
	_cleanup_(BIO_freep) BIO *bio = NULL;
	X509 *cert;
	size_t len;
	int r;

	r = read_full_file(path, KEY_FILE_MAX, &buf, &len);
	if (r < 0)
		return r;
	if (len == 0)
		return -EBADMSG;
	bio = BIO_new_mem_buf(buf, (int)len);
	if (!bio)
		return -ENOMEM;
	if (looks_pem(buf, len))
		cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	else
		cert = d2i_X509_bio(bio, NULL);
	ERR_clear_error();
	if (!cert)
		return -EBADMSG;
	*ret = cert;
	return 0;
}

int key_matches_cert(EVP_PKEY *key, X509 *cert)
{
	int ok = X509_check_private_key(cert, key);

	ERR_clear_error();
	return ok == 1 ? 0 : -EKEYREJECTED;
}
