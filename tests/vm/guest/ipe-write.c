// SPDX-License-Identifier: GPL-2.0-only
/*
 * ipe-write FILE TARGET: write FILE to TARGET in one write(), as securityfs
 * policy files and efivarfs variables require, and print the outcome as
 * "0" or the errno name (EBADMSG, ESTALE...). Exit 0 when written, 1 when
 * the write was refused, 2 when FILE could not be read.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct stat st;
	char *buf;
	ssize_t n;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: ipe-write FILE TARGET\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "ipe-write: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	buf = malloc(st.st_size ? st.st_size : 1);
	if (!buf || read(fd, buf, st.st_size) != st.st_size) {
		fprintf(stderr, "ipe-write: %s: short read\n", argv[1]);
		return 2;
	}
	close(fd);

	/* O_CREAT: new efivarfs variables are created by the write itself. */
	fd = open(argv[2], O_WRONLY | O_CREAT, 0644);
	if (fd < 0) {
		printf("%s\n", strerrorname_np(errno));
		return 1;
	}
	n = write(fd, buf, st.st_size);
	if (n < 0) {
		printf("%s\n", strerrorname_np(errno));
		return 1;
	}
	if (n != st.st_size) {
		printf("short write %zd of %lld\n", n, (long long)st.st_size);
		return 1;
	}
	if (close(fd) < 0) {
		printf("%s\n", strerrorname_np(errno));
		return 1;
	}
	printf("0\n");
	return 0;
}
