// SPDX-License-Identifier: GPL-2.0-only
/* ipe-policygen: build-time half of ipe-tools (verity trees, signatures, IPE policies). */
#include "lib/fileio.h"
#include "lib/log.h"
#include "lib/verbs.h"
#include "policygen/verbs.h"

/* In pipeline order. */
static const struct verb *const verbs[] = {
	&format_verb,        &verify_verb,   &dump_verb,  &manifest_verb,
	&sign_roothash_verb, &generate_verb, &check_verb, &sign_verb,
};

int main(int argc, char *argv[])
{
	struct verb_dispatch d;

	(void)stdio_reserve(); /* before anything is opened: no file may become stdout or stderr */
	log_set_program("ipe-policygen");
	log_parse_environment();
	if (atomic_file_cleanup_on_signal() < 0)
		log_warning("cannot handle signals: an interrupted run may leave a temporary file");
	dispatch_verb(argc, argv, verbs, ELEMENTSOF(verbs), &d);
	return log_verb_dispatch(&d, verbs, ELEMENTSOF(verbs),
				 "dm-verity hash trees, root-hash signatures and IPE policies");
}
