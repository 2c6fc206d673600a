/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

#include "lib/verbs.h"

/* One function per verb of ipe-auditd; each lives in the file of its name. */
int verb_run(int argc, char *argv[]);
int verb_report(int argc, char *argv[]);
int verb_gate(int argc, char *argv[]);
int verb_explain(int argc, char *argv[]);
int verb_enforce(int argc, char *argv[]);
int verb_confirm(int argc, char *argv[]);
int verb_status(int argc, char *argv[]);
int verb_load(int argc, char *argv[]);

/* Each verb's table entry (name, operand counts, help), beside its options in its file. */
extern const struct verb run_verb;
extern const struct verb report_verb;
extern const struct verb gate_verb;
extern const struct verb explain_verb;
extern const struct verb enforce_verb;
extern const struct verb confirm_verb;
extern const struct verb status_verb;
extern const struct verb load_verb;
