// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stddef.h>

#include "lib/errno_name.h"
#include "lib/macro.h"

const char *errno_name(int error)
{
	static const struct {
		int value;
		const char *name;
	} names[] = {
		{ EPERM, "EPERM" },
		{ ENOENT, "ENOENT" },
		{ EIO, "EIO" },
		{ ENOMEM, "ENOMEM" },
		{ EACCES, "EACCES" },
		{ EEXIST, "EEXIST" },
		{ EINVAL, "EINVAL" },
		{ EFBIG, "EFBIG" },
		{ ERANGE, "ERANGE" },
		{ ENAMETOOLONG, "ENAMETOOLONG" },
		{ EBADMSG, "EBADMSG" },
		{ ESTALE, "ESTALE" },
		{ ENOKEY, "ENOKEY" },
		{ EKEYREJECTED, "EKEYREJECTED" },
		{ EKEYEXPIRED, "EKEYEXPIRED" },
		{ ENOTSUP, "EOPNOTSUPP" },
		{ EBADF, "EBADF" },
		{ ENODATA, "ENODATA" },
		{ ENOPKG, "ENOPKG" },
		{ EMSGSIZE, "EMSGSIZE" },
	};

	if (error < 0)
		error = -error;
	for (size_t i = 0; i < ELEMENTSOF(names); i++)
		if (names[i].value == error)
			return names[i].name;
	return NULL;
}
