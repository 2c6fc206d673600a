#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# ipe-policygen generate: rules from real veritysetup images, checked with `check` and openssl.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$T" || exit 2

pg() { ipe-policygen "$@"; }
if ! command -v veritysetup >/dev/null; then
	skip generate "veritysetup not installed"
	finish
	exit
fi

# Two real images; veritysetup is the oracle for root hash and algorithm.
truncate -s 1M a.img
truncate -s 2M b.img
printf 'some data' | dd of=b.img conv=notrunc status=none
RH_A=$(veritysetup format a.img a.hash | awk '/^Root hash:/ { print $3 }')
RH_B=$(veritysetup format --hash sha512 b.img b.hash | awk '/^Root hash:/ { print $3 }')
[ ${#RH_A} = 64 ] && [ ${#RH_B} = 128 ] || { fail setup "veritysetup format failed"; finish; exit; }

# clean_check FILE: `check` accepts FILE and says nothing at all
clean_check() {
	pg check "$1" >check.out 2>&1 && [ ! -s check.out ]
}

if pg generate --name spectrum --version 1.0.0 --image a.img:a.hash -o a.pol 2>err; then
	pass generate_from_image
else
	fail generate_from_image "$(cat err)"
fi
check generate_rule_has_veritysetup_root_hash \
	grep -qx "op=EXECUTE dmverity_roothash=sha256:$RH_A action=ALLOW" a.pol
check generate_comment_names_image grep -qx '# a.img' a.pol
check generate_header_first_non_comment_line \
	test "$(grep -v '^#' a.pol | grep -v '^$' | head -n 1)" = "policy_name=spectrum policy_version=1.0.0"
check generate_defaults \
	test "$(grep '^DEFAULT' a.pol | tr '\n' '|')" = "DEFAULT action=ALLOW|DEFAULT op=EXECUTE action=DENY|"
check generate_passes_check_without_warnings clean_check a.pol
test -s err && fail generate_silent "unexpected output: $(cat err)" || pass generate_silent

# The algorithm comes from the image (sha512 here), never from the hash length.
pg generate --name spectrum --version 1.0.0 --image b.img:b.hash --op EXECUTE --op KMODULE \
	--op FIRMWARE -o b.pol 2>/dev/null
if grep -qx "op=EXECUTE dmverity_roothash=sha512:$RH_B action=ALLOW" b.pol &&
	grep -qx "op=KMODULE dmverity_roothash=sha512:$RH_B action=ALLOW" b.pol &&
	grep -qx "op=FIRMWARE dmverity_roothash=sha512:$RH_B action=ALLOW" b.pol &&
	grep -qx "DEFAULT op=FIRMWARE action=DENY" b.pol && clean_check b.pol; then
	pass generate_algorithm_from_image_and_ops
else
	fail generate_algorithm_from_image_and_ops "$(cat b.pol)"
fi

# Same inputs, same bytes; a repeated image appears once.
pg generate --name spectrum --version 1.0.0 --image a.img:a.hash -o a2.pol 2>/dev/null
check generate_deterministic cmp -s a.pol a2.pol
pg generate --name spectrum --version 1.0.0 --image a.img:a.hash --roothash "sha256:$RH_A" \
	--image a.img:a.hash -o dup.pol 2>/dev/null
check generate_dedupes_images test "$(grep -c "$RH_A" dup.pol)" = 1

# Revocations come before every ALLOW rule.
pg generate --name spectrum --version 1.0.0 --image a.img:a.hash --signed \
	--deny-roothash "sha512:$RH_B" -o deny.pol 2>/dev/null
first_deny=$(grep -n 'action=DENY$' deny.pol | grep -v DEFAULT | head -n 1 | cut -d: -f1)
first_allow=$(grep -n 'action=ALLOW$' deny.pol | grep -v DEFAULT | head -n 1 | cut -d: -f1)
if [ -n "$first_deny" ] && [ -n "$first_allow" ] && [ "$first_deny" -lt "$first_allow" ] &&
	grep -qx "op=EXECUTE dmverity_roothash=sha512:$RH_B action=DENY" deny.pol &&
	grep -qx 'op=EXECUTE dmverity_signature=TRUE action=ALLOW' deny.pol && clean_check deny.pol; then
	pass generate_deny_first_and_signed
else
	fail generate_deny_first_and_signed "$(cat deny.pol)"
fi

# --boot-verified: the rule, a comment saying what it trusts, and check's own warning.
pg generate --name early --version 0.0.1 --boot-verified -o boot.pol 2>err
if grep -qx 'op=EXECUTE boot_verified=TRUE action=ALLOW' boot.pol && grep -q '^# WARNING: boot_verified' boot.pol &&
	grep -q 'initramfs' err && pg check boot.pol >/dev/null 2>&1; then
	pass generate_boot_verified
else
	fail generate_boot_verified "$(cat err)"
fi

# Versions: from a text policy, from a signed one, and across the patch limit.
pg generate --version-from a.pol --image a.img:a.hash -o v1.pol 2>/dev/null
check generate_version_from_text grep -qx 'policy_name=spectrum policy_version=1.0.1' v1.pol
openssl req -x509 -newkey rsa:2048 -nodes -keyout k.pem -out c.pem -days 30 -subj /CN=test \
	-addext keyUsage=critical,digitalSignature -addext extendedKeyUsage=codeSigning 2>/dev/null
chmod 600 k.pem
pg sign --key k.pem --cert c.pem -o v1.p7b v1.pol 2>/dev/null
pg generate --name spectrum --version-from v1.p7b --image a.img:a.hash -o v2.pol 2>/dev/null
check generate_version_from_signed grep -qx 'policy_name=spectrum policy_version=1.0.2' v2.pol
pg generate --name spectrum --version 1.2.65535 --image a.img:a.hash -o max.pol 2>/dev/null
pg generate --version-from max.pol --image a.img:a.hash -o next.pol 2>/dev/null
check generate_version_patch_overflow grep -qx 'policy_name=spectrum policy_version=1.3.0' next.pol

# The generated policy signs, and openssl gets back exactly the text.
if openssl smime -verify -binary -inform der -in v1.p7b -noverify -certfile c.pem -out v1.out 2>/dev/null &&
	cmp -s v1.out v1.pol; then
	pass generate_then_sign
else
	fail generate_then_sign "signed content differs"
fi

# --manifest (verity manifest written by `ipe-policygen manifest`).
if pg manifest b.img b.hash -o b.json >/dev/null 2>&1; then
	pg generate --name spectrum --version 1.0.0 --manifest b.json -o m.pol 2>/dev/null
	check generate_from_manifest grep -qx "op=EXECUTE dmverity_roothash=sha512:$RH_B action=ALLOW" m.pol
else
	skip generate_from_manifest "ipe-policygen manifest not available"
fi

# Refusals: usage errors exit 2 and write nothing.
refused() { # refused NAME ARGS...: exit 2, one message, no output file
	local name=$1 rc
	shift
	rm -f out.pol
	pg generate -o out.pol "$@" 2>err
	rc=$?
	if [ $rc = 2 ] && [ ! -e out.pol ] && [ "$(wc -l <err)" = 1 ]; then
		pass "$name"
	else
		fail "$name" "exit $rc: $(cat err)"
	fi
}
refused generate_bad_op --name x --version 1.0.0 --image a.img:a.hash --op KERNEL_MODULE
refused generate_bad_name --name 'a/b' --version 1.0.0 --image a.img:a.hash
refused generate_dot_name --name .. --version 1.0.0 --image a.img:a.hash
refused generate_single_dot_name --name . --version 1.0.0 --image a.img:a.hash
refused generate_space_name --name 'a b' --version 1.0.0 --image a.img:a.hash
refused generate_hash_name --name 'a#b' --version 1.0.0 --image a.img:a.hash
refused generate_empty_name --name '' --version 1.0.0 --image a.img:a.hash
refused generate_256_byte_name --name "$(printf 'n%.0s' $(seq 256))" --version 1.0.0 --image a.img:a.hash
# The kernel's message names the rule; the refusal blames --name.
pg generate --name 'a/b' --version 1.0.0 --image a.img:a.hash -o out.pol 2>err
check generate_bad_name_says_why grep -q -- '--name: "a/b" is a name the kernel refuses (EACCES)' err
# Names the kernel takes, though outside [A-Za-z0-9_.-]: generated (with check's remark),
# and kept by --version-from without blaming a --name that was never given.
name255=$(printf 'n%.0s' $(seq 255))
pg generate --name "$name255" --version 1.0.0 --image a.img:a.hash -o long.pol 2>err
check generate_255_byte_name grep -q "^policy_name=$name255 policy_version=1.0.0\$" long.pol
pg generate --name 'spectrum:os@x' --version 1.0.0 --image a.img:a.hash -o odd.pol 2>err
check generate_odd_name grep -qx 'policy_name=spectrum:os@x policy_version=1.0.0' odd.pol
check generate_odd_name_remark grep -q "policy name 'spectrum:os@x' has characters" err
pg generate --version-from odd.pol --image a.img:a.hash -o odd2.pol 2>err
check generate_version_from_odd_name grep -qx 'policy_name=spectrum:os@x policy_version=1.0.1' odd2.pol
check generate_version_from_odd_name_no_name_blame sh -c '! grep -q -- --name err'
refused generate_bad_version --name x --version 1.0 --image a.img:a.hash
refused generate_version_too_big --name x --version 1.0.65536 --image a.img:a.hash
refused generate_uppercase_alg --name x --version 1.0.0 --roothash "SHA256:$RH_A"
refused generate_wrong_length --name x --version 1.0.0 --roothash "sha512:$RH_A"
refused generate_nothing_allowed --name x --version 1.0.0
refused generate_allow_and_deny --name x --version 1.0.0 --image a.img:a.hash --deny-roothash "sha256:$RH_A"
refused generate_not_verity --name x --version 1.0.0 --image a.img:a.img
refused generate_missing_data --name x --version 1.0.0 --image nonexistent.img:a.hash
truncate -s 100k short.img
refused generate_short_data --name x --version 1.0.0 --image short.img:a.hash
refused generate_two_versions --name x --version 1.0.0 --version-from a.pol --image a.img:a.hash
printf 'policy_name=x policy_version=65535.65535.65535\nDEFAULT action=ALLOW\n' >last.pol
refused generate_version_exhausted --version-from last.pol --image a.img:a.hash

finish
