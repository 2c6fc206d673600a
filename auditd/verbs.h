/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/* The verbs of ipe-auditd, one file each (lib/verbs.h says what they return). */
int verb_run(int argc, char *argv[]);
