// SPDX-License-Identifier: GPL-2.0-only
/* Finding, reading and adding to kernel keyrings. */
#include <stdint.h>
#include <stdio.h>

#include "keys/keyring.h"
#include "lib/macro.h"

static const struct {
	const char *name;
	key_serial_t id;
} special_keyrings[] = {
	{ "@t", KEY_SPEC_THREAD_KEYRING },        { "@p", KEY_SPEC_PROCESS_KEYRING },
	{ "@s", KEY_SPEC_SESSION_KEYRING },       { "@u", KEY_SPEC_USER_KEYRING },
	{ "@us", KEY_SPEC_USER_SESSION_KEYRING }, { "@g", KEY_SPEC_GROUP_KEYRING },
};

static void fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}

/*
 * A keyring line of /proc/keys: "SERIAL FLAGS USAGE EXPIRY PERM UID GID keyring NAME: N".
 * Return: 1 and the serial when it is the keyring @name, 0 otherwise.
 */
static int proc_keys_line_matches(const char *line, const char *name, key_serial_t *ret)
{
	unsigned serial;
	char type[16];
	int n = 0;
	const char *desc, *colon;

	if (sscanf(line, "%x %*s %*s %*s %*x %*d %*d %15s %n", &serial, type, &n) != 2 || n == 0)
		return 0;
	if (!streq(type, "keyring"))
		return 0;
	desc = line + n;
	/* The name ends where the keyring's ": <count>" / ": empty" suffix starts. */
	colon = strrchr(desc, ':');
	if (!colon || (size_t)(colon - desc) != strlen(name) || strncmp(desc, name, strlen(name)) != 0)
		return 0;
	*ret = (key_serial_t)serial;
	return 1;
}

static int find_in_proc_keys(const char *name, key_serial_t *ret)
{
	_cleanup_(fclosep) FILE *f = fopen("/proc/keys", "re");
	_cleanup_free_ char *line = NULL;
	key_serial_t found = 0, id;
	size_t cap = 0;
	int n = 0;

	if (!f)
		return errno == ENOENT ? -EOPNOTSUPP : -errno;
	while (getline(&line, &cap, f) > 0)
		if (proc_keys_line_matches(line, name, &id)) {
			found = id;
			n++;
		}
	if (n == 0)
		return -ENOKEY;
	if (n > 1)
		return -ENOTUNIQ;
	*ret = found;
	return 0;
}

int keyring_resolve(const char *spec, key_serial_t *ret)
{
	char *end;
	long v;
	key_serial_t id;

	for (size_t i = 0; i < ELEMENTSOF(special_keyrings); i++)
		if (streq(spec, special_keyrings[i].name)) {
			/* Turn the special value into the real serial, creating it if needed. */
			id = keyctl_get_keyring_ID(special_keyrings[i].id, 1);
			if (id < 0)
				return -errno;
			*ret = id;
			return 0;
		}
	if (!*spec)
		return -EINVAL;

	errno = 0;
	v = strtol(spec, &end, 0);
	if (*end == 0 && errno == 0 && v > 0 && v <= INT32_MAX) {
		*ret = (key_serial_t)v;
		return 0;
	}

	/* The caller's own keyrings first, as keyctl(1) does for %:NAME. */
	id = request_key("keyring", spec, NULL, 0);
	if (id > 0) {
		*ret = id;
		return 0;
	}
	return find_in_proc_keys(spec, ret);
}

void key_info_done(struct key_info *k)
{
	free(k->type);
	free(k->description);
	k->type = k->description = NULL;
}

int key_describe(key_serial_t id, struct key_info *ret)
{
	_cleanup_free_ char *buf = NULL;
	char *desc;

	if (keyctl_describe_alloc(id, &buf) < 0)
		return -errno;
	/* "type;uid;gid;perm;description": the description may itself contain ';'. */
	desc = buf;
	for (int i = 0; i < 4; i++) {
		desc = strchr(desc, ';');
		if (!desc)
			return -EBADMSG;
		desc++;
	}
	*ret = (struct key_info){
		.id = id,
		.type = strndup(buf, strcspn(buf, ";")),
		.description = strdup(desc),
	};
	if (!ret->type || !ret->description) {
		key_info_done(ret);
		return -ENOMEM;
	}
	return 0;
}

int keyring_members(key_serial_t ring, key_serial_t **ret, size_t *ret_n)
{
	void *buf = NULL;
	long n;

	n = keyctl_read_alloc(ring, &buf);
	if (n < 0)
		return -errno;
	*ret = buf;
	*ret_n = (size_t)n / sizeof(key_serial_t);
	return 0;
}

int keyring_add_x509(key_serial_t ring, const void *der, size_t len, key_serial_t *ret)
{
	key_serial_t id = add_key("asymmetric", NULL, der, len, ring);

	if (id < 0)
		return -errno;
	*ret = id;
	return 0;
}
