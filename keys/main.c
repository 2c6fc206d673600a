// SPDX-License-Identifier: GPL-2.0-only
/* ipe-keys: signing keys and certificates, and making kernels trust them. */
#include "keys/verbs.h"
#include "lib/log.h"
#include "lib/verbs.h"

static const struct verb verbs[] = {
	{ "generate", verb_generate,
	  "generate --out-dir DIR [--cn NAME] [--algorithm ALG] [--days N] [--ca] [--issuer-key K --issuer-cert C]" },
	{ "uefi-db", verb_uefi_db,
	  "uefi-db CERT -o FILE [--esl|--auth] [--key K [--signer-cert C]] [--owner GUID] [--timestamp T] [--append]" },
	{ "enroll-uefi", verb_enroll_uefi,
	  "enroll-uefi CERT [--key K [--signer-cert C]] [--owner GUID] [--timestamp T]" },
	{ "enroll", verb_enroll, "enroll CERT [--keyring NAME]" },
	{ "list", verb_list, "list [--keyring NAME] [--cert CERT] [--json]" },
	{ "verify", verb_verify, "verify SIG --cert CERT [--data FILE]" },
};

int main(int argc, char *argv[])
{
	log_set_program("ipe-keys");
	return dispatch_verb(argc, argv, verbs, ELEMENTSOF(verbs),
			     "signing keys and certificates for IPE and dm-verity");
}
