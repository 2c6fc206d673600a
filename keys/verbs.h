/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

#include "lib/verbs.h"

/* One function per verb of ipe-keys; each lives in the file of its name. */
int verb_generate(int argc, char *argv[]);
int verb_uefi_db(int argc, char *argv[]);
int verb_enroll_uefi(int argc, char *argv[]);
int verb_enroll(int argc, char *argv[]);
int verb_list(int argc, char *argv[]);
int verb_verify(int argc, char *argv[]);

/* Each verb's table entry (name, operand counts, help), beside its options in its file. */
extern const struct verb generate_verb;
extern const struct verb uefi_db_verb;
extern const struct verb enroll_uefi_verb;
extern const struct verb enroll_verb;
extern const struct verb list_verb;
extern const struct verb verify_verb;
