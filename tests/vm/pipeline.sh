# SPDX-License-Identifier: GPL-2.0-only
# The image build pipeline as the scenarios run it (sourced by tests/vm/lib.sh):
# format a verity image, sign its root hash, generate and sign a policy.
# Each step uses the project's tool. A step whose verb this build does not
# implement falls back to the reference tool (veritysetup, openssl) and says
# so in the log, so the VM plumbing stays testable on its own.

# vm_format NAME DATA HASH: format HASH for DATA; prints the root hash and
# leaves the manifest in HASH.json.
vm_format() {
	local name=$1 data=$2 hash=$3
	if vm_has ipe-policygen format; then
		"$O/ipe-policygen" format --manifest "$hash.json" "$data" "$hash" >&2 || return 1
		sed -n 's/.*"root_hash" *: *"\([0-9a-f]*\)".*/\1/p' "$hash.json" | head -n 1
	else
		vm_say "$name: ipe-policygen format is missing: formatting with veritysetup"
		veritysetup format "$data" "$hash" | sed -n 's/^Root hash:[[:space:]]*//p'
	fi
}

# vm_sign_roothash ROOTHASH OUT: detached PKCS#7 over the hex root hash.
vm_sign_roothash() {
	if vm_has ipe-policygen sign-roothash; then
		"$O/ipe-policygen" sign-roothash --key "$VM_KEY" --cert "$VM_CERT" -o "$2" "$1" >&2
	else
		vm_say "ipe-policygen sign-roothash is missing: signing with openssl"
		printf %s "$1" | openssl smime -sign -binary -noattr -nosmimecap -outform der \
			-signer "$VM_CERT" -inkey "$VM_KEY" -out "$2"
	fi
}

# vm_policy OUT NAME VERSION ROOTHASH...: the policy that allows exactly the
# images with these root hashes (plus the initramfs, where the guest's own
# shell lives).
vm_policy() {
	local out=$1 name=$2 version=$3 rh
	shift 3
	if vm_has ipe-policygen generate; then
		"$O/ipe-policygen" generate --name "$name" --version "$version" --boot-verified \
			$(vm_image_args "$@") -o "$out" 2>/dev/null
	else
		vm_say "ipe-policygen generate is missing: writing $name by hand"
		{
			echo "policy_name=$name policy_version=$version"
			echo "DEFAULT action=ALLOW"
			echo "DEFAULT op=EXECUTE action=DENY"
			echo "op=EXECUTE boot_verified=TRUE action=ALLOW"
			for rh in "$@"; do echo "op=EXECUTE dmverity_roothash=sha256:$rh action=ALLOW"; done
		} >"$out"
	fi
}

# vm_image_args ROOTHASH...: generate's arguments for these images, by the
# manifest `format` wrote where there is one.
vm_image_args() {
	local rh
	for rh in "$@"; do
		if [ -r "${VM_MANIFESTS:-/nonexistent}/$rh.json" ]; then
			echo "--manifest $VM_MANIFESTS/$rh.json"
		else
			echo "--roothash sha256:$rh"
		fi
	done
}

# vm_policy_version FILE: the policy_version of a policy text.
vm_policy_version() {
	sed -n 's/^[[:space:]]*policy_name=[^[:space:]]*[[:space:]]*policy_version=\([0-9.]*\).*/\1/p' "$1" | head -n 1
}

# vm_sign_policy POLICY OUT: the attached PKCS#7 new_policy takes.
vm_sign_policy() {
	if vm_has ipe-policygen sign; then
		"$O/ipe-policygen" sign --key "$VM_KEY" --cert "$VM_CERT" -o "$2" "$1" >&2
	else
		vm_say "ipe-policygen sign is missing: signing with openssl"
		vm_sign_policy_openssl "$1" "$2"
	fi
}

# vm_sign_policy_openssl POLICY OUT: the reference signature, for policies
# the project's signer refuses on purpose (the corpus of invalid ones).
vm_sign_policy_openssl() {
	openssl smime -sign -nodetach -noattr -nosmimecap -binary -outform der \
		-signer "$VM_CERT" -inkey "$VM_KEY" -in "$1" -out "$2"
}

# vm_images DIR: DIR/{sq,ero}.{img,verity} from a small tree holding a copy
# of busybox; sets SQ_RH and ERO_RH.
vm_images() {
	local dir=$1
	mkdir -p "$dir/tree/bin"
	cp /bin/busybox "$dir/tree/bin/busybox"
	printf '#!/bin/sh\necho script-ran\n' >"$dir/tree/bin/hello.sh"
	chmod +x "$dir/tree/bin/hello.sh"
	echo "ipe-tools verity payload" >"$dir/tree/marker"
	mksquashfs "$dir/tree" "$dir/sq.img" -noappend -quiet -all-root >/dev/null || return 1
	mkfs.erofs -q "$dir/ero.img" "$dir/tree" >/dev/null 2>&1 || mkfs.erofs "$dir/ero.img" "$dir/tree" >/dev/null || return 1
	SQ_RH=$(vm_format squashfs "$dir/sq.img" "$dir/sq.verity") && [ -n "$SQ_RH" ] || return 1
	ERO_RH=$(vm_format erofs "$dir/ero.img" "$dir/ero.verity") && [ -n "$ERO_RH" ] || return 1
	VM_MANIFESTS=$dir/manifests
	mkdir -p "$VM_MANIFESTS"
	[ -r "$dir/sq.verity.json" ] && cp "$dir/sq.verity.json" "$VM_MANIFESTS/$SQ_RH.json"
	[ -r "$dir/ero.verity.json" ] && cp "$dir/ero.verity.json" "$VM_MANIFESTS/$ERO_RH.json"
	return 0
}

# vm_policy_signed OUT NAME VERSION: the policy that allows every volume
# whose root-hash signature the kernel verified (plus the initramfs).
vm_policy_signed() {
	local out=$1 name=$2 version=$3
	if vm_has ipe-policygen generate; then
		"$O/ipe-policygen" generate --name "$name" --version "$version" --boot-verified --signed \
			-o "$out" 2>/dev/null
	else
		vm_say "ipe-policygen generate has no signature rule: writing $name by hand"
		{
			echo "policy_name=$name policy_version=$version"
			echo "DEFAULT action=ALLOW"
			echo "DEFAULT op=EXECUTE action=DENY"
			echo "op=EXECUTE boot_verified=TRUE action=ALLOW"
			echo "op=EXECUTE dmverity_signature=TRUE action=ALLOW"
		} >"$out"
	fi
}

# vm_policy_next OUT NAME OLD ROOTHASH...: like vm_policy, with a version
# above that of the policy OLD (generate --version-from).
vm_policy_next() {
	local out=$1 name=$2 old=$3 rh v
	shift 3
	if vm_has ipe-policygen generate; then
		"$O/ipe-policygen" generate --name "$name" --version-from "$old" --boot-verified \
			$(vm_image_args "$@") -o "$out" 2>/dev/null
	else
		vm_say "ipe-policygen generate is missing: bumping the version by hand"
		v=$(vm_policy_version "$old")
		vm_policy "$out" "$name" "${v%.*}.$((${v##*.} + 1))" "$@"
	fi
}
