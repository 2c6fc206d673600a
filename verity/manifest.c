// SPDX-License-Identifier: GPL-2.0-only
/* The verity manifest (verity/manifest.h): JSON out, JSON in, signatures. */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>

#include <openssl/evp.h>

#include "json/json.h"
#include "lib/fileio.h"
#include "lib/hexdecoct.h"
#include "lib/macro.h"
#include "verity/manifest.h"
#include "verity/roothash.h"
#include "verity/tree.h"

#define MANIFEST_VERSION 1
#define MANIFEST_MAX (16u << 20)

void manifest_root_hash_hex(const struct verity_params *m, char *out)
{
	hex_encode_to(m->root_hash, MIN(m->digest_size, (uint32_t)DIGEST_MAX_SIZE), false, out);
}

char *manifest_dm_table(const struct verity_params *m, const char *data_dev, const char *hash_dev)
{
	char root[2 * DIGEST_MAX_SIZE + 1], salt[2 * VERITY_MAX_SALT + 1];
	char *s;

	manifest_root_hash_hex(m, root);
	hex_encode_to(m->salt, m->salt_size, false, salt);
	/* lib/libdmverity.c's layout; an empty salt is "-". */
	if (asprintf(&s, "%" PRIu32 " %s %s %" PRIu32 " %" PRIu32 " %" PRIu64 " %" PRIu64 " %s %s %s",
		     m->hash_type, data_dev ?: m->data_path, hash_dev ?: m->hash_path,
		     m->data_block_size, m->hash_block_size, m->data_blocks, m->hash_start,
		     m->hash_alg, root, m->salt_size ? salt : "-") < 0)
		return NULL;
	return s;
}

void manifest_partuuids(const struct verity_params *m, char root[37], char verity[37])
{
	/* DPS: the data partition takes the first 128 bits, the verity partition the last. */
	verity_format_uuid(m->root_hash, root);
	verity_format_uuid(m->root_hash + m->digest_size - 16, verity);
}

/* json_add() of a value that must exist: a NULL @v is the ENOMEM of its constructor. */
static int add(struct json_object *o, const char *key, struct json_object *v)
{
	return v ? json_add(o, key, v) : -ENOMEM;
}

/* Paths are bytes chosen by others: json_str_new() keeps them lossless (json/json.h). */
static struct json_object *new_string_owned(char *s)
{
	struct json_object *o = json_str_new(s);

	free(s);
	return o;
}

/* "KEY": "KEY=VALUE", or "KEY": null without a value. */
static int add_fragment(struct json_object *o, const char *key, const char *value)
{
	char *s;

	if (!value)
		return json_add(o, key, NULL);
	if (asprintf(&s, "%s=%s", key, value) < 0)
		return -ENOMEM;
	return add(o, key, new_string_owned(s));
}

/* The systemd.verity_root_options= value, or NULL when the superblock says it all. */
static char *root_options(const struct verity_params *m)
{
	char salt[2 * VERITY_MAX_SALT + 1];
	char *s;
	int r;

	if (m->superblock) {
		if (m->hash_offset == 0)
			return NULL;
		r = asprintf(&s, "hash-offset=%" PRIu64, m->hash_offset);
	} else {
		hex_encode_to(m->salt, m->salt_size, false, salt);
		r = asprintf(&s,
			     "superblock=false,format=%" PRIu32 ",hash=%s,data-block-size=%" PRIu32
			     ",hash-block-size=%" PRIu32 ",data-blocks=%" PRIu64
			     ",hash-offset=%" PRIu64 "%s%s",
			     m->hash_type, m->hash_alg, m->data_block_size, m->hash_block_size,
			     m->data_blocks, m->hash_offset, m->salt_size ? ",salt=" : "",
			     m->salt_size ? salt : "");
	}
	return r < 0 ? NULL : s;
}

