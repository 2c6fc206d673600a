#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `ipe-keys verify` and `ipe-policygen check` against what Linux 6.12 answered
# for every signature shape of tests/vm/sig_shapes.sh
# (tests/data/sigs/kernel-6.12.tsv, recorded and re-checked in the VM by
# tests/vm/sigs_test.sh), with keys made for this run, so the kernel's
# verdicts hold on machines without the VM. Also: the trusted CA alone is
# enough, the refusals say what to change, and check reports the envelope's
# errno before the policy's.
. "$(dirname "$0")/lib.sh"
VM_DIR=$TOP/tests/vm
# shellcheck source=tests/vm/sig_shapes.sh
. "$VM_DIR/sig_shapes.sh"

table=$TOP/tests/data/sigs/kernel-6.12.tsv
k=$T/keys
"$O/ipe-keys" generate --out-dir "$T/me" --cn "ipe-tools shapes test key" >/dev/null 2>&1 &&
	sig_shapes_keys "$k" >/dev/null 2>&1 || { fail shapes-keys "making the keys failed"; finish; exit; }
# The names sig_shapes.sh signs with (the VM's test key there).
export VM_KEY=$T/me/signing.key VM_CERT=$T/me/signing.crt
"$O/ipe-policygen" generate --name shapes --version 1.0.0 --boot-verified --signed -o "$T/policy.pol" 2>/dev/null ||
	{ fail shapes-policy "generate failed"; finish; exit; }
printf '%s' 7d2d8a7ec2b4ec1c33b7dbfe39c7e1fc1d5e4f1d0b1bc23dc0d2ab4e0c4ad9b4 >"$T/roothash"
sig_shapes "$T/c" "$k" "$T/policy.pol" "$T/roothash" 2>"$T/shapes.log" || fail shapes-craft "building sig-craft failed"
[ -s "$T/shapes-failed" ] && fail shapes-made "openssl could not make: $(tr '\n' ' ' <"$T/shapes-failed")"

n=0
while IFS=$'\t' read -r name want; do
	case $name in '#'* | '') continue ;; esac
	n=$((n + 1))
	case $name in
	p-*) f=$T/c/$name.p7b got=$(sig_predict "$f" "$k") ;;
	r-*) f=$T/c/$name.p7s got=$(sig_predict "$f" "$k" "$T/roothash") ;;
	esac
	if [ ! -e "$f" ]; then
		fail "shape-$name" "not made"
	elif [ "$got" = "$want" ]; then
		pass "shape-$name"
	else
		fail "shape-$name" "ipe-keys verify says $got, Linux 6.12 said $want"
	fi
done <"$table"
made=("$T"/c/*.p7[bs])
check shapes-all-recorded test "$n" = "${#made[@]}"

# The CA the kernel trusts is enough for a certificate it issued; the leaf alone is too.
check_exit verify-trusts-ca 0 "$O/ipe-keys" verify --cert "$k/ca.crt" "$T/c/p-chain-leaf.p7b"
check_exit verify-trusts-leaf 0 "$O/ipe-keys" verify --cert "$k/leaf.crt" "$T/c/p-chain-leaf.p7b"
check_exit verify-other-ca-refused 1 "$O/ipe-keys" verify --cert "$VM_CERT" "$T/c/p-chain-leaf.p7b"

# The field cases say what to change.
"$O/ipe-keys" verify --cert "$VM_CERT" "$T/c/p-smime-attrs.p7b" 2>"$T/err"
check field-smimecap-names-errno grep -q 'S/MIME capabilities.*(the kernel returns EKEYREJECTED)' "$T/err"
check field-smimecap-says-fix grep -q 'to fix: sign with -nosmimecap' "$T/err"
check_exit field-keyid-detached-valid 0 "$O/ipe-keys" verify --cert "$VM_CERT" --data "$T/roothash" \
	"$T/c/r-cms-keyid-noattr.p7s"
"$O/ipe-keys" verify --cert "$k/leaf.crt" "$T/c/p-window-nosmimecap.p7b" --cert "$k/old.crt" 2>"$T/err"
check window-says-fix grep -q 'to fix: sign with a certificate valid now, or with -noattr' "$T/err"

# check: the envelope first, with the kernel's errno; a -keyid policy is read.
"$O/ipe-policygen" check "$T/c/p-smime-attrs.p7b" >"$T/out"
check check-smimecap grep -q 'error: signature: S/MIME capabilities.*(EKEYREJECTED)' "$T/out"
check_exit check-keyid-loads 0 "$O/ipe-policygen" check "$T/c/p-cms-keyid-noattr.p7b"
"$O/ipe-policygen" check --json "$T/c/p-size-70k.p7b" >"$T/out"
check check-size-json grep -q '"kernel_errno":"EMSGSIZE"' "$T/out"
"$O/ipe-policygen" check "$T/c/p-ber.p7b" >"$T/out"
check check-ber-says-stream grep -q 'sign without -stream' "$T/out"

# The project's signer judges its output the same way: too large for the kernel is a refusal.
"$O/ipe-policygen" sign --key "$VM_KEY" --cert "$VM_CERT" -o "$T/big.p7b" "$T/pol.70k" 2>"$T/err"
rc=$?
check sign-too-large-exit-1 test "$rc" = 1
check sign-too-large-nothing-written test ! -e "$T/big.p7b"
check sign-too-large-says-why grep -q 'would refuse the signature of .*(EMSGSIZE)' "$T/err"
finish
