#!/usr/bin/env bash
# Installs everything this project needs on a fresh Debian/Ubuntu machine, idempotently:
# system packages (only the missing ones), npm dependencies, and the offline VS Code host tools
# (into ./.cache). Used by the README's two commands and by CI.
set -euo pipefail
cd "$(dirname "$0")/.."

# chromium: webview tests and the offline VS Code workbench; libkrb5-dev build-essential python3:
# code-server's native addons; qemu-system-arm gcc-arm-none-eabi gdb-multiarch gdb: the E2E device
# and the Rust target; qemu-system-mips gcc-mips-linux-gnu: the big-endian E2E device (MIPS malta)
# and the ELF/DWARF reader's big-endian test programs; binutils: readelf/objcopy the reader is
# checked against; rustc: the reference allocator and the Rust E2E target; lldb-19: lldb-dap 19
# (no readMemory) for the adapter-capability E2E, and the libraries the unpacked lldb-dap 22 uses.
packages=(chromium libkrb5-dev build-essential python3 qemu-system-arm gcc-arm-none-eabi gdb-multiarch gdb qemu-system-mips gcc-mips-linux-gnu binutils lldb-19)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
command -v rustc >/dev/null || missing+=(rustc)
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm ci only when the lock file changed since the last install (it wipes node_modules).
stamp=node_modules/.bootstrap-lock
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  npm ci --no-audit --no-fund
  cp package-lock.json "$stamp"
fi

bash scripts/setup-test-host.sh

# lldb-dap 22 (supports readMemory) unpacked into .cache/lldb-22: it conflicts with lldb-19 as a package.
bash scripts/setup-lldb-dap.sh