/* @path as one shell word: bare when harmless, else in single quotes. */
static char *shell_quote(const char *path)
{
	size_t n = 3;
	char *q, *p;

	if (*path &&
	    strspn(path, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./+-:=@,") ==
		    strlen(path))
		return strdup(path);
	for (const char *c = path; *c; c++)
		n += *c == '\'' ? 4 : 1;
	q = p = malloc(n);
	if (!q)
		return NULL;
	/* cppcheck-suppress uninitdata ; p points into q, which is written before it is returned */
	*p++ = '\'';
	for (const char *c = path; *c; c++) {
		if (*c == '\'') {
			memcpy(p, "'\\''", 4);
			p += 4;
		} else
			*p++ = *c;
	}
	*p++ = '\'';
	*p = 0;
	return q;
}

static char *veritysetup_command(const struct verity_params *m)
{
	_cleanup_free_ char *data = shell_quote(m->data_path), *hash = shell_quote(m->hash_path);
	char salt[2 * VERITY_MAX_SALT + 1], uuid[37];
	char *s;

	if (!data || !hash)
		return NULL;
	hex_encode_to(m->salt, m->salt_size, false, salt);
	verity_format_uuid(m->uuid, uuid);
	if (asprintf(&s,
		     "veritysetup format --hash=%s --format=%" PRIu32 " --data-block-size=%" PRIu32
		     " --hash-block-size=%" PRIu32 " --data-blocks=%" PRIu64
		     " --hash-offset=%" PRIu64 " --salt=%s %s%s -- %s %s",
		     m->hash_alg, m->hash_type, m->data_block_size, m->hash_block_size,
		     m->data_blocks, m->hash_offset, m->salt_size ? salt : "-",
		     m->superblock ? "--uuid=" : "--no-superblock", m->superblock ? uuid : "", data,
		     hash) < 0)
		return NULL;
	return s;
}

int manifest_add_fields(struct json_object *o, const struct verity_params *m,
			const struct verity_geometry *g, const enum manifest_field *fields, size_t n)
{
	char root[2 * DIGEST_MAX_SIZE + 1], salt[2 * VERITY_MAX_SALT + 1], uuid[37];
	int r = 0;

	manifest_root_hash_hex(m, root);
	hex_encode_to(m->salt, m->salt_size, false, salt);
	verity_format_uuid(m->uuid, uuid);
	for (size_t i = 0; i < n && r == 0; i++) {
		switch (fields[i]) {
		case MANIFEST_HASH_ALGORITHM:
			r = add(o, "hash_algorithm", json_object_new_string(m->hash_alg));
			break;
		case MANIFEST_FORMAT:
			r = add(o, "format", json_object_new_int((int)m->hash_type));
			break;
		case MANIFEST_DATA_BLOCK_SIZE:
			r = add(o, "data_block_size", json_object_new_int64(m->data_block_size));
			break;
		case MANIFEST_HASH_BLOCK_SIZE:
			r = add(o, "hash_block_size", json_object_new_int64(m->hash_block_size));
			break;
		case MANIFEST_DATA_BLOCKS:
			r = add(o, "data_blocks", json_object_new_uint64(m->data_blocks));
			break;
		case MANIFEST_HASH_OFFSET:
			r = add(o, "hash_offset", json_object_new_uint64(m->hash_offset));
			break;
		case MANIFEST_HASH_START:
			r = add(o, "hash_start", json_object_new_uint64(g->hash_start));
			break;
		case MANIFEST_HASH_BLOCKS:
			r = add(o, "hash_blocks", json_object_new_uint64(g->hash_blocks));
			break;
		case MANIFEST_SUPERBLOCK:
			r = add(o, "superblock", json_object_new_boolean(m->superblock));
			break;
		case MANIFEST_SALT:
			r = add(o, "salt", json_object_new_string(salt));
			break;
		case MANIFEST_UUID:
			r = json_add(o, "uuid", m->superblock ? json_object_new_string(uuid) : NULL);
			break;
		case MANIFEST_ROOT_HASH:
			r = add(o, "root_hash", json_object_new_string(root));
			break;
		case MANIFEST_DATA_SIZE:
			r = add(o, "data_size",
				json_object_new_uint64(m->data_blocks * m->data_block_size));
			break;
		case MANIFEST_HASH_SIZE:
			r = add(o, "hash_size", json_object_new_uint64(g->hash_end - m->hash_offset));
			break;
		default:
			r = -EINVAL;
		}
	}
	return r;
}

static int manifest_to_json(const struct verity_params *m, const char *data_dev,
			    const char *hash_dev, struct json_object **ret)
{
	static const enum manifest_field fields[] = {
		MANIFEST_HASH_ALGORITHM,
		MANIFEST_FORMAT,
		MANIFEST_DATA_BLOCK_SIZE,
		MANIFEST_HASH_BLOCK_SIZE,
		MANIFEST_DATA_BLOCKS,
		MANIFEST_HASH_OFFSET,
		MANIFEST_HASH_START,
		MANIFEST_HASH_BLOCKS,
		MANIFEST_SUPERBLOCK,
		MANIFEST_SALT,
		MANIFEST_UUID,
		MANIFEST_ROOT_HASH,
		MANIFEST_DATA_SIZE,
		MANIFEST_HASH_SIZE,
	};
	_cleanup_json_ struct json_object *o = json_object_new_object(), *cmdline = NULL, *parts = NULL;
	char root[2 * DIGEST_MAX_SIZE + 1], pu_root[37], pu_verity[37];
	struct verity_geometry g;
	char *opts;
	int r;

	if (!o)
		return -ENOMEM;
	if (!m->data_path || !m->hash_path)
		return -EINVAL;
	r = verity_params_geometry(m, &g);
	if (r < 0)
		return r;
	manifest_root_hash_hex(m, root);
	data_dev = data_dev ?: m->data_path;
	hash_dev = hash_dev ?: m->hash_path;

	if ((r = add(o, "manifest_version", json_object_new_int(MANIFEST_VERSION))) < 0 ||
	    (r = add(o, "data_path", json_str_new(m->data_path))) < 0 ||
	    (r = add(o, "hash_path", json_str_new(m->hash_path))) < 0 ||
	    (r = manifest_add_fields(o, m, &g, fields, ELEMENTSOF(fields))) < 0 ||
	    (r = add(o, "dm_table", new_string_owned(manifest_dm_table(m, data_dev, hash_dev)))) < 0 ||
	    (r = add(o, "dm_table_sectors",
		     json_object_new_uint64(m->data_blocks * (m->data_block_size / 512)))) < 0)
		return r;

	cmdline = json_object_new_object();
	if (!cmdline)
		return -ENOMEM;
	opts = root_options(m);
	r = add_fragment(cmdline, "roothash", root);
	if (r == 0)
		r = add_fragment(cmdline, "systemd.verity_root_data", data_dev);
	if (r == 0)
		r = add_fragment(cmdline, "systemd.verity_root_hash", hash_dev);
	if (r == 0)
		r = add_fragment(cmdline, "systemd.verity_root_options", opts);
	free(opts);
	if (r < 0)
		return r;
	r = add(o, "kernel_cmdline", TAKE_PTR(cmdline));
	if (r < 0)
		return r;

	parts = json_object_new_object();
	if (!parts)
		return -ENOMEM;
	manifest_partuuids(m, pu_root, pu_verity);
	if ((r = add(parts, "root", json_object_new_string(pu_root))) < 0 ||
	    (r = add(parts, "verity", json_object_new_string(pu_verity))) < 0 ||
	    (r = add(o, "partuuids", TAKE_PTR(parts))) < 0 ||
	    (r = add(o, "veritysetup", new_string_owned(veritysetup_command(m)))) < 0 ||
	    (r = add(o, "signatures", json_object_new_array())) < 0)
		return r;
	*ret = TAKE_PTR(o);
	return 0;
}

static int write_json(const char *path, struct json_object *o, unsigned flags)
{
	_cleanup_free_ char *text = NULL;
	const char *s = json_format(o, (flags & MANIFEST_COMPACT) ? 0 : JSON_PRETTY);

	if (!s || asprintf(&text, "%s\n", s) < 0)
		return -ENOMEM;
	return write_file_atomic(path, text, strlen(text), 0644, 0);
}

int manifest_write(const char *path, const struct verity_params *m, const char *data_dev,
		   const char *hash_dev, unsigned flags)
{
	_cleanup_json_ struct json_object *o = NULL;
	int r;

	r = manifest_to_json(m, data_dev, hash_dev, &o);
	if (r < 0)
		return r;
	return write_json(path, o, flags);
}

static int read_json(const char *path, struct json_object **ret, bool *ret_compact)
{
	_cleanup_free_ char *buf = NULL;
	struct json_object *o;
	size_t len;
	int r;

	r = read_full_file(path, MANIFEST_MAX, &buf, &len);
	if (r < 0)
		return r;
	/* One JSON object and nothing after it: a rewrite must not drop what follows. */
	r = json_parse_document(buf, len, &o);
	if (r < 0)
		return r;
	if (json_object_get_type(o) != json_type_object) {
		json_object_put(o);
		return -EBADMSG;
	}
	if (ret_compact)
		*ret_compact = !memchr(buf, '\n', len ? len - 1 : 0);
	*ret = o;
	return 0;
}

static int get_u64(struct json_object *o, const char *key, uint64_t max, uint64_t *ret)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || json_object_get_type(v) != json_type_int)
		return -EBADMSG;
	errno = 0;
	if (json_object_get_int64(v) < 0)
		return -EBADMSG;
	*ret = json_object_get_uint64(v);
	if (errno || *ret > max)
		return -EBADMSG;
	return 0;
}

