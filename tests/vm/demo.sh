#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `make demo`: the whole path from an image to a kernel that enforces it.
#
# Builds a small squashfs application image, formats it for dm-verity and
# signs its root hash, generates, checks and signs the IPE policy for it,
# then boots Debian's IPE kernel (QEMU) and shows the policy in audit mode
# (would-be denials logged, nothing refused) beside ipe-auditd, which judges
# the same policy in eBPF (its lsm backend), and in enforce mode (the same
# exec refused, the image's own binaries still running).
set -uo pipefail
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib.sh"
start=$(date +%s)

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() {
	printf '$ %s\n' "$(basename "$1") ${*:2}"
	"$@"
}

what="Debian $VM_SUITE's linux-image-amd64, cached in $VM_CACHE"
step "1. The IPE kernel (${IPE_TEST_KERNEL:-$what})"
if [ -z "${IPE_TEST_KERNEL:-}" ] && [ ! -r "$VM_CACHE/kernel/current/vmlinuz" ]; then
	echo "Not cached yet: downloading it once (about 110 MB) through a private apt configuration."
fi
rc=0
vm_setup 2> >(sed -u 's/^vm: /   /' >&2) || rc=$?
if [ $rc != 0 ]; then
	echo "demo: cannot boot the IPE kernel here: ${VM_SKIP:-setup failed}" >&2
	exit 2
fi
echo "kernel: $VM_KERNEL"

step "2. Signing key (ipe-keys generate), enrolled in the VM's UEFI db"
echo "key:         $VM_KEY"
echo "certificate: $VM_CERT"
echo "UEFI vars:   $VM_VARS (the kernel loads db certificates into .platform)"

step "3. An application image: busybox in a squashfs"
d=$T/demo
mkdir -p "$d/tree/bin" "$d/boot"
cp /bin/busybox "$d/tree/bin/busybox"
cd "$d" || exit 2
pg=$O/ipe-policygen
run mksquashfs tree app.img -noappend -quiet -no-progress -all-root || exit 1

step "4. dm-verity: format the hash tree, sign the root hash"
printf '$ %s\n' "ipe-policygen format --seed demo --manifest app.json app.img app.verity"
rh=$("$pg" format --seed demo --manifest app.json app.img app.verity) || exit 1
echo "$rh"
run "$pg" sign-roothash --key "$VM_KEY" --cert "$VM_CERT" --hash sha256 -o boot/app.p7s "$rh" || exit 1
echo "(detached PKCS#7, $(stat -c %s boot/app.p7s) bytes; veritysetup passes it to the kernel)"

step "5. The IPE policy: generate, check, sign"
# generate and sign warn about boot_verified as check does; once is enough.
nowarn() { grep -v ': warning: ' >&2; }
run "$pg" generate --name demo --version 1.0.0 --manifest app.json --boot-verified -o demo.pol 2> >(nowarn) ||
	exit 1
grep -v '^#' demo.pol | grep . | sed 's/^/   /'
echo "(boot_verified keeps the VM's own initramfs tools running; the check warns about it)"
run "$pg" check demo.pol || exit 1
run "$pg" sign --key "$VM_KEY" --cert "$VM_CERT" -o boot/demo.p7b demo.pol 2> >(nowarn) || exit 1
echo "(attached PKCS#7, $(stat -c %s boot/demo.p7b) bytes)"
# A candidate that forgot the image, for ipe-auditd to judge while demo.p7b is active.
"$pg" generate --name demo --version 1.0.1 --boot-verified -o boot/forgot-image.pol 2>/dev/null || exit 1

cat >"$d/boot/run.sh" <<GUEST
RH=$rh
GUEST
cat >>"$d/boot/run.sh" <<'GUEST'
. /lib/vm-guest.sh
show() { echo "   $*"; }
ipe_log() {
	dmesg | tail -n +"$(($(cat /tmp/.dmesg-mark) + 1))" | grep "type=$1" |
		sed 's/.*audit: type=1420 audit([^)]*): //; s/ pid=[0-9]*//; s/ ino=[0-9]*//' |
		sed 's/^/   kernel: /'
}
ok=1
echo "-- in the VM: $(uname -r), LSMs $(cat /sys/kernel/security/lsm)"
grep -q 'ipe-tools VM test key' /proc/keys && show "the signing certificate is in the .platform keyring"
echo "-- veritysetup open with --root-hash-signature (checked by the kernel)"
veritysetup open /dev/vda app /dev/vdb $RH --root-hash-signature=/payload/app.p7s || ok=0
mkdir -p /mnt/app && mount -t squashfs -o ro /dev/mapper/app /mnt/app || ok=0
show "mounted at /mnt/app; a copy of its busybox goes to /tmp (tmpfs, not verity)"
cp /mnt/app/bin/busybox /tmp/busybox

