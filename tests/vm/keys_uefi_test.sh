#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# ipe-keys against the real kernel and firmware, on a fresh copy of OVMF's
# stock variable store and a certificate made for this run. Boot 1 (setup
# mode): `enroll-uefi` writes db through efivarfs, and refuses cleanly when
# efivarfs is not mounted. Boot 2 (the same store): the kernel loaded the
# certificate into .platform, as `list` reports (text and JSON); `enroll`
# into .secondary_trusted_keys is refused by the kernel with a message that
# says what would be needed; a policy signed with the key loads through
# new_policy, and one signed with a key not in db does not.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib.sh"

vm_setup_or_skip keys-uefi || { finish; exit; }

# Both boots get the same files and guest helpers, then their own steps.
p=$T/payload-common
vm_payload_start "$p"
# A certificate no variable store has seen, and a CA-issued one for the
# rejection message that names an issuer.
"$O/ipe-keys" generate --out-dir "$T/key" --cn "ipe-tools keys_uefi test key" >&2 &&
	"$O/ipe-keys" generate --out-dir "$T/ca" --ca --cn "ipe-tools keys_uefi test CA" >&2 &&
	"$O/ipe-keys" generate --out-dir "$T/leaf" --cn "ipe-tools keys_uefi CA-issued key" \
		--issuer-key "$T/ca/ca.key" --issuer-cert "$T/ca/ca.crt" >&2 ||
	{ fail keys-uefi-generate "ipe-keys generate failed"; finish; exit; }
cp "$T/key/signing.crt" "$T/key/signing.der" "$T/key/signing.key" "$p/"
cp "$T/leaf/signing.crt" "$p/leaf.crt"

# A policy signed with the new key (in db after boot 1), and one signed with
# the harness's key (not in this store's db).
vm_policy_signed "$T/uefi.pol" vm_keys_uefi 1.0.0 &&
	vm_policy_signed "$T/other.pol" vm_keys_other 1.0.0 || fail generate-policies
VM_KEY=$T/key/signing.key VM_CERT=$T/key/signing.crt vm_sign_policy "$T/uefi.pol" "$p/uefi.p7b" ||
	fail sign-policy-new-key
vm_sign_policy "$T/other.pol" "$p/other.p7b" || fail sign-policy-harness-key

# Guest helpers: each command's output is kept in /tmp/out for the message checks.
cat >>"$p/run.sh" <<'GUEST'
CERT=/payload/signing.crt KEY=/payload/signing.key
EFIVARS=/sys/firmware/efi/efivars
DB=$EFIVARS/db-d719b2cb-3d3a-4596-a3bc-dad00e67656f
SETUP_MODE=$EFIVARS/SetupMode-8be4df61-93ca-11d2-aa0d-00e098032b8c

# expect_rc NAME WANT CMD...: pass when CMD exits with WANT ("nonzero": any failure).
expect_rc() {
	local name=$1 want=$2 rc
	shift 2
	"$@" >/tmp/out 2>&1
	rc=$?
	cat /tmp/out >&2
	case $want:$rc in
	nonzero:0) fail "$name" "exit 0, expected a failure: $(tail -n 1 /tmp/out)" ;;
	nonzero:* | "$rc:$rc") pass "$name" ;;
	*) fail "$name" "exit $rc, expected $want: $(tail -n 1 /tmp/out)" ;;
	esac
}

# expect_said NAME TEXT: pass when the last command's output contains TEXT.
expect_said() {
	if grep -qF "$2" /tmp/out; then pass "$1"; else fail "$1" "no '$2' in: $(tail -n 1 /tmp/out)"; fi
}

db_size() { stat -c %s "$DB" 2>/dev/null || echo none; }
[ -d $EFIVARS ] || { fail keys-uefi-efivarfs "no /sys/firmware/efi (not booted through UEFI?)"; exit 1; }
GUEST
p1=$T/payload-setup p2=$T/payload-trust
cp -a "$p" "$p1"
cp -a "$p" "$p2"

# Boot 1: the stock store is in setup mode, with no db at all.
cat >>"$p1/run.sh" <<'GUEST'
# SetupMode: attributes (4), then the UINT8 value.
expect firmware-in-setup-mode 1 "$(tail -c 1 $SETUP_MODE | od -An -tu1 | tr -d ' ')"
expect stock-store-has-no-db none "$(db_size)"
expect_rc cert-not-on-platform-before 1 ipe-keys list --keyring .platform --cert $CERT

