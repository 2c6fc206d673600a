#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# ipe-policygen sign-roothash and sign, checked with openssl as an independent verifier.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$T" || exit 2

mkcert() { # mkcert NAME: NAME.key (0600) + NAME.crt, RSA-2048 code signing
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.crt" -days 30 \
		-subj "/CN=$1" -addext keyUsage=critical,digitalSignature \
		-addext extendedKeyUsage=codeSigning 2>/dev/null && chmod 600 "$1.key"
}
mkcert signer || { fail setup "openssl req failed"; finish; exit; }
mkcert other

# A real root hash from veritysetup, the text the kernel will be given.
if command -v veritysetup >/dev/null; then
	truncate -s 1M data.img
	RH=$(veritysetup format data.img hash.img | awk '/^Root hash:/ { print $3 }')
else
	RH=$(head -c 32 /dev/urandom | sha256sum | cut -c1-64)
fi
printf %s "$RH" >rh.txt

pg() { ipe-policygen "$@"; }
# osmime_verify SIG CONTENT: openssl's verdict on a detached DER signature
osmime_verify() {
	openssl smime -verify -binary -inform der -in "$1" -content "$2" -noverify \
		-certfile signer.crt -out /dev/null 2>/dev/null
}

# ---- sign-roothash ----
if pg sign-roothash --key signer.key --cert signer.crt -o rh.p7s "$RH" 2>err; then
	pass roothash_signs
else
	fail roothash_signs "$(cat err)"
fi
check roothash_openssl_verifies osmime_verify rh.p7s rh.txt
printf '%s\n' "$RH" >rh_nl.txt
tr a-f A-F <rh.txt >rh_upper.txt
if ! osmime_verify rh.p7s rh_nl.txt && ! osmime_verify rh.p7s rh_upper.txt; then
	pass roothash_signed_text_is_exact
else
	fail roothash_signed_text_is_exact "a newline or upper-case variant also verified"
fi

if openssl cms -cmsout -print -inform der -in rh.p7s >print.txt 2>&1 &&
	grep -q 'signedAttrs:' print.txt && grep -A1 'signedAttrs:' print.txt | grep -q '<ABSENT>' &&
	grep -A1 'eContent:' print.txt | grep -q '<ABSENT>' &&
	grep -q 'eContentType: pkcs7-data' print.txt; then
	pass roothash_detached_no_signed_attributes
else
	fail roothash_detached_no_signed_attributes "openssl cms -print: $(grep -A1 signedAttrs print.txt)"
fi

pg sign-roothash --key signer.key --cert signer.crt -o rh2.p7s "$RH" 2>/dev/null
check roothash_reproducible cmp -s rh.p7s rh2.p7s

# Same bytes as openssl's own detached signature with the same flags.
openssl smime -sign -binary -noattr -in rh.txt -signer signer.crt -inkey signer.key \
	-outform der -out openssl.p7s 2>/dev/null
check roothash_same_bytes_as_openssl_smime cmp -s rh.p7s openssl.p7s
pg sign-roothash --key signer.key --cert signer.crt --nocerts -o nocerts.p7s "$RH" 2>/dev/null
openssl smime -sign -binary -noattr -nocerts -in rh.txt -signer signer.crt -inkey signer.key \
	-outform der -out openssl_nocerts.p7s 2>/dev/null
if cmp -s nocerts.p7s openssl_nocerts.p7s && osmime_verify nocerts.p7s rh.txt &&
	! openssl cms -cmsout -print -inform der -in nocerts.p7s | grep -q 'cert_info'; then
	pass roothash_nocerts
else
	fail roothash_nocerts "differs from openssl -nocerts or does not verify"
fi

# A root-hash file in upper case with a newline signs the same lowercase text.
printf '%s\n' "$RH" | tr a-f A-F >upper_nl.txt
pg sign-roothash --key signer.key --cert signer.crt -o file.p7s --root-hash-file upper_nl.txt 2>/dev/null
check roothash_file_normalised cmp -s rh.p7s file.p7s

cp rh.p7s flipped.p7s
size=$(stat -c %s flipped.p7s)
printf '\x00' | dd of=flipped.p7s bs=1 seek=$((size - 1)) conv=notrunc status=none
if ! cmp -s rh.p7s flipped.p7s && ! osmime_verify flipped.p7s rh.txt; then
	pass roothash_flipped_byte_rejected_by_openssl
