#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Root in a hostile directory (docs/security.md, "Files and keys"): with a real
# unprivileged user that can write only to a sticky world-writable directory,
# no planted link makes any writing verb write through it (fs.protected_symlinks
# 0 and 1), no key or key directory of that user is trusted, a FIFO key fails
# at once, a private key given as a policy is never quoted, one device under two
# names is one device, outputs honour the umask and take 255-byte names.
source "$(dirname "$0")/lib.sh"

if [ "$(id -u)" != 0 ]; then
	skip hostile "needs root (a test user, lchown, the sysctl, loop devices)"
	exit 0
fi
cd "$T" || exit 2

U=ipe-hostile-$$
if ! useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin --user-group "$U" 2>err; then
	skip hostile "cannot create a test user: $(cat err)"
	exit 0
fi
SYSCTL=/proc/sys/fs/protected_symlinks
saved_sysctl=$(cat $SYSCTL)
LOOPS=()
cleanup() {
	echo "$saved_sysctl" >$SYSCTL 2>/dev/null
	for l in "${LOOPS[@]}"; do losetup -d "$l" 2>/dev/null; done
	umount "$T/full" 2>/dev/null
	userdel "$U" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

as_user() { setpriv --reuid="$U" --regid="$U" --clear-groups "$@"; }
pg() { ipe-policygen "$@"; }

chmod 755 "$T"
mkdir -m 1777 "$T/tmp"      # the shared /tmp
mkdir -m 700 "$T/secret"    # root's own files, which the links point to
printf 'root secret\n' >"$T/secret/victim"
chmod 600 "$T/secret/victim"
VICTIM_SUM=$(sha256sum <"$T/secret/victim")

ipe-keys generate --out-dir "$T/k" --cn "hostile test" >/dev/null || { fail setup "ipe-keys generate"; finish; exit; }
K=$T/k/signing.key
C=$T/k/signing.crt
truncate -s 1M data.img
RH=$(pg format --seed s --manifest m.json data.img hash.img 2>/dev/null)
[ ${#RH} = 64 ] || { fail setup "format"; finish; exit; }
pg generate --name hostile --version 1.0.0 --roothash "sha256:$RH" -o policy.pol 2>/dev/null
cp m.json "$T/secret/m.json"
mkdir -m 700 "$T/secret/kd"

# untouched NAME: the link's target, root's file, has its bytes and mode; the link is still a link.
untouched() {
	local name=$1 ok=1
	[ "$(sha256sum <"$T/secret/victim")" = "$VICTIM_SUM" ] || ok=0
	[ "$(stat -c %a:%U "$T/secret/victim")" = 600:root ] || ok=0
	cmp -s m.json "$T/secret/m.json" || ok=0
	[ -z "$(ls -A "$T/secret/kd")" ] || ok=0
	[ -L "$T/tmp/$name" ] || ok=0
	[ "$ok" = 1 ]
}

# planted NAME CMD...: another user links $T/tmp/NAME to root's file; CMD
# (which writes to $T/tmp/NAME) must exit 2, say why, and write nothing.
planted() {
	local name=$1 target=$T/secret/victim rc
	shift
	case $name in
	*manifest_in) target=$T/secret/m.json ;;
	*keydir) target=$T/secret/kd ;;
	esac
	rm -f "$T/tmp/$name"
	as_user ln -s "$target" "$T/tmp/$name"
	"$@" >out 2>err
	rc=$?
	# An input read before the output is written (the manifest sign-roothash
	# rewrites) is opened by the kernel, which may refuse the link first.
	if [ "$rc" = 2 ] && untouched "$name" && { grep -q "symbolic link owned by another user" err ||
		{ [ "${name%manifest_in}" != "$name" ] && grep -q "$name: Permission denied" err; }; }; then
		pass "$name"
	else
		fail "$name" "exit $rc: $(head -c 300 err)"
	fi
}

for setting in 0 1; do
	if ! echo $setting >$SYSCTL 2>/dev/null || [ "$(cat $SYSCTL)" != $setting ]; then
		skip "protected_symlinks_$setting" "cannot set fs.protected_symlinks here"
		continue
	fi
	s=ps$setting
	planted ${s}_generate pg generate --name hostile --version 1.0.0 --roothash "sha256:$RH" -o "$T/tmp/${s}_generate"
	planted ${s}_sign pg sign --key "$K" --cert "$C" -o "$T/tmp/${s}_sign" policy.pol
	planted ${s}_sign_roothash pg sign-roothash --key "$K" --cert "$C" -o "$T/tmp/${s}_sign_roothash" "$RH"
	cp m.json m_$s.json
	planted ${s}_sign_roothash_sig pg sign-roothash --key "$K" --cert "$C" --manifest m_$s.json -o "$T/tmp/${s}_sign_roothash_sig"
	planted ${s}_sign_roothash_manifest_in pg sign-roothash --key "$K" --cert "$C" --manifest "$T/tmp/${s}_sign_roothash_manifest_in" -o sig_$s.p7s
	planted ${s}_format_hash pg format --seed s data.img "$T/tmp/${s}_format_hash"
	planted ${s}_format_hash_offset pg format --seed s --hash-offset 4096 data.img "$T/tmp/${s}_format_hash_offset"
	planted ${s}_format_root_hash_file pg format --seed s --root-hash-file "$T/tmp/${s}_format_root_hash_file" data.img h_$s.img
	planted ${s}_format_manifest pg format --seed s --manifest "$T/tmp/${s}_format_manifest" data.img h_$s.img
	planted ${s}_manifest pg manifest data.img hash.img -o "$T/tmp/${s}_manifest"
	planted ${s}_keys_generate_keydir ipe-keys generate --out-dir "$T/tmp/${s}_keys_generate_keydir"
	planted ${s}_keys_uefi_db ipe-keys uefi-db "$C" --esl -o "$T/tmp/${s}_keys_uefi_db"
done
echo "$saved_sysctl" >$SYSCTL 2>/dev/null

# sign-roothash --manifest through a planted link wrote no signature file either.
left=(sig_ps*.p7s)
if [ -e "${left[0]}" ]; then fail manifest_in_left_no_signature "${left[*]}"; else pass manifest_in_left_no_signature; fi

# The rule, not a blanket refusal: root's own link in the same directory is followed.
ln -s "$T/secret/victim2" "$T/tmp/roots_link"
pg generate --name hostile --version 1.0.0 --roothash "sha256:$RH" -o "$T/tmp/roots_link" 2>err
if [ -L "$T/tmp/roots_link" ] && grep -q "^policy_name=hostile" "$T/secret/victim2"; then
	pass own_link_followed
else
	fail own_link_followed "$(cat err)"
fi

# --- keys from a stranger ---------------------------------------------------
mkdir -m 700 fk
cp "$K" fk/signing.key
chown "$U" fk/signing.key
pg sign --key fk/signing.key --cert "$C" -o fk.p7b policy.pol 2>err
rc=$?
[ $rc = 2 ] && grep -q "fk/signing.key: owned by another user" err && [ ! -e fk.p7b ] && pass foreign_key_refused ||
	fail foreign_key_refused "exit $rc: $(cat err)"
chown root fk/signing.key
chown "$U" fk
check_exit key_in_foreign_dir_refused 2 pg sign --key fk/signing.key --cert "$C" -o fk.p7b policy.pol
chown root fk
chmod 770 fk
check_exit key_in_group_writable_dir_refused 2 pg sign --key fk/signing.key --cert "$C" -o fk.p7b policy.pol
chmod 700 fk
check_exit own_key_accepted 0 pg sign --key fk/signing.key --cert "$C" -o fk.p7b policy.pol
chmod 640 fk/signing.key
check_exit key_group_readable_refused 2 ipe-keys generate --out-dir fk_issued --issuer-key fk/signing.key --issuer-cert "$C"
chmod 600 fk/signing.key

as_user mkdir "$T/tmp/users_dir"
check_exit foreign_out_dir_refused 2 ipe-keys generate --out-dir "$T/tmp/users_dir"
[ -z "$(ls -A "$T/tmp/users_dir")" ] && pass foreign_out_dir_empty || fail foreign_out_dir_empty
mkdir -m 777 open_dir
chmod 777 open_dir
check_exit world_writable_out_dir_refused 2 ipe-keys generate --out-dir open_dir
[ -z "$(ls -A open_dir)" ] && pass world_writable_out_dir_empty || fail world_writable_out_dir_empty

# --- a FIFO fails at once -----------------------------------------------------
mkdir -m 700 fifo
mkfifo -m 600 fifo/key fifo/cert
for what in key cert; do
	args=(--key "$K" --cert "$C")
	[ $what = key ] && args=(--key fifo/key --cert "$C")
	[ $what = cert ] && args=(--key "$K" --cert fifo/cert)
	start=$(date +%s%N)
	timeout 20 ipe-policygen sign "${args[@]}" -o fifo.p7b policy.pol 2>err
	rc=$?
	ms=$((($(date +%s%N) - start) / 1000000))
	echo "FIFO --$what: exit $rc in $ms ms"
	if [ $rc = 2 ] && [ $ms -lt 5000 ] && grep -q "fifo/$what: not a regular file" err; then
		pass fifo_${what}_fails_fast
	else
		fail fifo_${what}_fails_fast "exit $rc in $ms ms: $(cat err)"
	fi
done

# --- a private key given as a policy is not quoted ----------------------------
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out pk.pem 2>/dev/null
chmod 600 pk.pem
openssl pkcs8 -topk8 -nocrypt -in pk.pem -outform der -out pk.der
openssl rsa -in pk.pem -traditional -out pk_rsa.pem 2>/dev/null
quotes_key() { # quotes_key FILE PEM: any 16 characters of a base64 line of PEM in FILE
	grep -v -- '-----' "$2" | while read -r line; do
		for ((i = 0; i + 16 <= ${#line}; i += 8)); do
			grep -qF -- "${line:i:16}" "$1" && return 0
		done
	done
	return 1
}
for input in pk.pem pk_rsa.pem pk.der; do
	pem=pk.pem
	[ $input = pk_rsa.pem ] && pem=pk_rsa.pem
	for verb in check check_json sign generate; do
		case $verb in
		check) pg check $input ;;
		check_json) pg check --json $input ;;
		sign) pg sign --key "$K" --cert "$C" -o x.p7b $input ;;
		generate) pg generate --name n --version-from $input --roothash "sha256:$RH" ;;
		esac >out 2>&1
		rc=$?
		tag=key_as_policy_${verb}_${input//./_}
		if [ $rc = 2 ] && grep -q "this is a private key" out && ! quotes_key out $pem && [ ! -e x.p7b ]; then
			pass "$tag"
		else
			fail "$tag" "exit $rc: $(head -c 200 out)"
		fi
	done
done

# --- one device under two names (real loop devices) ---------------------------
if L=$(losetup -f --show data.img 2>/dev/null); then
	LOOPS+=("$L")
	cp data.img data.orig
	# shellcheck disable=SC2046 # major and minor, two words
	mknod node2 b $(stat -c "%Hr %Lr" "$L")
	pg format --seed s "$L" node2 2>err
	rc=$?
	[ $rc = 2 ] && grep -q "data and hash are the same file" err && cmp -s data.img data.orig &&
		pass two_device_nodes_refused || fail two_device_nodes_refused "exit $rc: $(cat err)"
	pg format --seed s data.img "$L" 2>err
	rc=$?
	[ $rc = 2 ] && grep -q "are on the same storage" err && cmp -s data.img data.orig &&
		pass image_and_its_loop_refused || fail image_and_its_loop_refused "exit $rc: $(cat err)"
	pg format --seed s "$L" data.img 2>err
	rc=$?
	[ $rc = 2 ] && grep -q "data.img is the storage under $L" err && cmp -s data.img data.orig &&
		pass loop_and_its_image_refused || fail loop_and_its_image_refused "exit $rc: $(cat err)"
else
	skip two_device_nodes_refused "no loop device"
fi

# --- overlap in one file, as veritysetup refuses it ----------------------------
cp data.img one.img
pg format --seed s --hash-offset 524288 one.img one.img 2>err
rc=$?
[ $rc = 2 ] && grep -q "Data area overlaps with hash area" err && cmp -s one.img data.img &&
	pass one_file_overlap_refused || fail one_file_overlap_refused "exit $rc: $(cat err)"
if command -v veritysetup >/dev/null; then
	veritysetup format --hash-offset 524288 one.img one.img >/dev/null 2>err
	grep -q "Data area overlaps with hash area" err && pass one_file_overlap_veritysetup_agrees ||
		fail one_file_overlap_veritysetup_agrees "$(cat err)"
fi

# An in-place write that fails after it started says which bytes it wrote: data and
# tree in one file on a 1 MiB tmpfs that has room for the data but not the tree.
mkdir full
if mount -t tmpfs -o size=1m tmpfs full 2>/dev/null; then
	head -c 1040384 /dev/urandom >full/img
	cp full/img img.orig
	pg format --seed s --hash-offset 1040384 full/img full/img 2>err
	rc=$?
	want="full/img: No space left on device; bytes 1040384 to 1056767 of it (the hash area) were written or partly written, nothing else (the data area, bytes 0 to 1040383, was not touched)"
	[ $rc = 2 ] && grep -qF "$want" err && cmp -s -n 1040384 full/img img.orig &&
		pass in_place_failure_says_what_was_written ||
		fail in_place_failure_says_what_was_written "exit $rc: $(cat err)"
	umount full
else
	skip in_place_failure_says_what_was_written "cannot mount a tmpfs"
fi

# --- the umask ------------------------------------------------------------------
(umask 077 && pg generate --name u --version 1.0.0 --roothash "sha256:$RH" -o u077.pol)
(umask 022 && pg generate --name u --version 1.0.0 --roothash "sha256:$RH" -o u022.pol)
(umask 000 && ipe-keys generate --out-dir u000 >/dev/null)
[ "$(stat -c %a u077.pol)" = 600 ] && [ "$(stat -c %a u022.pol)" = 644 ] &&
	[ "$(stat -c %a u000/signing.key)" = 600 ] && [ "$(stat -c %a u000/signing.crt)" = 644 ] &&
	pass outputs_honour_umask ||
	fail outputs_honour_umask "$(stat -c '%n %a' u077.pol u022.pol u000/signing.key u000/signing.crt)"

# --- 255-byte names ---------------------------------------------------------------
long() { printf "%0$((255 - ${#1}))d%s" 0 "$1"; }
mkdir names
N=$T/names
cp m.json m_long.json
name_case() {
	local tag=$1 out=$2
	shift 2
	if "$@" >/dev/null 2>err && [ -s "$out" ] && [ -z "$(find "$N" -name '.*' -newer m.json)" ]; then
		pass "name_255_$tag"
	else
		fail "name_255_$tag" "$(head -c 200 err)"
	fi
}
name_case generate "$N/$(long .pol)" pg generate --name n --version 1.0.0 --roothash "sha256:$RH" -o "$N/$(long .pol)"
name_case sign "$N/$(long .p7b)" pg sign --key "$K" --cert "$C" -o "$N/$(long .p7b)" policy.pol
name_case sign_again "$N/$(long .p7b)" pg sign --key "$K" --cert "$C" -o "$N/$(long .p7b)" policy.pol
name_case sign_roothash "$N/$(long .p7s)" pg sign-roothash --key "$K" --cert "$C" --manifest m_long.json -o "$N/$(long .p7s)"
name_case format_hash "$N/$(long .hash)" pg format --seed s data.img "$N/$(long .hash)"
name_case format_root_hash_file "$N/$(long .rh)" pg format --seed s --root-hash-file "$N/$(long .rh)" data.img h_long.img
name_case format_manifest "$N/$(long .json)" pg format --seed s --manifest "$N/$(long .json)" data.img h_long.img
name_case manifest "$N/$(long .m.json)" pg manifest data.img hash.img -o "$N/$(long .m.json)"
name_case keys_uefi_db "$N/$(long .esl)" ipe-keys uefi-db "$C" --esl -o "$N/$(long .esl)"
name_case keys_generate "$N/$(long .d)/signing.key" ipe-keys generate --out-dir "$N/$(long .d)"
# A 256-byte name is the file system's refusal, said as such.
check_exit name_256_refused 2 pg generate --name n --version 1.0.0 --roothash "sha256:$RH" -o "$N/x$(long .pol)"

# --- strict ends ------------------------------------------------------------------
cp m.json trail.json
printf '{}' >>trail.json
cp trail.json trail.orig
pg sign-roothash --key "$K" --cert "$C" --manifest trail.json -o trail.p7s 2>err
rc=$?
[ $rc = 2 ] && [ ! -e trail.p7s ] && cmp -s trail.json trail.orig && grep -q "not a verity manifest" err &&
	pass manifest_trailing_bytes_refused || fail manifest_trailing_bytes_refused "exit $rc: $(cat err)"
openssl x509 -in "$C" -outform der -out cert.der
cp cert.der cert_trail.der
printf 'x' >>cert_trail.der
check_exit der_cert_ok 0 ipe-keys verify fk.p7b --cert cert.der
check_exit der_cert_trailing_refused 2 ipe-keys verify fk.p7b --cert cert_trail.der
openssl pkcs8 -topk8 -nocrypt -in "$K" -outform der -out fk/key.der
cp fk/key.der fk/key_trail.der
printf 'x' >>fk/key_trail.der
chmod 600 fk/key.der fk/key_trail.der
check_exit der_key_ok 0 pg sign --key fk/key.der --cert "$C" -o der.p7b policy.pol
check_exit der_key_trailing_refused 2 pg sign --key fk/key_trail.der --cert "$C" -o der_trail.p7b policy.pol

# --- names from certificates reach the terminal escaped -----------------------------
ipe-keys generate --out-dir esc --cn $'evil\e]0;owned\a\nfake' >out 2>&1
if ! grep -q $'\e' out && grep -qF 'evil\e]0;owned\a\nfake' out; then
	pass generate_escapes_cn
else
	fail generate_escapes_cn "$(cat -v out)"
fi
ipe-keys list --cert esc/signing.crt >out 2>&1
if ! grep -q $'\e' out && grep -qF 'evil\e]0;owned\a\nfake' out; then
	pass list_escapes_cert_name
else
	fail list_escapes_cert_name "$(cat -v out)"
fi

finish