umount $EFIVARS
expect_rc enroll-uefi-without-efivarfs 2 ipe-keys enroll-uefi $CERT --key $KEY
expect_said enroll-uefi-without-efivarfs-says-why "efivarfs is not mounted"
mount -t efivarfs efivarfs $EFIVARS

expect_rc enroll-uefi 0 ipe-keys enroll-uefi $CERT --key $KEY
expect_said enroll-uefi-created-db "created"
# db as the firmware keeps it: attributes (4), EFI_SIGNATURE_LIST header
# (28), owner GUID (16), then the certificate's DER.
expect db-holds-cert 0 "$(tail -c +49 $DB | cmp -s - /payload/signing.der; echo $?)"
size=$(db_size)
# An existing db is appended to (its immutable flag lifted for the write);
# the firmware drops the duplicate.
expect_rc enroll-uefi-again 0 ipe-keys enroll-uefi $CERT --key $KEY
expect_said enroll-uefi-again-appends "appended"
expect db-unchanged-by-duplicate "$size" "$(db_size)"
finish
GUEST

# Boot 2: the kernel read db at boot.
cat >>"$p2/run.sh" <<'GUEST'
expect_rc cert-on-platform 0 ipe-keys list --keyring .platform --cert $CERT
expect_rc list-json 0 ipe-keys list --json
# The JSON goes back to the host on the result port, one tagged line each.
sed 's/^/KEYS-JSON /' /tmp/out

expect_rc enroll-platform-cert-refused nonzero ipe-keys enroll $CERT
expect_said enroll-platform-cert-names-keyring "rejected by .secondary_trusted_keys"
# It is in .platform already: the message says so instead of sending the user to UEFI db.
expect_said enroll-platform-cert-says-why "already in .platform"
expect_rc enroll-ca-issued-refused nonzero ipe-keys enroll /payload/leaf.crt
expect_said enroll-ca-issued-names-issuer "ipe-tools keys_uefi test CA"
expect_rc cert-not-in-secondary 1 ipe-keys list --keyring .secondary_trusted_keys --cert $CERT

expect load-policy-signed-by-db-key 0 "$(load_policy /payload/uefi.p7b)"
expect policy-version-readback 1.0.0 "$(cat $IPE/policies/vm_keys_uefi/version)"
expect load-policy-key-not-in-db-refused ENOKEY "$(load_policy /payload/other.p7b)"
finish
GUEST

# Both boots on one fresh copy of the stock store, not the harness's cached one.
cp "$OVMF_VARS" "$T/stock-vars.fd"
VM_VARS=$T/stock-vars.fd
vm_boot keys-uefi-setup "$p1" || { finish; exit; }
# vm_boot keeps each boot's files in $T/vm-NAME: the store as the guest left it.
VM_VARS=$T/vm-keys-uefi-setup/vars.fd
vm_boot keys-uefi-trust "$p2" || { finish; exit; }

# The JSON, judged on the host: the kernel's description of the certificate
# is "<CN>: <subject key id>".
sed -e 's/\x1b\[[0-9;=?]*[A-Za-z]//g' -e 's/\r//g' "$T/vm-keys-uefi-trust/results" |
	sed -n 's/^KEYS-JSON //p' >"$T/list.json"
skid=$(openssl x509 -in "$T/key/signing.crt" -noout -ext subjectKeyIdentifier | sed -n 2p | tr -d ' :' | tr A-F a-f)
desc="ipe-tools keys_uefi test key: $skid"
python3 - "$T/list.json" "$desc" >"$T/json-results" <<'PY' ||
import json, sys

try:
    rings = {r["name"]: r for r in json.load(open(sys.argv[1]))["keyrings"]}
    print("PASS list-json-parses")
except (ValueError, KeyError, TypeError) as e:
    print(f"FAIL list-json-parses: {e}")
    sys.exit(0)
builtin = rings.get(".builtin_trusted_keys", {})
if builtin.get("status") == "ok" and builtin.get("keys"):
    print("PASS list-json-builtin-has-keys")
else:
    print(f"FAIL list-json-builtin-has-keys: {builtin}")
platform = rings.get(".platform", {}).get("keys", [])
if any(k["type"] == "asymmetric" and k["description"] == sys.argv[2] for k in platform):
    print("PASS list-json-platform-has-cert")
else:
    print(f"FAIL list-json-platform-has-cert: no '{sys.argv[2]}' in {platform}")
PY
	echo "FAIL list-json-check: python3 failed (see the log)" >>"$T/json-results"
cat "$T/json-results"
n_failed=$((n_failed + $(grep -c '^FAIL ' "$T/json-results")))
finish