else
	fail roothash_flipped_byte_rejected_by_openssl "a corrupted signature still verified"
fi

pg sign-roothash --key signer.key --cert signer.crt -o x.p7s "${RH}0g" 2>err
rc=$?
if [ $rc = 2 ] && grep -q 'not a hex root hash' err && [ ! -e x.p7s ]; then
	pass roothash_rejects_non_hex
else
	fail roothash_rejects_non_hex "exit $rc: $(cat err)"
fi
check_exit roothash_rejects_wrong_length_for_hash 2 \
	pg sign-roothash --key signer.key --cert signer.crt --hash sha512 -o x.p7s "$RH" 2>/dev/null
check_exit roothash_rejects_unknown_hash 2 \
	pg sign-roothash --key signer.key --cert signer.crt --hash md5 -o x.p7s "${RH:0:32}" 2>/dev/null
pg sign-roothash --key signer.key --cert signer.crt -o x.p7s "$RH" 2>err
if grep -q 'taken as a sha256 root hash' err; then
	pass roothash_says_assumed_algorithm
else
	fail roothash_says_assumed_algorithm "$(cat err)"
fi
pg sign-roothash --key signer.key --cert signer.crt --hash sha256 -o x.p7s "$RH" 2>err
check roothash_hash_option_silences_guess test ! -s err

# Keys that must not be used.
cp signer.key loose.key
chmod 640 loose.key
rm -f x.p7s
pg sign-roothash --key loose.key --cert signer.crt --hash sha256 -o x.p7s "$RH" 2>err
rc=$?
if [ $rc = 2 ] && grep -q 'loose.key: private key is readable' err && [ ! -e x.p7s ] &&
	[ "$(wc -l <err)" = 1 ]; then
	pass roothash_group_readable_key_refused
else
	fail roothash_group_readable_key_refused "exit $rc: $(cat err)"
fi
pg sign-roothash --key other.key --cert signer.crt -o x.p7s "$RH" 2>err
rc=$?
if [ $rc = 2 ] && grep -q 'does not match the certificate' err && [ ! -e x.p7s ]; then
	pass roothash_mismatched_key_refused
else
	fail roothash_mismatched_key_refused "exit $rc: $(cat err)"
fi
printf 'junk\n' >junk.crt
check_exit roothash_bad_cert 2 pg sign-roothash --key signer.key --cert junk.crt -o x.p7s "$RH" 2>/dev/null
check_exit roothash_usage_two_sources 2 \
	pg sign-roothash --key signer.key --cert signer.crt --root-hash-file rh.txt -o x.p7s "$RH" 2>/dev/null

# An existing output survives a failed run (atomic replacement).
cp rh.p7s keep.p7s
pg sign-roothash --key other.key --cert signer.crt -o keep.p7s "$RH" 2>/dev/null
check roothash_failure_keeps_old_output cmp -s keep.p7s rh.p7s

# base64 for veritytab root-hash-signature=base64:…
pg sign-roothash --key signer.key --cert signer.crt --format base64 -o rh.b64 "$RH" 2>/dev/null
if [ "$(wc -l <rh.b64)" = 1 ] && base64 -d rh.b64 >rh_b64.der && cmp -s rh_b64.der rh.p7s; then
	pass roothash_base64
else
	fail roothash_base64 "not one line of base64 of the DER signature"
fi

# systemd verity-sig partition payload.
pg sign-roothash --key signer.key --cert signer.crt --format verity-sig -o rh.vsig "$RH" 2>/dev/null
fpr=$(openssl x509 -in signer.crt -outform der | sha256sum | cut -c1-64)
if python3 - "$RH" "$fpr" rh.vsig rh.p7s <<'EOF'; then
import base64, json, sys
rh, fpr, path, der = sys.argv[1:]
raw = open(path, "rb").read()
assert len(raw) % 4096 == 0, len(raw)
text = raw.rstrip(b"\0")
assert set(raw[len(text):]) <= {0}
assert b"\n" not in text and b" " not in text, "not compact"
obj = json.loads(text)
assert list(obj) == ["rootHash", "certificateFingerprint", "signature"], list(obj)
assert obj["rootHash"] == rh
assert obj["certificateFingerprint"] == fpr
assert base64.b64decode(obj["signature"]) == open(der, "rb").read()
EOF
	pass roothash_verity_sig_json
else
	fail roothash_verity_sig_json "payload does not match"
fi

