// SPDX-License-Identifier: GPL-2.0-only
#include "lib/log.h"
#include "policygen/verbs.h"

int verb_generate(int argc, char *argv[])
{
	(void)argc;
	(void)argv;
	return log_error_errno(-EOPNOTSUPP, "not implemented yet");
}
