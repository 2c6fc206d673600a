// SPDX-License-Identifier: GPL-2.0-only
/*
 * ipe-keys list: what the kernel's trust keyrings hold, and whether a given
 * certificate is among them. The kernel does not give certificates back, so
 * a certificate is matched by the description the kernel derives from it
 * ("<name>: <subject key id>"), and a revocation by its TBS hash in .blacklist.
 */
#include <getopt.h>
#include <stdio.h>

#include "json/json.h"
#include "keys/keyring.h"
#include "keys/load.h"
#include "crypto/openssl_util.h"
#include "keys/verbs.h"
#include "keys/x509_profile.h"
#include "lib/escape.h"
#include "lib/log.h"
#include "lib/verbs.h"

#define MAX_KEYRINGS 32

static const char *const default_keyrings[] = {
	".builtin_trusted_keys", ".secondary_trusted_keys", ".platform", ".machine", ".blacklist",
};

struct cert_match {
	const char *path;
	char *desc; /* kernel description */
	char *tbs;  /* "tbs:<hex>" in .blacklist */
	char *sha256;
	json_object *found; /* [{keyring, id}] */
	bool present, blacklisted;
};

static void cert_match_done(struct cert_match *m)
{
	free(m->desc);
	free(m->tbs);
	free(m->sha256);
	if (m->found)
		json_object_put(m->found);
}

static int cert_match_init(struct cert_match *m, const char *path)
{
	_cleanup_(X509_freep) X509 *cert = NULL;
	int r;

	r = load_cert_logged(path, &cert);
	if (r < 0)
		return r;
	m->path = path;
	r = cert_kernel_description(cert, &m->desc);
	if (r >= 0)
		r = cert_fingerprint_sha256(cert, &m->sha256);
	if (r < 0)
		return log_error_errno(r, "%s: cannot describe the certificate: %m", path);
	/* A hash algorithm the kernel cannot blacklist by is simply not looked for. */
	(void)cert_blacklist_description(cert, &m->tbs);
	m->found = json_object_new_array();
	if (!m->found)
		return log_error_errno(-ENOMEM, "out of memory");
	return 0;
}

/* Does key @k (in keyring @ring_name) stand for the certificate? */
static bool key_matches(struct cert_match *m, const struct key_info *k, const char *ring_name)
{
	json_object *o;

	if (streq(k->type, "asymmetric") && streq(k->description, m->desc)) {
		if (!streq(ring_name, ".blacklist"))
			m->present = true;
	} else if (m->tbs && streq(k->type, "blacklist") && streq(k->description, m->tbs))
		m->blacklisted = true;
	else
		return false;

	o = json_object_new_object();
	if (o) {
		json_add(o, "keyring", json_object_new_string(ring_name));
		json_add(o, "id", json_object_new_int(k->id));
		json_object_array_add(m->found, o);
	}
	return true;
}

static const char *keyring_status(int r)
{
	switch (r) {
	case 0:
		return "ok";
	case -ENOKEY:
		return "absent";
	case -ENOTUNIQ:
		return "ambiguous";
	case -EACCES:
	case -EPERM:
		return "unreadable";
	default:
		return "error";
	}
}

/* One keyring as a JSON object (NULL: out of memory) and, unless @json, as text on stdout. */
static json_object *list_keyring(const char *name, struct cert_match *m, bool json)
{
	_cleanup_free_ key_serial_t *ids = NULL;
	json_object *o, *keys;
	key_serial_t ring = 0;
	size_t n = 0;
	int r;

	o = json_object_new_object();
	keys = json_object_new_array();
	if (!o || !keys) {
		json_object_put(o);
		json_object_put(keys);
		return NULL;
	}
	json_add(o, "name", json_object_new_string(name));

	r = keyring_resolve(name, &ring);
	if (r >= 0)
		r = keyring_members(ring, &ids, &n);
	json_add(o, "id", ring > 0 ? json_object_new_int(ring) : NULL);
	json_add(o, "status", json_object_new_string(keyring_status(r)));
	if (r < 0) {
		if (!json) {
			_cleanup_free_ char *e = escape_text(name);

			if (r == -ENOKEY)
				printf("%s: not present in this kernel (or not visible to this user)\n",
				       e ?: "?");
			else
				printf("%s: %s (%s)\n", e ?: "?", keyring_status(r), strerror(-r));
		}
		json_add(o, "error", json_object_new_string(strerror(-r)));
		json_object_put(keys);
		return o;
	}

	if (!json) {
		_cleanup_free_ char *e = escape_text(name);

		printf("%s (keyring %d): %zu key%s\n", e ?: "?", ring, n, n == 1 ? "" : "s");
	}
	for (size_t i = 0; i < n; i++) {
		struct key_info k;
		json_object *ko;
		bool match;

		if (key_describe(ids[i], &k) < 0) {
			if (!json)
				printf("  %-10d (not viewable)\n", ids[i]);
			continue;
		}
		match = m && key_matches(m, &k, name);
		if (!json) {
			/* Descriptions come from certificates anyone can make: no terminal escapes. */
			_cleanup_free_ char *type = escape_text(k.type),
					    *desc = escape_text(k.description);

			printf("%c %-10d %-10s %s\n", match ? '*' : ' ', k.id, type ?: "?",
			       desc ?: "?");
		}
		ko = json_object_new_object();
		if (ko) {
			json_add(ko, "id", json_object_new_int(k.id));
			json_add(ko, "type", json_object_new_string(k.type));
			json_add(ko, "description", json_str_new(k.description));
			if (m)
				json_add(ko, "matches_cert", json_object_new_boolean(match));
			json_object_array_add(keys, ko);
		}
		key_info_done(&k);
	}
	json_add(o, "keys", keys);
	return o;
}

