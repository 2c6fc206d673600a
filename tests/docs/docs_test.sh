#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The documents' commands are run and their output is what the documents show
# (tests/docs/rundoc.py): the adoption guide, the cookbook (each recipe is
# checked with ipe-policygen check), the Spectrum example and the threat model.
. "$(dirname "$0")/../integration/lib.sh"

# The installed tree (the s6-rc sources) and the vendored s6-rc tools.
make -C "$TOP" --no-print-directory O="$O" install DESTDIR="$T/inst" prefix=/usr sysconfdir=/etc >"$T/install.log" 2>&1 ||
	{ cat "$T/install.log"; fail docs-install "make install failed"; finish; exit; }
export prefix=$T/inst/usr
s6bin=$("$TOP/tests/vendor/s6-rc/build.sh" "$O/tests/s6-rc" 2>"$T/s6-rc.log") || { cat "$T/s6-rc.log"; s6bin=; }

for doc in docs/adoption.md docs/cookbook.md docs/examples/spectrum.md docs/threat-model.md; do
	[ -f "$TOP/$doc" ] || { fail "$doc" "missing"; continue; }
	work=$T/$(basename "$doc" .md)
	mkdir -p "$work"
	# The documents run the installed tools by name.
	PATH=$O${s6bin:+:$s6bin}:$PATH python3 "$TOP/tests/docs/rundoc.py" "$TOP/$doc" "$work" || n_failed=$((n_failed + 1))
done
finish
