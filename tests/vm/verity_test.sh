#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# dm-verity in a real kernel: squashfs and erofs images formatted by
# ipe-policygen open with veritysetup (plainly and with a root-hash signature
# from ipe-policygen sign-roothash) and mount; reads through a wrong root
# hash fail, and a signature over another root hash is refused. A one-block
# image with 8192-byte hash blocks opens from our file, while veritysetup's
# own file for it is refused by dm-verity as too small.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib.sh"

vm_setup_or_skip verity || { finish; exit; }

img=$T/img
vm_images "$img" || { fail verity-format "formatting the test images failed"; finish; exit; }
p=$T/payload
vm_payload_start "$p"
vm_sign_roothash "$SQ_RH" "$p/sq.p7s" || fail sign-roothash-squashfs
vm_sign_roothash "$ERO_RH" "$p/ero.p7s" || fail sign-roothash-erofs
# A good signature, but over the other image's root hash.
cp "$p/ero.p7s" "$p/wrong.p7s"
sha256sum "$img/tree/bin/busybox" | cut -d' ' -f1 >"$p/busybox.sha256"
# One data block with 8192-byte hash blocks: the one layout where our file is not
# veritysetup's (its file ends after 4096 bytes, ours holds the whole hash block).
head -c 4096 "$img/sq.img" >"$p/one.img"
ONE_RH=$(ipe-policygen format --hash-block-size 8192 --seed one "$p/one.img" "$p/one.ours") ||
	fail one-block-format
salt=$(ipe-policygen dump --json "$p/one.ours" | python3 -c 'import json,sys; print(json.load(sys.stdin)["salt"])')
uuid=$(ipe-policygen dump --json "$p/one.ours" | python3 -c 'import json,sys; print(json.load(sys.stdin)["uuid"])')
veritysetup format --hash-block-size 8192 --salt "$salt" --uuid "$uuid" "$p/one.img" "$p/one.theirs" >/dev/null ||
	fail one-block-format "veritysetup format failed"

cat >>"$p/run.sh" <<GUEST
SQ=$SQ_RH
ERO=$ERO_RH
ONE=$ONE_RH
GUEST
cat >>"$p/run.sh" <<'GUEST'
check_platform_key

# check_volume TEST NAME FSTYPE: the mounted volume serves the image's files.
check_volume() {
	mkdir -p /mnt/$2
	if ! mount -t $3 -o ro /dev/mapper/$2 /mnt/$2; then
		fail $1 "mount -t $3 /dev/mapper/$2 failed"
		return
	fi
	expect $1 "$(cat /payload/busybox.sha256)" "$(sha256sum /mnt/$2/bin/busybox | cut -d' ' -f1)"
	umount /mnt/$2
}

expect open-squashfs-plain 0 "$(verity_open sq /dev/vda /dev/vdb $SQ)"
check_volume mount-squashfs-plain sq squashfs
veritysetup close sq
expect open-squashfs-signed 0 "$(verity_open sq /dev/vda /dev/vdb $SQ /payload/sq.p7s)"
check_volume mount-squashfs-signed sq squashfs
veritysetup close sq

expect open-erofs-plain 0 "$(verity_open ero /dev/vdc /dev/vdd $ERO)"
check_volume mount-erofs-plain ero erofs
veritysetup close ero
expect open-erofs-signed 0 "$(verity_open ero /dev/vdc /dev/vdd $ERO /payload/ero.p7s)"
check_volume mount-erofs-signed ero erofs
veritysetup close ero

# The kernel takes any root hash at activation and checks it on every read.
if [ "$(verity_open bad /dev/vda /dev/vdb $ERO)" != 0 ]; then
	pass read-wrong-roothash-refused
elif dd if=/dev/mapper/bad of=/dev/null bs=4096 count=1 2>/dev/null; then
	fail read-wrong-roothash-refused "reading through a wrong root hash succeeded"
	veritysetup close bad
else
	pass read-wrong-roothash-refused
	veritysetup close bad
fi
case $(verity_open bad /dev/vda /dev/vdb $SQ /payload/wrong.p7s) in
refused*) pass open-wrong-signature-refused ;;
*) fail open-wrong-signature-refused "a signature over another root hash was accepted"; veritysetup close bad ;;
esac

# One data block, 8192-byte hash blocks: our tree file opens and reads; veritysetup's
# own, 4096 bytes long, is too small for dm-verity. (veritysetup attaches loop devices.)
expect open-one-block-ours 0 "$(verity_open one /payload/one.img /payload/one.ours $ONE)"
if dd if=/dev/mapper/one of=/dev/null bs=4096 count=1 2>/dev/null; then
	pass read-one-block-ours
else
	fail read-one-block-ours "reading the single block failed"
fi
veritysetup close one
case $(verity_open one2 /payload/one.img /payload/one.theirs $ONE) in
refused*)
	# Refused by the kernel, for the reason given: dm-verity's table check.
	if dmesg | grep -q "verity: Hash device is too small"; then
		pass open-one-block-veritysetup-file-refused
	else
		fail open-one-block-veritysetup-file-refused "refused, but dmesg has no 'Hash device is too small'"
	fi
	;;
*) fail open-one-block-veritysetup-file-refused "a 4096-byte hash file with 8192-byte hash blocks opened"; veritysetup close one2 ;;
esac
finish
GUEST

vm_boot verity "$p" "$img/sq.img" "$img/sq.verity" "$img/ero.img" "$img/ero.verity"
finish
