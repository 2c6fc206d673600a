/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/* One function per verb of ipe-keys; each lives in the file of its name. */
int verb_generate(int argc, char *argv[]);
int verb_uefi_db(int argc, char *argv[]);
int verb_enroll_uefi(int argc, char *argv[]);
int verb_enroll(int argc, char *argv[]);
int verb_list(int argc, char *argv[]);
int verb_verify(int argc, char *argv[]);
