#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The dependency rule of docs/ARCHITECTURE.md, from the sources and the build:
# which project folders and which libraries' headers each folder includes,
# which libraries each program links, and that libpolicy.a and libbasic.a
# need nothing but each other and libc. auditd/ is covered before it exists.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$TOP" || exit 2

# Project folders each folder may include (its own always).
declare -A may=(
	[lib]=""
	[policy]="lib"
	[json]="lib"
	[crypto]="lib"
	[verity]="lib policy json crypto"
	[policygen]="lib policy json crypto verity"
	[keys]="lib policy json crypto"
	[auditd]="lib policy json crypto"
)
# Library headers (a regular expression over <...> includes) each folder must not use.
declare -A never=(
	[lib]='^(openssl|json-c|bpf)/|^libcryptsetup\.h|^keyutils\.h'
	[policy]='^(openssl|json-c|bpf)/|^libcryptsetup\.h|^keyutils\.h'
	[json]='^(openssl|bpf)/|^libcryptsetup\.h|^keyutils\.h'
	[crypto]='^(json-c|bpf)/|^libcryptsetup\.h|^keyutils\.h'
	[verity]='^bpf/|^keyutils\.h'
	[policygen]='^bpf/|^keyutils\.h'
	[keys]='^bpf/|^libcryptsetup\.h'
	[auditd]='^libcryptsetup\.h'
)
folders="lib policy json crypto verity policygen keys auditd"

# includes DIR: "FILE:LINE:HEADER" for every #include "..." (kind q) or <...> (kind s).
includes() {
	grep -Hn -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]' "$1"/*.[ch] 2>/dev/null |
		sed -E 's/^([^:]+:[0-9]+):[[:space:]]*#[[:space:]]*include[[:space:]]*([<"])([^>"]+)[>"].*/\1 \2 \3/'
}

# violations FOLDER DIR: the includes in DIR that FOLDER's floor does not allow, on one line.
violations() {
	local d=$1 where kind header top bad=
	while read -r where kind header; do
		if [ "$kind" = '"' ]; then
			top=${header%%/*}
			if [ "$top" = "$header" ]; then
				bad+=" $where:$header(no folder)"
			elif [ "$top" != "$d" ]; then
				case " ${may[$d]} " in *" $top "*) ;; *) bad+=" $where:$header" ;; esac
			fi
		elif [[ $header =~ ${never[$d]} ]]; then
			bad+=" $where:<$header>"
		fi
	done < <(includes "$2")
	echo "$bad"
}

for d in $folders; do
	if [ ! -d "$d" ]; then
		skip "floor_$d" "no $d/ in this tree"
		continue
	fi
	bad=$(violations "$d" "$d")
	if [ -z "$bad" ]; then pass "floor_$d"; else fail "floor_$d" "includes across the floors:$bad"; fi
done

# The rule can fail: a policy/ file that includes verity/ and OpenSSL is caught twice.
mkdir -p "$T/policy" && printf '#include "verity/params.h"\n#include <openssl/evp.h>\n' >"$T/policy/x.c"
bad=$(violations policy "$T/policy")
if [[ $bad == *verity/params.h*'<openssl/evp.h>' ]]; then
	pass floor_rule_can_fail
else
	fail floor_rule_can_fail "found: $bad"
fi

# Link lines: the libraries each program's build.mk links.
links() { sed -n "s/^$2_LDLIBS *:= *//p" "$1"; }
check_links() { # NAME FILE VAR FORBIDDEN-REGEX
	local l
	[ -f "$2" ] || { skip "$1" "no $2"; return; }
	l=$(links "$2" "$3")
	if [ -z "$l" ]; then
		fail "$1" "no $3_LDLIBS line in $2"
	elif grep -Eq "$4" <<<"$l"; then
		fail "$1" "$2 links $l"
	else
		pass "$1"
	fi
}
check_links links_keys keys/build.mk KEYS 'CRYPTSETUP'
check_links links_auditd auditd/build.mk AUDITD 'CRYPTSETUP'
for f in lib/build.mk policy/build.mk; do
	if grep -Eq '_LIBS|_LDLIBS|-l[a-z]' "$f"; then
		fail "links_${f%%/*}" "$f names a library"
	else
		pass "links_${f%%/*}"
	fi
done

# libpolicy.a and libbasic.a: every symbol they need is theirs or libc's.
LIBC=$(gcc -print-file-name=libc.so.6 2>/dev/null)
[ -f "$LIBC" ] || LIBC=$(ldd "$O/ipe-policygen" | awk '/libc\.so/ { print $3 }')
if [ -f "$O/policy/libpolicy.a" ] && [ -f "$O/lib/libbasic.a" ] && [ -f "$LIBC" ]; then
	defined=$( (nm -g --defined-only "$O/policy/libpolicy.a" "$O/lib/libbasic.a" 2>/dev/null;
		nm -D --defined-only "$LIBC") | awk 'NF >= 3 { sub(/@.*/, "", $3); print $3 }' | sort -u)
	needs() { nm -u "$O/$1" | awk 'NF == 2 { print $2 }' | sed 's/@.*//' | sort -u |
		grep -vxF -f <(echo "$defined") | grep -v '^_GLOBAL_OFFSET_TABLE_$' |
		grep -vE '^__(asan|ubsan|tsan|lsan|sanitizer)_' | tr '\n' ' '; }  # a sanitizer build's runtime
	for a in policy/libpolicy.a lib/libbasic.a; do
		missing=$(needs "$a")
		if [ -z "$missing" ]; then pass "libc_only_$a"; else fail "libc_only_$a" "needs $missing"; fi
	done
	# and the check can fail: the verity engine needs libcrypto
	if [[ " $(needs verity/libverity.a) " == *" EVP_DigestUpdate "* ]]; then
		pass libc_only_check_can_fail
	else
		fail libc_only_check_can_fail "libverity.a's libcrypto symbols not seen"
	fi
else
	fail libc_only "no $O/policy/libpolicy.a, $O/lib/libbasic.a or libc ($LIBC)"
fi
finish
