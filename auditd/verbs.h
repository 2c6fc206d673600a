/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/* One function per verb of ipe-auditd; each lives in the file of its name. */
int verb_report(int argc, char *argv[]);
int verb_gate(int argc, char *argv[]);
int verb_enforce(int argc, char *argv[]);
int verb_confirm(int argc, char *argv[]);
int verb_status(int argc, char *argv[]);
