#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `ipe-policygen check` against the kernel: every policy of the corpus
# (tests/data/policies/corpus/*.pol) is signed as it is (openssl: the
# project's signer refuses invalid policies on purpose), written to
# new_policy in one write(), and the kernel's answer (0 or the errno) must be
# what `ipe-policygen check --json` predicted on the host. The corpus's own
# expected.tsv is checked against the kernel too.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib.sh"

corpus=${IPE_TEST_CORPUS:-$TOP/tests/data/policies/corpus}
if ! ls "$corpus"/*.pol >/dev/null 2>&1; then
	skip ipe-corpus "no policies in $corpus"
	exit 0
fi
vm_setup_or_skip ipe-corpus || { finish; exit; }

# errno_name N|-N|NAME: the errno's name, as the guest prints it.
errno_name() {
	local e=${1#-}
	case $e in
	0 | null) echo 0 ;; 1) echo EPERM ;; 2) echo ENOENT ;; 7) echo E2BIG ;; 12) echo ENOMEM ;;
	13) echo EACCES ;; 17) echo EEXIST ;; 22) echo EINVAL ;; 34) echo ERANGE ;;
	74) echo EBADMSG ;; 116) echo ESTALE ;; 126) echo ENOKEY ;; 129) echo EKEYREJECTED ;;
	*) echo "$e" ;;
	esac
}

p=$T/payload
vm_payload_start "$p"
mkdir -p "$p/corpus"
: >"$p/corpus/table"
for f in "$corpus"/*.pol; do
	b=$(basename "$f" .pol)
	vm_sign_policy_openssl "$f" "$p/corpus/$b.p7b" || { fail "corpus-$b" "openssl cannot sign $f"; continue; }
	# kernel_errno: null when the policy would load, else the errno's name.
	json=$("$O/ipe-policygen" check --json "$f" 2>/dev/null)
	e=$(sed -n 's/.*"kernel_errno" *: *"\{0,1\}\(-\{0,1\}[A-Za-z0-9]*\)"\{0,1\}.*/\1/p' <<<"$json" | head -n 1)
	predicted=$(errno_name "${e:-missing}")
	listed=$(awk -F'\t' -v f="$b.pol" '$1 == f { print $2; exit }' "$corpus/expected.tsv" 2>/dev/null)
	printf '%s\t%s\t%s\n' "$b" "$predicted" "$(errno_name "${listed:--}")" >>"$p/corpus/table"
done

cat >>"$p/run.sh" <<'GUEST'
judged=0
while IFS='	' read -r name predicted listed; do
	judged=$((judged + 1))
	before=$(ls $IPE/policies)
	got=$(load_policy /payload/corpus/$name.p7b)
	# Unload what loaded, so a later policy of the same name is judged alone.
	for d in $(ls $IPE/policies); do
		case " $(echo $before) " in *" $d "*) ;; *) echo 1 >$IPE/policies/$d/delete ;; esac
	done
	echo "kernel $name $got" >&2
	expect "corpus-$name" "$predicted" "$got"
	if [ "$listed" != - ] && [ "$listed" != "$got" ]; then
		fail "corpus-expected-$name" "expected.tsv says $listed, the kernel says $got"
		tsv_differs=1
	fi
done </payload/corpus/table
[ -n "${tsv_differs:-}" ] || pass corpus-expected-tsv-agrees-with-kernel
expect corpus-every-policy-judged "$(wc -l </payload/corpus/table)" "$judged"
finish
GUEST

vm_boot ipe-corpus "$p"
finish