static const char *get_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || json_object_get_type(v) != json_type_string)
		return NULL;
	return json_object_get_string(v);
}

/* A path as json_str_new() wrote it (a string, or an array of bytes); absent is NULL. */
static int get_path(struct json_object *o, const char *key, char **ret)
{
	struct json_object *v;
	size_t len;
	int r;

	if (!json_object_object_get_ex(o, key, &v) || !v)
		return 0;
	r = json_bytes_get(v, ret, &len);
	if (r == -EBADMSG)
		return 0; /* as before: a path of another type is ignored */
	if (r < 0)
		return r;
	if (strlen(*ret) != len) { /* a NUL byte: no path */
		free(*ret);
		*ret = NULL;
	}
	return 0;
}

int manifest_load(const char *path, struct verity_params *ret)
{
	_cleanup_json_ struct json_object *o = NULL;
	struct verity_params m = { 0 };
	struct verity_geometry g;
	struct root_hash root;
	struct json_object *v;
	const char *s;
	uint64_t u;
	int r;

	r = read_json(path, &o, NULL);
	if (r < 0)
		return r;
	if (get_u64(o, "manifest_version", INT32_MAX, &u) < 0 || u != MANIFEST_VERSION)
		return -EBADMSG;
	s = get_str(o, "hash_algorithm");
	if (!s || verity_parse_alg(s, &m) < 0 || !streq(s, m.hash_alg))
		return -EBADMSG;
	if (get_u64(o, "format", 1, &u) < 0)
		return -EBADMSG;
	m.hash_type = (uint32_t)u;
	if (get_u64(o, "data_block_size", VERITY_MAX_BLOCK, &u) < 0)
		return -EBADMSG;
	m.data_block_size = (uint32_t)u;
	if (get_u64(o, "hash_block_size", VERITY_MAX_BLOCK, &u) < 0)
		return -EBADMSG;
	m.hash_block_size = (uint32_t)u;
	if (m.data_block_size < VERITY_MIN_BLOCK || (m.data_block_size & (m.data_block_size - 1)) ||
	    m.hash_block_size < VERITY_MIN_BLOCK || (m.hash_block_size & (m.hash_block_size - 1)))
		return -EBADMSG;
	if (get_u64(o, "data_blocks", UINT64_MAX, &m.data_blocks) < 0 ||
	    get_u64(o, "hash_offset", UINT64_MAX, &m.hash_offset) < 0 ||
	    get_u64(o, "hash_start", UINT64_MAX, &m.hash_start) < 0)
		return -EBADMSG;
	if (!json_object_object_get_ex(o, "superblock", &v) ||
	    json_object_get_type(v) != json_type_boolean)
		return -EBADMSG;
	m.superblock = json_object_get_boolean(v);
	s = get_str(o, "salt");
	if (!s || verity_parse_salt(*s ? s : "-", &m) < 0)
		return -EBADMSG;
	s = get_str(o, "uuid");
	if (m.superblock && (!s || verity_parse_uuid(s, m.uuid) < 0))
		return -EBADMSG;
	s = get_str(o, "root_hash");
	if (!s || root_hash_parse(s, strlen(s), m.digest_size, &root) < 0)
		return -EBADMSG;
	memcpy(m.root_hash, root.bytes, root.size);

	/* The geometry must agree with itself, or the file was edited by hand. */
	if (verity_params_geometry(&m, &g) < 0 || g.hash_start != m.hash_start)
		return -EBADMSG;
	m.hash_blocks = g.hash_blocks;

	r = get_path(o, "data_path", &m.data_path);
	if (r == 0)
		r = get_path(o, "hash_path", &m.hash_path);
	if (r < 0) {
		verity_params_done(&m);
		return r;
	}
	*ret = m;
	return 0;
}

