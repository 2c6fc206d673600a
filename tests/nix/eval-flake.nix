# SPDX-License-Identifier: GPL-2.0-only
# nix/flake.nix's outputs function called with a nixpkgs made of nixpkgs' lib
# and a package set of named inputs (callPackage is lib.callPackageWith): the
# shape of what the flake offers, not a build.
{ libPath }:
let
  lib = import libPath;
  input = name: { inherit name; outPath = "/inputs/${name}"; };
  pkgs = lib.fix (self: {
    inherit lib;
    callPackage = lib.callPackageWith self;
    stdenv = { mkDerivation = f: let a = f a; in a; hostPlatform.system = "x86_64-linux"; };
    runCommand = name: env: script: { inherit name env script; };
    testers.runNixOSTest = t: t;
    writeText = name: text: { inherit name text; };
    coreutils = input "coreutils";
    llvmPackages.clang = input "clang";
  } // lib.genAttrs [ "pkg-config" "cryptsetup" "openssl" "json-c" "keyutils" "libbpf" "elfutils" "zlib" "bpftools" "python3" ] input);
  flake = import ../../nix/flake.nix;
  nixpkgs = { inherit lib; legacyPackages = { x86_64-linux = pkgs; aarch64-linux = pkgs; }; };
  self = flake.outputs { inherit self nixpkgs; };
in
{
  outputs = builtins.attrNames self;
  input = flake.inputs.nixpkgs.url;
  packages = lib.mapAttrs (_: p: lib.mapAttrs (_: d: d.pname) p) self.packages;
  overlay = (self.overlays.default pkgs pkgs).ipe-tools.pname;
  # callPackage adds override and overrideDerivation.
  lib = builtins.attrNames (removeAttrs self.lib.x86_64-linux [ "override" "overrideDerivation" ]);
  moduleImports = map toString self.nixosModules.default.imports;
  checks = builtins.attrNames self.checks.x86_64-linux;
  nixosTest = self.checks.x86_64-linux.nixos.name;
}
