# SPDX-License-Identifier: GPL-2.0-only
# nix/package.nix called with nixpkgs' lib and, for stdenv.mkDerivation, the
# fixed point of its attribute function: what the package asks of stdenv
# (not a build: nixpkgs is not available to the tests).
{ libPath }:
let
  lib = import libPath;
  input = name: { inherit name; outPath = "/inputs/${name}"; };
  attrs = import ../../nix/package.nix {
    inherit lib;
    stdenv.mkDerivation = f: let a = f a; in a;
    pkg-config = input "pkg-config";
    cryptsetup = input "cryptsetup";
    openssl = input "openssl";
    json-c = input "json-c";
    keyutils = input "keyutils";
    libbpf = input "libbpf";
    elfutils = input "elfutils";
    zlib = input "zlib";
    bpftools = input "bpftools";
    llvmPackages.clang = input "clang";
    python3 = input "python3";
  };
  src = "${attrs.src}";
in
{
  inherit (attrs) pname version hardeningDisable doCheck;
  makeFlags = map (f: builtins.replaceStrings [ (builtins.placeholder "out") ] [ "OUT" ] f) attrs.makeFlags;
  nativeBuildInputs = map (i: i.name) attrs.nativeBuildInputs;
  buildInputs = map (i: i.name) attrs.buildInputs;
  meta = builtins.attrNames attrs.meta;
  license = attrs.meta.license.spdxId;
  srcTop = builtins.attrNames (builtins.readDir src);
}
