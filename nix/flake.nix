# SPDX-License-Identifier: GPL-2.0-only
# nix build 'git+https://…/ipe-tools?dir=nix'  — the package, the overlay, the
# NixOS module, the image functions (lib.nix) and checks.
{
  description = "ipe-tools: dm-verity, signed IPE policies, keys and an eBPF auditor for Linux's IPE LSM";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs = { self, nixpkgs }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" ];
      forAllSystems = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
    in
    {
      overlays.default = final: prev: {
        ipe-tools = final.callPackage ./package.nix { };
      };

      packages = forAllSystems (pkgs: rec {
        ipe-tools = pkgs.callPackage ./package.nix { };
        default = ipe-tools;
      });

      nixosModules.default = {
        imports = [ ./module.nix ];
        nixpkgs.overlays = [ self.overlays.default ];
      };

      # Image functions: mkVerityImage, mkIpePolicy, spectrumPartUuids.
      lib = forAllSystems (pkgs: pkgs.callPackage ./lib.nix {
        ipe-tools = self.packages.${pkgs.stdenv.hostPlatform.system}.ipe-tools;
      });

      checks = forAllSystems (pkgs: {
        package = self.packages.${pkgs.stdenv.hostPlatform.system}.ipe-tools;

        # Boots the module in audit mode with a policy that allows nothing but
        # denies nothing either (ipe.enforce=0), runs a program, and asserts
        # that the auditor recorded what the policy would have denied.
        nixos = pkgs.testers.runNixOSTest {
          name = "ipe-auditd";
          nodes.machine = { pkgs, ... }: {
            imports = [ self.nixosModules.default ];
            security.ipe = { enable = true; mode = "audit"; };
            services.ipe-auditd = {
              enable = true;
              policy = pkgs.writeText "nixos_test.pol" ''
                policy_name=nixos_test policy_version=0.0.1
                DEFAULT action=ALLOW
                DEFAULT op=EXECUTE action=DENY
              '';
              format = "json";
            };
          };
          testScript = ''
            machine.wait_for_unit("ipe-auditd.service")
            machine.succeed("grep -qw ipe /sys/kernel/security/lsm")
            machine.succeed("cp ${pkgs.coreutils}/bin/true /tmp/probe && /tmp/probe")
            machine.wait_until_succeeds("grep -q '/tmp/probe' /var/log/ipe-auditd/events.json")
            machine.succeed("systemctl reload ipe-auditd.service")
            machine.succeed("systemctl is-active ipe-auditd.service")
          '';
        };
      });
    };
}
