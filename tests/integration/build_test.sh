#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A build without a library's -dev package stops at once with one line naming
# the pkg-config module and the Debian package, before any compiler runs.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# A pkg-config that knows every module but one.
for missing in libcrypto:libssl-dev libcryptsetup:libcryptsetup-dev json-c:libjson-c-dev \
	libkeyutils:libkeyutils-dev; do
	module=${missing%%:*} package=${missing#*:}
	cat >"$T/pkg-config" <<EOS
#!/bin/sh
for a in "\$@"; do [ "\$a" = "$module" ] && exit 1; done
exec pkg-config "\$@"
EOS
	chmod +x "$T/pkg-config"
	out=$(make -C "$TOP" --no-print-directory O="$T/build" PKG_CONFIG="$T/pkg-config" all 2>&1)
	rc=$?
	if [ "$rc" = 2 ] && [ "$(wc -l <<<"$out")" = 1 ] &&
		[[ $out == *"pkg-config module '$module' not found: install the Debian package $package (tests/deps.sh"* ]] &&
		[ ! -e "$T/build/lib" ]; then
		pass "missing_$module"
	else
		fail "missing_$module" "exit $rc: $out"
	fi
done
finish