const struct verb list_verb = {
	.name = "list",
	.run = verb_list,
	.min_operands = 0,
	.max_operands = 0,
	.synopsis = "list [--keyring NAME]... [--cert CERT] [--json]",
	.help = "List the keys of the kernel's trust keyrings (.builtin_trusted_keys,\n"
		".secondary_trusted_keys, .platform, .machine, .blacklist). With --cert, exit 1\n"
		"unless the certificate is present and not blacklisted.\n"
		"\n"
		"  -k, --keyring NAME   list this keyring instead (repeatable)\n"
		"  --cert CERT          mark the keys that stand for CERT\n"
		"  --json               print one JSON object\n",
};

int verb_list(int argc, char *argv[])
{
	enum { ARG_JSON = 0x100, ARG_CERT };
	static const struct option options[] = { { "keyring", required_argument, NULL, 'k' },
						 { "cert", required_argument, NULL, ARG_CERT },
						 { "json", no_argument, NULL, ARG_JSON },
						 {} };
	_cleanup_(json_object_putp) json_object *root = NULL;
	_cleanup_(cert_match_done) struct cert_match m = {};
	const char *rings[MAX_KEYRINGS], *cert_path = NULL;
	json_object *arr;
	size_t n_rings = 0;
	bool json = false;
	int c, r;

	while ((c = getopt_long(argc, argv, "k:", options, NULL)) >= 0) {
		switch (c) {
		case 'k':
			if (n_rings >= MAX_KEYRINGS)
				return usage_error("at most %d --keyring options", MAX_KEYRINGS);
			rings[n_rings++] = optarg;
			break;
		case ARG_CERT:
			cert_path = optarg;
			break;
		case ARG_JSON:
			json = true;
			break;
		default:
			return -EINVAL;
		}
	}
	r = verb_operands(argc - optind);
	if (r < 0)
		return r;
	if (n_rings == 0)
		for (size_t i = 0; i < ELEMENTSOF(default_keyrings); i++)
			rings[n_rings++] = default_keyrings[i];

	if (cert_path) {
		r = cert_match_init(&m, cert_path);
		if (r < 0)
			return r;
	}

	root = json_object_new_object();
	arr = json_object_new_array();
	if (!root || !arr) {
		json_object_put(arr);
		return log_error_errno(-ENOMEM, "out of memory");
	}
	json_add(root, "keyrings", arr);
	for (size_t i = 0; i < n_rings; i++) {
		json_object *o = list_keyring(rings[i], cert_path ? &m : NULL, json);

		if (!o)
			return log_error_errno(-ENOMEM, "out of memory");
		json_object_array_add(arr, o);
	}

	if (cert_path) {
		json_object *co = json_object_new_object();

		if (!co)
			return log_error_errno(-ENOMEM, "out of memory");
		json_add(co, "path", json_str_new(m.path));
		json_add(co, "kernel_description", json_str_new(m.desc));
		json_add(co, "sha256", json_object_new_string(m.sha256));
		json_add(co, "present", json_object_new_boolean(m.present));
		json_add(co, "blacklisted", json_object_new_boolean(m.blacklisted));
		json_add(co, "found_in", json_object_get(m.found));
		json_add(root, "cert", co);
		if (!json) {
			_cleanup_free_ char *desc = escape_text(m.desc);

			printf("certificate %s (sha256 %s)\n  kernel description \"%s\": %s\n",
			       m.path, m.sha256, desc ?: "?",
			       m.blacklisted ? "BLACKLISTED"
			       : m.present   ? "present (marked *)"
					     : "not present");
		}
	}
	if (json) {
		const char *s = json_format(root, JSON_PRETTY | JSON_NO_SPACE);

		if (!s)
			return log_error_errno(-ENOMEM, "out of memory");
		printf("%s\n", s);
	}

	if (cert_path && (!m.present || m.blacklisted))
		return EXIT_NEGATIVE;
	return 0;
}
