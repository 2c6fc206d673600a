/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

#include "lib/verbs.h"

/* One function per verb of ipe-policygen; each lives in the file of its name. */
int verb_check(int argc, char *argv[]);
int verb_format(int argc, char *argv[]);
int verb_verify(int argc, char *argv[]);
int verb_dump(int argc, char *argv[]);
int verb_manifest(int argc, char *argv[]);
int verb_sign_roothash(int argc, char *argv[]);
int verb_generate(int argc, char *argv[]);
int verb_sign(int argc, char *argv[]);

/* Each verb's table entry (name, operand counts, help), beside its options in its file. */
extern const struct verb format_verb;
extern const struct verb verify_verb;
extern const struct verb dump_verb;
extern const struct verb manifest_verb;
extern const struct verb sign_roothash_verb;
extern const struct verb generate_verb;
extern const struct verb check_verb;
extern const struct verb sign_verb;
