// SPDX-License-Identifier: GPL-2.0-only
#include "keys/verbs.h"
#include "lib/log.h"

int verb_uefi_db(int argc, char *argv[])
{
	(void)argc;
	(void)argv;
	return log_error_errno(-EOPNOTSUPP, "not implemented yet");
}