static int sha256_hex(const void *buf, size_t len, char out[65])
{
	unsigned char md[32];

	if (!EVP_Digest(buf, len, md, NULL, EVP_sha256(), NULL))
		return -EIO;
	hex_encode_to(md, sizeof(md), false, out);
	return 0;
}

int manifest_add_signature(const char *path, const char *sig_path, const char *format,
			   const void *sig, size_t sig_len)
{
	_cleanup_json_ struct json_object *o = NULL, *entry = NULL;
	struct json_object *sigs;
	char digest[65];
	bool compact;
	size_t n;
	int r;

	r = read_json(path, &o, &compact);
	if (r < 0)
		return r;
	r = sha256_hex(sig, sig_len, digest);
	if (r < 0)
		return r;
	if (!json_object_object_get_ex(o, "signatures", &sigs) ||
	    json_object_get_type(sigs) != json_type_array)
		return -EBADMSG;

	/* The same file signed again replaces its old entry. */
	n = json_object_array_length(sigs);
	for (size_t i = n; i-- > 0;) {
		const char *p = get_str(json_object_array_get_idx(sigs, i), "path");

		if (p && streq(p, sig_path))
			json_object_array_del_idx(sigs, i, 1);
	}

	entry = json_object_new_object();
	if (!entry)
		return -ENOMEM;
	if ((r = add(entry, "path", json_str_new(sig_path))) < 0 ||
	    (r = add(entry, "format", json_object_new_string(format))) < 0 ||
	    (r = add(entry, "sha256", json_object_new_string(digest))) < 0)
		return r;
	if (json_object_array_add(sigs, entry) < 0)
		return -ENOMEM;
	entry = NULL;
	return write_json(path, o, compact ? MANIFEST_COMPACT : 0);
}
