// SPDX-License-Identifier: GPL-2.0-only
/* ipe-keys: signing keys and certificates, and making kernels trust them. */
#include "keys/uefi_db.h"
#include "keys/verbs.h"
#include "lib/fileio.h"
#include "lib/log.h"
#include "lib/verbs.h"

/* In pipeline order. */
static const struct verb *const verbs[] = {
	&generate_verb, &uefi_db_verb, &enroll_uefi_verb, &enroll_verb, &list_verb, &verify_verb,
};

int main(int argc, char *argv[])
{
	struct verb_dispatch d;

	(void)stdio_reserve(); /* before anything is opened: no file may become stdout or stderr */
	log_set_program("ipe-keys");
	log_parse_environment();
	if (atomic_file_cleanup_on_signal() < 0)
		log_warning("cannot handle signals: an interrupted run may leave a temporary file");
	dispatch_verb(argc, argv, verbs, ELEMENTSOF(verbs), &d);
	return log_verb_dispatch(&d, verbs, ELEMENTSOF(verbs),
				 "signing keys and certificates for IPE and dm-verity");
}
