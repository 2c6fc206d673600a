/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/**
 * storage_overlaps() - whether writing to what @fd_b is open on can change
 * what @fd_a is open on, judged by device, never by name: a block device is
 * itself (st_rdev, so two device nodes of one device are one), the backing
 * file of a loop device (/sys/dev/block/M:m/loop/backing_file), every device
 * a device-mapper or md device sits on (.../slaves/), the disk a partition is
 * part of; a regular file is its inode and the device of its file system; a
 * directory is the device of its file system. Two partitions of one disk, or
 * two files of one file system, do not overlap.
 * Return: 1 (they overlap), 0, -errno.
 */
int storage_overlaps(int fd_a, int fd_b);

/**
 * same_storage_object() - the same inode (regular files) or the same device
 * (block devices, st_rdev), as libcryptsetup's device_is_identical() decides
 * that data and hash are one device. Return: 1, 0, -errno.
 */
int same_storage_object(int fd_a, int fd_b);
