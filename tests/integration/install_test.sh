#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `make install DESTDIR=…` gives the complete tree (binaries, every man page,
# units, s6-rc sources, completions, example configuration) with the install
# paths filled in and the right modes; `make uninstall` removes all of it.
. "$(dirname "$0")/lib.sh"

root=$T/root
make -C "$TOP" --no-print-directory O="$O" install DESTDIR="$root" prefix=/usr sysconfdir=/etc >"$T/install.log" 2>&1 ||
	{ cat "$T/install.log"; fail install "make install failed"; finish; exit; }

expected() {
	local p m
	for p in ipe-auditd ipe-keys ipe-policygen; do
		[ -x "$O/$p" ] && echo "0755 usr/bin/$p" && echo "0644 usr/share/bash-completion/completions/$p"
	done
	for m in "$TOP"/docs/man/*.1; do echo "0644 usr/share/man/man1/${m##*/}"; done
	cat <<'LIST'
0644 usr/lib/systemd/system/ipe-auditd.service
0644 usr/lib/systemd/system/ipe-load-policies.service
0644 usr/share/doc/ipe-tools/examples/ipe-auditd.conf
0644 usr/share/ipe-tools/s6-rc/ipe-auditd-log/consumer-for
0644 usr/share/ipe-tools/s6-rc/ipe-auditd-log/notification-fd
0644 usr/share/ipe-tools/s6-rc/ipe-auditd-log/pipeline-name
0755 usr/share/ipe-tools/s6-rc/ipe-auditd-log/run
0644 usr/share/ipe-tools/s6-rc/ipe-auditd-log/type
0644 usr/share/ipe-tools/s6-rc/ipe-auditd/dependencies.d/ipe-load-policies
0644 usr/share/ipe-tools/s6-rc/ipe-auditd/notification-fd
0644 usr/share/ipe-tools/s6-rc/ipe-auditd/producer-for
0755 usr/share/ipe-tools/s6-rc/ipe-auditd/run
0644 usr/share/ipe-tools/s6-rc/ipe-auditd/timeout-up
0644 usr/share/ipe-tools/s6-rc/ipe-auditd/type
0644 usr/share/ipe-tools/s6-rc/ipe-load-policies/timeout-up
0644 usr/share/ipe-tools/s6-rc/ipe-load-policies/type
0644 usr/share/ipe-tools/s6-rc/ipe-load-policies/up
0644 usr/share/ipe-tools/s6-rc/ipe-tools/contents.d/ipe-auditd
0644 usr/share/ipe-tools/s6-rc/ipe-tools/contents.d/ipe-auditd-log
0644 usr/share/ipe-tools/s6-rc/ipe-tools/contents.d/ipe-load-policies
0644 usr/share/ipe-tools/s6-rc/ipe-tools/type
0644 usr/share/zsh/site-functions/_ipe-tools
LIST
}
# Nothing goes into /etc: the example configuration is documentation.
expected | LC_ALL=C sort >"$T/want"
(cd "$root" && find . -type f -printf '%m %P\n' | sed 's/^755 /0755 /; s/^644 /0644 /' | LC_ALL=C sort) >"$T/got"
if diff -u "$T/want" "$T/got" >"$T/diff"; then
	pass install-tree "$(wc -l <"$T/got") files"
else
	cat "$T/diff"
	fail install-tree "the installed files differ from the expected list (see the log)"
fi
n=$(cd "$root" && find . ! -type f ! -type d | wc -l)
if [ "$n" = 0 ]; then pass install-only-files-and-dirs; else fail install-only-files-and-dirs "$n other entries"; fi

if grep -rl '@[a-z]*dir@' "$root" >"$T/left"; then
	fail install-paths-filled "placeholders left in: $(tr '\n' ' ' <"$T/left")"
else
	pass install-paths-filled
fi
# shellcheck disable=SC2016 # the unit's own ${IPE_AUDITD_POLICY}, matched literally
check_exit unit-execstart-bindir 0 grep -q '^ExecStart=/usr/bin/ipe-auditd run --policy ${IPE_AUDITD_POLICY}' \
	"$root/usr/lib/systemd/system/ipe-auditd.service"
check_exit unit-config-sysconfdir 0 grep -q '^EnvironmentFile=-/etc/ipe-tools/ipe-auditd.conf$' \
	"$root/usr/lib/systemd/system/ipe-auditd.service"
check_exit loader-execstart 0 grep -qx 'ExecStart=/usr/bin/ipe-auditd load' \
	"$root/usr/lib/systemd/system/ipe-load-policies.service"
check_exit s6-run-paths 0 grep -q '^/usr/bin/ipe-auditd run --policy /etc/ipe-tools/audit.p7b .*--ready-fd 3$' \
	"$root/usr/share/ipe-tools/s6-rc/ipe-auditd/run"
check_exit s6-log-dir 0 grep -q '^s6-log -bd3 -- T n20 s1000000 /var/log/ipe-auditd$' \
	"$root/usr/share/ipe-tools/s6-rc/ipe-auditd-log/run"
check_exit installed-binary-runs 0 "$root/usr/bin/ipe-policygen" --version

# The completions offer the verbs and a verb's options from the program's --help.
complete_words() { # complete_words WORD...: what bash completion offers for the last word
	(
		PATH=$root/usr/bin:$PATH
		# shellcheck disable=SC2317 # called by the completion script sourced next
		complete() { :; }
		# shellcheck source=/dev/null # the installed copy, which this test checks
		. "$root/usr/share/bash-completion/completions/ipe-policygen"
		COMP_WORDS=("$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMPREPLY=()
		_ipe_tools
		printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' '
	)
}
got=$(complete_words ipe-policygen ge)
if [ "$got" = "generate " ]; then pass bash-completion-verb; else fail bash-completion-verb "got '$got'"; fi
got=$(complete_words ipe-policygen generate --ver)
if [ "$got" = "--version --version-from " ]; then pass bash-completion-options; else fail bash-completion-options "got '$got'"; fi
got=$(complete_words ipe-auditd "")
if [[ $got == *"load "* ]]; then pass bash-completion-auditd; else fail bash-completion-auditd "got '$got'"; fi
if command -v zsh >/dev/null; then
	check zsh-completion-syntax zsh -n "$root/usr/share/zsh/site-functions/_ipe-tools"
else
	skip zsh-completion-syntax "zsh is not installed"
fi

# Another prefix moves everything, defaults included.
make -C "$TOP" --no-print-directory O="$O" install DESTDIR="$T/local" >"$T/install2.log" 2>&1 ||
	fail install-default-prefix "make install failed"
check_exit default-prefix-bindir 0 test -x "$T/local/usr/local/bin/ipe-policygen"
check_exit default-prefix-unit-paths 0 grep -q '^EnvironmentFile=-/usr/local/etc/ipe-tools/ipe-auditd.conf$' \
	"$T/local/usr/local/lib/systemd/system/ipe-auditd.service"

# Uninstall removes every file and the directories it leaves empty; a file
# of someone else's in a shared directory stays.
echo keep >"$root/usr/bin/other-tool"
make -C "$TOP" --no-print-directory O="$O" uninstall DESTDIR="$root" prefix=/usr sysconfdir=/etc >"$T/uninstall.log" 2>&1 ||
	fail uninstall "make uninstall failed"
left=$(cd "$root" && find . -mindepth 1 | LC_ALL=C sort | tr '\n' ' ')
if [ "$left" = "./usr ./usr/bin ./usr/bin/other-tool " ]; then
	pass uninstall-removes-all
else
	fail uninstall-removes-all "left behind: $left"
fi
finish