# --manifest: algorithm and root hash from the manifest, signature recorded in it.
if [ -f hash.img ] && pg manifest data.img hash.img -o m.json >/dev/null 2>&1; then
	cp m.json m.orig.json
	if pg sign-roothash --key signer.key --cert signer.crt --manifest m.json -o m.p7s 2>err &&
		cmp -s m.p7s rh.p7s && ! cmp -s m.json m.orig.json && grep -q 'm.p7s' m.json; then
		pass roothash_from_manifest
	else
		fail roothash_from_manifest "$(cat err)"
	fi
	check_exit roothash_manifest_hash_conflict 2 pg sign-roothash --key signer.key \
		--cert signer.crt --manifest m.json --hash sha512 -o m2.p7s 2>/dev/null
else
	skip roothash_from_manifest "ipe-policygen manifest not available"
fi

# ---- sign (attached policies) ----
cat >test.pol <<EOF
policy_name=signtest policy_version=0.0.1
DEFAULT action=ALLOW
DEFAULT op=EXECUTE action=DENY
op=EXECUTE dmverity_roothash=sha256:$RH action=ALLOW
EOF
if pg sign --key signer.key --cert signer.crt test.pol 2>err && [ -f signtest.p7b ]; then
	pass sign_default_output_named_after_policy
else
	fail sign_default_output_named_after_policy "$(ls; cat err)"
fi
if openssl smime -verify -binary -inform der -in signtest.p7b -noverify -certfile signer.crt \
	-out content.txt 2>/dev/null && cmp -s content.txt test.pol; then
	pass sign_openssl_verifies_content_exact
else
	fail sign_openssl_verifies_content_exact "openssl smime -verify failed or content differs"
fi
openssl smime -sign -binary -noattr -nosmimecap -nodetach -in test.pol -signer signer.crt \
	-inkey signer.key -outform der -out openssl.p7b 2>/dev/null
check sign_same_bytes_as_openssl_smime cmp -s signtest.p7b openssl.p7b
if openssl cms -cmsout -print -inform der -in signtest.p7b >print.txt 2>&1 &&
	grep -A1 'signedAttrs:' print.txt | grep -q '<ABSENT>' && ! grep -q 'eContent: <ABSENT>' print.txt; then
	pass sign_attached_no_signed_attributes
else
	fail sign_attached_no_signed_attributes "$(grep -A1 -e signedAttrs -e eContent: print.txt)"
fi
pg sign --key signer.key --cert signer.crt -o again.p7b test.pol 2>/dev/null
check sign_reproducible cmp -s signtest.p7b again.p7b

# CR bytes are signed as they are (no MIME canonicalisation).
printf 'policy_name=crlf policy_version=0.0.1\r\nDEFAULT action=ALLOW\r\n' >crlf.pol
pg sign --key signer.key --cert signer.crt -o crlf.p7b crlf.pol 2>/dev/null
if openssl smime -verify -binary -inform der -in crlf.p7b -noverify -certfile signer.crt \
	-out crlf.out 2>/dev/null && cmp -s crlf.out crlf.pol; then
	pass sign_binary_content
else
	fail sign_binary_content "content changed"
fi

printf 'policy_name=bad policy_version=0.0\nDEFAULT action=ALLOW\nop=EXECUTE action=PERMIT\n' >bad.pol
pg sign --key signer.key --cert signer.crt -o bad.p7b bad.pol 2>err
rc=$?
if [ $rc = 1 ] && [ ! -e bad.p7b ] && grep -q 'bad.pol:1:' err && grep -q 'not signing' err; then
	pass sign_refuses_policy_failing_check
else
	fail sign_refuses_policy_failing_check "exit $rc: $(cat err)"
fi
check_exit sign_refuses_signed_input 1 pg sign --key signer.key --cert signer.crt -o y.p7b signtest.p7b 2>/dev/null
check_exit sign_group_readable_key 2 pg sign --key loose.key --cert signer.crt -o y.p7b test.pol 2>/dev/null
check_exit sign_mismatched_key 2 pg sign --key other.key --cert signer.crt -o y.p7b test.pol 2>/dev/null
check_exit sign_missing_policy 2 pg sign --key signer.key --cert signer.crt -o y.p7b nonexistent.pol 2>/dev/null
[ ! -e y.p7b ] && pass sign_failures_write_nothing || fail sign_failures_write_nothing "y.p7b exists"

finish
