/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/* One function per verb of ipe-auditd; each lives in the file of its name. */
int verb_load(int argc, char *argv[]);
