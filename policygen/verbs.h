/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/* One function per verb of ipe-policygen; each lives in the file of its name. */
int verb_check(int argc, char *argv[]);
int verb_format(int argc, char *argv[]);
int verb_verify(int argc, char *argv[]);
int verb_dump(int argc, char *argv[]);
int verb_manifest(int argc, char *argv[]);
int verb_sign_roothash(int argc, char *argv[]);
int verb_generate(int argc, char *argv[]);
int verb_sign(int argc, char *argv[]);