echo "-- load the signed policy (one write to new_policy), activate it, audit mode"
[ "$(ipe-write /payload/demo.p7b $IPE/new_policy)" = 0 ] || ok=0
echo 1 >$IPE/policies/demo/active || ok=0
echo 0 >$IPE/enforce
show "policy $(cat $IPE/policies/demo/name) $(cat $IPE/policies/demo/version), active=$(cat $IPE/policies/demo/active), enforce=$(cat $IPE/enforce)"
echo "-- ipe-auditd run: the same signed policy as a candidate, judged in eBPF beside IPE"
ipe-auditd run --policy /payload/demo.p7b --format text --stats-interval 0 --ready-fd 3 \
	3>/tmp/ready >/tmp/auditd.txt 2>&1 &
auditor=$!
while [ ! -s /tmp/ready ] && kill -0 $auditor 2>/dev/null; do sleep 0.1; done
audit_mark
show "/mnt/app/bin/busybox echo: $(/mnt/app/bin/busybox echo ran 2>&1)"
show "/tmp/busybox echo:         $(/tmp/busybox echo ran 2>&1)   <- allowed only because enforce=0"
sleep 1
kill -TERM $auditor
wait $auditor || ok=0
echo "   would-be denials the kernel logged (type=1420, enforcing=0):"
ipe_log 1420
ipe_log 1420 | grep -q 'enforcing=0' || ok=0
echo "   what ipe-auditd reported (start, events, final stats):"
sed 's/^/   /' /tmp/auditd.txt
grep -q 'DENY EXECUTE/BPRM_CHECK.*path=/tmp/busybox' /tmp/auditd.txt || ok=0

echo "-- ipe-auditd run with a candidate that forgot the image (demo.p7b stays active)"
ipe-auditd run --policy /payload/forgot-image.pol --format text --stats-interval 0 --ready-fd 3 \
	3>/tmp/ready2 >/tmp/auditd2.txt 2>&1 &
auditor=$!
while [ ! -s /tmp/ready2 ] && kill -0 $auditor 2>/dev/null; do sleep 0.1; done
show "/mnt/app/bin/busybox echo: $(/mnt/app/bin/busybox echo ran 2>&1)"
sleep 1
kill -TERM $auditor
wait $auditor || ok=0
grep 'DENY' /tmp/auditd2.txt | sed 's/^/   /'
grep -q 'DENY EXECUTE/BPRM_CHECK.*path=/mnt/app/bin/busybox.*roothash-not-allowed' /tmp/auditd2.txt || ok=0

echo "-- enforce mode"
echo 1 >$IPE/enforce
audit_mark
show "/mnt/app/bin/busybox echo: $(/mnt/app/bin/busybox echo ran 2>&1)"
out=$(/tmp/busybox echo ran 2>&1) && ok=0
show "/tmp/busybox echo:         ${out##*: }"
echo "   the kernel's record of the refusal:"
ipe_log 1420
ipe_log 1420 | grep -q 'enforcing=1' || ok=0
[ $ok = 1 ] && echo "DEMO-OK" || echo "DEMO-FAILED"
GUEST

step "6. Boot the IPE kernel (QEMU ${IPE_TEST_ACCEL:-tcg}) and show the policy at work"
run_dir=$T/boot
mkdir -p "$run_dir/root"
cp -a "$d/boot" "$run_dir/root/payload"
(cd "$run_dir/root" && find payload | cpio -o -H newc --quiet -R 0:0) | gzip -1 >"$run_dir/payload.cpio.gz"
cat "$VM_BASE" "$run_dir/payload.cpio.gz" >"$run_dir/initrd"
cp "$VM_VARS" "$run_dir/vars.fd"
: >"$run_dir/results"
"$VM_DIR/boot.sh" "$VM_KERNEL" "$run_dir/initrd" "$run_dir/vars.fd" "$run_dir/console.log" \
	"$run_dir/results" "$d/app.img" "$d/app.verity" &
qemu=$!
tail -n +1 -f --pid=$qemu "$run_dir/results" 2>/dev/null |
	sed -u -e 's/\x1b\[[0-9;=?]*[A-Za-z]//g' -e 's/\r//g' | grep -av -e '^VM-DONE' -e '^DEMO-' -e '^$'
wait $qemu

mkdir -p "$O/tests/logs"
cp "$run_dir/console.log" "$O/tests/logs/demo.console.log"
step "Summary ($(($(date +%s) - start)) s)"
if sed 's/\r//g' "$run_dir/results" | grep -aq '^DEMO-OK'; then
	cat <<EOF
- ipe-policygen formatted a squashfs image for dm-verity and signed its root hash;
  the kernel verified that signature against the UEFI db certificate when opening it.
- ipe-policygen generated, checked and signed a policy allowing exactly that image
  (plus the initramfs); the kernel accepted its signature.
- Audit mode: a binary outside the image still ran, and the kernel logged the
  would-be denial (type=1420 ... enforcing=0); ipe-auditd, judging the same
  policy from BPF LSM programs, reported the same denials with the rule; judging a
  candidate that forgot the image, it named the image's volume and the line to add.
- Enforce mode: the same binary was refused (Permission denied), the image's own
  binary ran.
Console log: $O/tests/logs/demo.console.log
EOF
	exit 0
fi
echo "demo: something did not behave as described; console log: $O/tests/logs/demo.console.log" >&2
exit 1
