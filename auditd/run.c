// SPDX-License-Identifier: GPL-2.0-only
#include "lib/verbs.h"
#include "auditd/verbs.h"
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcast-qual" /* bpftool's generated code */
#include "auditd/bpf/tracepoint.skel.h"
#pragma GCC diagnostic pop

int verb_run(int argc, char *argv[])
{
	(void)argc; (void)argv;
	return -ENOSYS;
}
