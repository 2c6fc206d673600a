#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Read errors under every ipe-policygen verb that reads an image or a hash
# device, from device-mapper devices in the VM (the host has no device
# mapper): the `error` target after a linear part (a disk that fails half
# way), and `flakey` in its down state with error_reads (every read fails,
# writes would pass; drivers/md/dm-flakey.c of 6.12), or up and down by
# turns (each format run whole or refused, never wrong). The data device
# failing: format (--verify=sampled, full, none; onto previous good outputs
# and onto a new name), verify and manifest --verify; the hash device
# failing after its superblock: verify and manifest; the whole hash device
# failing: dump and verify. Each run must exit 2 within 60 s with exactly one
# line on stderr naming the failing device (and not the one that reads
# well) and saying "Input/output error", leave previous outputs byte for byte
# and nothing else beside them. The same verbs on linear devices over the
# whole disks succeed (the control).
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib.sh"

vm_setup_or_skip read-error || { finish; exit; }

img=$T/img
vm_images "$img" || { fail fault-format "formatting the test images failed"; finish; exit; }
p=$T/payload
vm_payload_start "$p"
cat >>"$p/run.sh" <<GUEST
SQ=$SQ_RH
GUEST
cat >>"$p/run.sh" <<'GUEST'
# table NAME: a read-only device-mapper device from the table on stdin.
table() { dmsetup create --readonly "$1" || fail "dm-$1" "dmsetup create $1 failed"; }
sectors() { cat "/sys/block/$1/size"; }
D=$(sectors vda) H=$(sectors vdb)
half=$((D / 16 * 8))
echo "0 $D linear /dev/vda 0" | table data-ok
echo "0 $H linear /dev/vdb 0" | table hash-ok
printf '0 %s linear /dev/vda 0\n%s %s error\n' $half $half $((D - half)) | table data-err
echo "0 $D flakey /dev/vda 0 0 1 1 error_reads" | table data-flakey
# up one second, down the next: a run may read whole or meet the error
echo "0 $D flakey /dev/vda 0 1 1 1 error_reads" | table data-blink
# the superblock (4096 bytes) reads, the tree does not
printf '0 8 linear /dev/vdb 0\n8 %s error\n' $((H - 8)) | table hash-err
echo "0 $H error" | table hash-dead
echo "0 $H flakey /dev/vdb 0 0 1 1 error_reads" | table hash-flakey
dmsetup mknodes # no udev here to make /dev/mapper/NAME
dmsetup table >&2

M=/dev/mapper
mkdir -p /tmp/out
# The control: the same verbs through linear devices succeed; these are the previous good outputs.
expect control-format "$SQ" "$(ipe-policygen format --seed ipe-tools-vm-squashfs --root-hash-file /tmp/out/rh \
	--manifest /tmp/out/m.json $M/data-ok /tmp/out/good.verity 2>/tmp/err)"
expect control-verify 0 "$(ipe-policygen verify $M/data-ok $M/hash-ok $SQ 2>/tmp/err; echo $?)"
expect control-manifest 0 "$(ipe-policygen manifest --verify $M/data-ok $M/hash-ok -o /tmp/out/m2.json 2>/tmp/err; echo $?)"
expect control-dump 0 "$(ipe-policygen dump $M/hash-ok >/dev/null 2>/tmp/err; echo $?)"
mkdir -p /tmp/before
cp -a /tmp/out/. /tmp/before/
ls /tmp/out >/tmp/listing

# io_error NAME DEVICE VERB ARGS...: exit 2, one line naming DEVICE with
# "Input/output error", the outputs as they were and nothing beside them.
io_error() {
	local name=$1 dev=$2 rc lines
	shift 2
	timeout 60 ipe-policygen "$@" >/tmp/stdout 2>/tmp/err
	rc=$?
	lines=$(wc -l </tmp/err)
	sed "s/^/$name: /" /tmp/err >&2
	if [ $rc != 2 ]; then
		fail "$name" "exit $rc, expected 2 ($(head -c 300 /tmp/err))"
	elif [ "$lines" != 1 ]; then
		fail "$name" "$lines lines on stderr, expected 1"
	elif ! grep -q "$dev.*Input/output error" /tmp/err; then
		fail "$name" "the line does not name $dev with 'Input/output error': $(cat /tmp/err)"
	elif grep -q -- "-ok" /tmp/err; then
		fail "$name" "the line names a device that reads well: $(cat /tmp/err)"
	elif ! diff -r /tmp/before /tmp/out >/dev/null || ! ls /tmp/out | cmp -s - /tmp/listing; then
		fail "$name" "the outputs changed: $(ls -l /tmp/out | tr '\n' ';')"
	else
		pass "$name"
	fi
}

for mode in sampled full none; do
	io_error format-data-err-$mode $M/data-err format --verify=$mode --seed s \
		--root-hash-file /tmp/out/rh --manifest /tmp/out/m.json $M/data-err /tmp/out/good.verity
	io_error format-data-flakey-$mode $M/data-flakey format --verify=$mode --seed s \
		$M/data-flakey /tmp/out/good.verity
done
io_error format-data-err-new-file $M/data-err format --seed s $M/data-err /tmp/out/new.verity
io_error verify-data-err $M/data-err verify $M/data-err $M/hash-ok $SQ
io_error verify-data-flakey $M/data-flakey verify $M/data-flakey $M/hash-ok $SQ
io_error manifest-verify-data-err $M/data-err manifest --verify $M/data-err $M/hash-ok -o /tmp/out/m2.json
io_error verify-hash-err $M/hash-err verify $M/data-ok $M/hash-err $SQ
io_error manifest-hash-err $M/hash-err manifest $M/data-ok $M/hash-err -o /tmp/out/m2.json
io_error dump-hash-dead $M/hash-dead dump $M/hash-dead
io_error dump-hash-flakey $M/hash-flakey dump --json $M/hash-flakey
io_error verify-hash-dead $M/hash-dead verify $M/data-ok $M/hash-dead $SQ
io_error manifest-hash-flakey $M/hash-flakey manifest $M/data-ok $M/hash-flakey -o /tmp/out/m2.json

# A device that fails now and then: each run is either whole (the root hash of
# the image) or refused as above, never a tree of what a failed read left.
ok=0 refused=0 other=
for i in 1 2 3 4 5 6; do
	out=$(timeout 60 ipe-policygen format --seed ipe-tools-vm-squashfs $M/data-blink /tmp/blink.verity 2>/tmp/err)
	rc=$?
	if [ $rc = 0 ] && [ "$out" = "$SQ" ]; then
		ok=$((ok + 1))
	elif [ $rc = 2 ] && [ "$(wc -l </tmp/err)" = 1 ] && grep -q "data-blink.*Input/output error" /tmp/err &&
		[ ! -e /tmp/blink.verity ]; then
		refused=$((refused + 1))
	else
		other="$other run $i: exit $rc, '$out', $(head -c 200 /tmp/err);"
	fi
	rm -f /tmp/blink.verity
	sleep 0.4
done
say "format on a blinking device: $ok whole, $refused refused"
expect format-data-blink-whole-or-refused "" "$other"
finish
GUEST

vm_boot fault "$p" "$img/sq.img" "$img/sq.verity"
finish
