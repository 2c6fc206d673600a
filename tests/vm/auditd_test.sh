#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# ipe-auditd against the real IPE of the test kernel (QEMU).
#
# Volumes: auditd/volumes.c's DM ioctl scan agrees with `dmsetup table`
# (name, MAJ:MIN, alg:root hash, signature) for an unsigned and a signed
# dm-verity volume, and its uevent watcher reports both appearing and one
# going away.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib.sh"

vm_setup_or_skip auditd || { finish; exit; }

p=$T/payload
vm_payload_start "$p"
# The guest's view through auditd/volumes.c (static: libc only).
cc -std=gnu11 -O2 -Wall -Wextra -Werror -static -I"$TOP" -o "$p/volumes-scan" \
	"$VM_DIR/host/volumes-scan.c" "$TOP/auditd/volumes.c" >&2 ||
	{ fail volumes-scan-build "building tests/vm/host/volumes-scan.c failed"; finish; exit; }

img=$T/img
vm_images "$img" || { fail auditd-format "formatting the test images failed"; finish; exit; }
vm_sign_roothash "$ERO_RH" "$p/ero.p7s" || fail sign-roothash

cat >>"$p/run.sh" <<GUEST
SQ=$SQ_RH
ERO=$ERO_RH
GUEST
cat >>"$p/run.sh" <<'GUEST'
PATH=/payload:$PATH

# ---- Volumes: the DM ioctl scan against dmsetup, the uevent watcher ----
volumes-scan --watch 6 >/tmp/watch 2>&1 &
watcher=$!
while ! grep -q watching /tmp/watch; do sleep 0.1; done
mount_volume sq /dev/vda /dev/vdb $SQ squashfs || exit 1
mount_volume ero /dev/vdc /dev/vdd $ERO erofs /payload/ero.p7s || exit 1
dmsetup table >&2
# dmsetup's view, in volumes-scan's format: NAME MAJ:MIN ALG:HEX signed=0|1.
dmsetup table | while read -r name start len target ver data hash dbs hbs nb hs alg digest salt rest; do
	[ "$target" = verity ] || continue
	name=${name%:}
	case " $rest " in *" root_hash_sig_key_desc "*) s=1 ;; *) s=0 ;; esac
	echo "$name $(dmsetup info -c --noheadings -o major,minor "$name" | tr -d ' ') $alg:$digest signed=$s"
done | sort >/tmp/want-volumes
volumes-scan | sort >/tmp/got-volumes
cat /tmp/got-volumes >&2
expect volumes-scan-two 2 "$(wc -l </tmp/got-volumes)"
if cmp -s /tmp/want-volumes /tmp/got-volumes; then
	pass volumes-scan-equals-dmsetup
else
	fail volumes-scan-equals-dmsetup "dmsetup: $(tr '\n' ';' </tmp/want-volumes) scan: $(tr '\n' ';' </tmp/got-volumes)"
fi
grep -q "^sq [0-9]*:[0-9]* sha256:$SQ signed=0$" /tmp/got-volumes &&
	pass volumes-unsigned || fail volumes-unsigned "no 'sq ... sha256:$SQ signed=0' line"
grep -q "^ero [0-9]*:[0-9]* sha256:$ERO signed=1$" /tmp/got-volumes &&
	pass volumes-signed || fail volumes-signed "no 'ero ... sha256:$ERO signed=1' line"
ero_dev=$(awk '$1 == "ero" { print $2 }' /tmp/got-volumes)
sq_dev=$(awk '$1 == "sq" { print $2 }' /tmp/got-volumes)
umount /mnt/ero
veritysetup close ero
wait $watcher
cat /tmp/watch >&2
grep -q "^add $sq_dev$" /tmp/watch && grep -q "^add $ero_dev$" /tmp/watch &&
	pass volumes-uevent-add || fail volumes-uevent-add "no add for $sq_dev and $ero_dev"
grep -q "^change $ero_dev$" /tmp/watch &&
	pass volumes-uevent-change || fail volumes-uevent-change "no change (resume) for $ero_dev"
grep -q "^remove $ero_dev$" /tmp/watch &&
	pass volumes-uevent-remove || fail volumes-uevent-remove "no remove for $ero_dev"
expect volumes-after-close "sq $sq_dev sha256:$SQ signed=0" "$(volumes-scan)"
finish
GUEST

vm_boot auditd "$p" "$img/sq.img" "$img/sq.verity" "$img/ero.img" "$img/ero.verity"
finish
