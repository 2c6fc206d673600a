#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Signatures judged by the kernel: every shape of tests/vm/sig_shapes.sh
# (openssl smime, openssl cms, the project's signers) is written to
# new_policy (policies, attached) or given to `veritysetup open
# --root-hash-signature` (root hashes, detached), and the kernel's answer (0
# or the errno) must be what `ipe-keys verify` predicted on the host with the
# certificates of the keyring. Boot 1 enrols a CA certificate into UEFI db
# (next to the test key); boot 2, where .platform holds both, judges the
# corpus. The field cases of issue 12 are pinned to the
# kernel's errno too.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sig_shapes.sh"

vm_setup_or_skip sigs || { finish; exit; }

k=$T/keys
sig_shapes_keys "$k" || { fail sigs-keys "making the keys failed (see the log)"; finish; exit; }

# Boot 1: the CA certificate into db (the store is in setup mode).
p1=$T/payload-enrol
vm_payload_start "$p1"
cp "$k/ca.crt" "$k/ca.key" "$p1/"
cat >>"$p1/run.sh" <<'GUEST'
if out=$(ipe-keys enroll-uefi /payload/ca.crt --key /payload/ca.key 2>&1); then
	pass sigs-enrol-ca
else
	fail sigs-enrol-ca "$(echo "$out" | tail -n 1)"
fi
finish
GUEST
cp "$VM_VARS" "$T/vars.fd"
VM_VARS=$T/vars.fd
vm_boot sigs-enrol "$p1" || { finish; exit; }
VM_VARS=$T/vm-sigs-enrol/vars.fd

# A volume to open, a policy to load, and the corpus.
img=$T/img
mkdir -p "$img"
head -c 262144 /dev/urandom >"$img/data.img"
rh=$(vm_format sigs "$img/data.img" "$img/hash.img") && [ -n "$rh" ] || { fail sigs-format; finish; exit; }
printf '%s' "$rh" >"$img/roothash"
vm_policy_signed "$T/policy.pol" sigs_corpus 1.0.0 || { fail sigs-policy; finish; exit; }
p=$T/payload
vm_payload_start "$p"
sig_shapes "$p/corpus" "$k" "$T/policy.pol" "$img/roothash"
# The shapes no openssl command line makes.
cc -std=gnu11 -O2 -Wall -Wextra -o "$T/sig-craft" "$VM_DIR/host/sig-craft.c" -lcrypto ||
	{ fail sig-craft-build "building tests/vm/host/sig-craft.c failed"; finish; exit; }
for s in repeated-attr unknown-attr ms-opus-info mixed-attrs string-time; do
	"$T/sig-craft" "$s" "$VM_CERT" "$VM_KEY" "$k/other.crt" "$k/other.key" "$T/policy.pol" "$p/corpus/p-$s.p7b" ||
		echo "p-$s" >>"$T/shapes-failed"
done
[ -s "$T/shapes-failed" ] && fail sigs-shapes-made "openssl could not make: $(tr '\n' ' ' <"$T/shapes-failed")"

# predict SIG [DATA]: what ipe-keys verify says the kernel returns, with the
# certificates .platform holds.
predict() {
	local out
	if out=$("$O/ipe-keys" verify --cert "$VM_CERT" --cert "$k/ca.crt" \
		${2:+--data "$2"} "$1" 2>&1); then
		echo 0
	else
		out=$(sed -n 's/.*(the kernel returns \(E[A-Z0-9]*\)).*/\1/p' <<<"$out" | head -n 1)
		echo "${out:-none}"
	fi
}

: >"$p/corpus/table"
for f in "$p"/corpus/p-*.p7b "$p"/corpus/r-*.p7s; do
	b=$(basename "$f")
	n=${b%.*}
	case $n in
	p-*) pred=$(predict "$f") ;;
	r-*) pred=$(predict "$f" "$img/roothash") ;;
	esac
	pinned=$(awk -v n="$n" '$1 == n { print $2 }' "$p/corpus/expected")
	if [ -n "$pinned" ] && [ "$pinned" != "$pred" ]; then
		fail "sigs-predicted-$n" "ipe-keys verify says $pred, the field case is $pinned"
	fi
	printf '%s %s %s %s\n' "$n" "$b" "$pred" "${pinned:--}" >>"$p/corpus/table"
done
echo "$rh" >"$p/roothash"

cat >>"$p/run.sh" <<'GUEST'
RH=$(cat /payload/roothash)
# verity_errno SIG: 0 when dm-verity took the signature, else the errno the
# kernel logged for the table ("verity: Root hash verification failed (-E...)").
verity_errno() {
	local e
	dmesg -c >/dev/null
	if veritysetup open /dev/vda sigs /dev/vdb "$RH" --root-hash-signature="$1" >/tmp/out 2>&1; then
		veritysetup close sigs
		echo 0
		return
	fi
	e=$(dmesg | sed -n 's/.*verity.*(-\(E[A-Z0-9]*\)).*/\1/p' | tail -n 1)
	echo "${e:-veritysetup: $(tail -n 1 /tmp/out)}"
}
judged=0
while read -r name file predicted pinned; do
	judged=$((judged + 1))
	case $name in
	p-*)
		got=$(load_policy /payload/corpus/$file)
		[ "$got" = 0 ] && echo 1 >$IPE/policies/sigs_corpus/delete
		;;
	r-*) got=$(verity_errno /payload/corpus/$file) ;;
	esac
	echo "kernel $name $got" >&2
	echo "KERNEL $name $got"
	expect "sigs-$name" "$predicted" "$got"
	[ "$pinned" = - ] || expect "sigs-kernel-$name" "$pinned" "$got"
done </payload/corpus/table
expect sigs-every-shape-judged "$(wc -l </payload/corpus/table)" "$judged"
finish
GUEST

vm_boot sigs "$p" "$img/data.img" "$img/hash.img"
finish
