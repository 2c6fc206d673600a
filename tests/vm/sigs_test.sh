#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Signatures judged by the kernel: every shape of tests/vm/sig_shapes.sh
# (openssl smime, openssl cms, the project's signers) is written to
# new_policy (policies, attached) or given to `veritysetup open
# --root-hash-signature` (root hashes, detached), and the kernel's answer (0
# or the errno) must be what `ipe-keys verify` predicted on the host with the
# certificates of the keyring, and what tests/data/sigs/kernel-6.12.tsv
# recorded. Boot 1 enrols a CA certificate into UEFI db
# (next to the test key); boot 2, where .platform holds both, judges the
# corpus.
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
sig_shapes "$p/corpus" "$k" "$T/policy.pol" "$img/roothash" || fail sig-craft-build "building tests/vm/host/sig-craft.c failed"
[ -s "$T/shapes-failed" ] && fail sigs-shapes-made "openssl could not make: $(tr '\n' ' ' <"$T/shapes-failed")"

: >"$p/corpus/table"
for f in "$p"/corpus/p-*.p7b "$p"/corpus/r-*.p7s; do
	b=$(basename "$f")
	n=${b%.*}
	case $n in
	p-*) pred=$(sig_predict "$f" "$k") ;;
	r-*) pred=$(sig_predict "$f" "$k" "$img/roothash") ;;
	esac
	# What this kernel answered when the table was recorded.
	pinned=$(awk -F'\t' -v n="$n" '$1 == n { print $2 }' "$TOP/tests/data/sigs/kernel-6.12.tsv")
	printf '%s %s %s %s\n' "$n" "$b" "$pred" "${pinned:--}" >>"$p/corpus/table"
done
echo "$rh" >"$p/roothash"
shapes=$(wc -l <"$p/corpus/table") recorded=$(grep -vc '^#' "$TOP/tests/data/sigs/kernel-6.12.tsv")
if [ "$shapes" = "$recorded" ]; then
	pass sigs-every-shape-recorded
else
	fail sigs-every-shape-recorded "$shapes shapes, $recorded recorded in tests/data/sigs/kernel-6.12.tsv"
fi

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
	expect "sigs-recorded-$name" "$pinned" "$got"
done </payload/corpus/table
expect sigs-every-shape-judged "$(wc -l </payload/corpus/table)" "$judged"
finish
GUEST

vm_boot sigs "$p" "$img/data.img" "$img/hash.img"
# The kernel's answers, in the log: what tests/data/sigs/kernel-6.12.tsv records.
sed 's/\r//g' "$T/vm-sigs/results" | grep -a '^KERNEL ' >&2
finish
