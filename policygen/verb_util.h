/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

#include <stddef.h>

#include "policy/policy.h"
#include "verity/params.h"

/*
 * Steps several verbs share, with their messages: each logs its failure once,
 * as the verb would, and returns -errno.
 */

/* Log the checker's diagnostics of a policy as "LABEL:LINE: MESSAGE", and how many were left out. */
void log_policy_diags(const char *label, const struct ipe_check_result *res);

/* A usage error (-EINVAL) when a binary output would go to a terminal. */
int refuse_binary_terminal(const char *output);

/* write_file_atomic() of an output (mode 0644; "-" is stdout). Return: 0 or -errno. */
int write_output_logged(const char *path, const void *buf, size_t len);

/*
 * -EINVAL, logged without quoting any of it, when @buf (read from @path,
 * where @expected, e.g. "a policy", was wanted) is a private key; else 0.
 */
int refuse_key_material(const char *path, const void *buf, size_t len, const char *expected);

/*
 * verity_open_image() of a data image or hash file, its failure logged:
 * a FIFO, a directory or a character device is refused at once, never waited on.
 * Return: a descriptor or -errno.
 */
int open_image_logged(const char *path);

/**
 * log_verify_failure() - libcryptsetup's check of @data_path against the
 * tree of @m in @hash_path failed with @r, not a mismatch: one line. For a
 * read error (-EIO), which libcryptsetup does not place, it names the
 * device that fails: the hash device (@hash_label in the message) when its
 * hash area cannot be read again, else the data device.
 * Return: @r.
 */
int log_verify_failure(int r, const char *data_path, const char *hash_path, const char *hash_label,
		       const struct verity_params *m);
