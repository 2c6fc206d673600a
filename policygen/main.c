// SPDX-License-Identifier: GPL-2.0-only
/* ipe-policygen: build-time half of ipe-tools (verity trees, signatures, IPE policies). */
#include "lib/log.h"
#include "lib/verbs.h"
#include "policygen/verbs.h"

static const struct verb verbs[] = {
	{ "check", verb_check, "check [--json] FILE..." },
	{ "format", verb_format, "format [OPTIONS] DATA HASH" },
	{ "verify", verb_verify, "verify [OPTIONS] DATA HASH ROOTHASH" },
	{ "dump", verb_dump, "dump [--json] [--hash-offset N] HASH" },
	{ "manifest", verb_manifest, "manifest [OPTIONS] DATA HASH [-o OUT.json]" },
	{ "sign-roothash", verb_sign_roothash,
	  "sign-roothash --key K --cert C [-o OUT] (ROOTHASH | --root-hash-file F | --manifest M)" },
	{ "generate", verb_generate, "generate --name NAME (--version X.Y.Z | --version-from F) IMAGES... [-o FILE]" },
	{ "sign", verb_sign, "sign --key K --cert C [-o OUT.p7b] POLICY" },
};

int main(int argc, char *argv[])
{
	log_set_program("ipe-policygen");
	return dispatch_verb(argc, argv, verbs, ELEMENTSOF(verbs),
			     "dm-verity hash trees, root-hash signatures and IPE policies");
}
