#!/usr/bin/env bash
# Extracts a newer lldb-dap (LLVM 22, which supports readMemory) into .cache/lldb-22 beside the
# system's lldb-19 (whose lldb-dap does not): Debian's lldb-19 and lldb-22 conflict as packages
# (python3-lldb-x.y), so the newer one is unpacked from its .debs, never installed. Run it with
# LD_LIBRARY_PATH=<dir>/usr/lib/x86_64-linux-gnu (its RUNPATH does not reach the unpacked
# libraries). The shared libraries it also needs (libcurl4, libedit2, libipt2, libpython3.11,
# libxml2, libz3-4, libzstd1, libffi8) come with the installed lldb-19. Idempotent: a marker with
# the version makes a second run a no-op. See shared notes more-targets.md §2.
#   Dir: ${LLDB_DAP_NEW_DIR:-<repo>/.cache/lldb-22}
set -euo pipefail

LLVM=22
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIR=${LLDB_DAP_NEW_DIR:-$REPO/.cache/lldb-$LLVM}
# python3-lldb-22 too: without it liblldb 22 imports the system's lldb-19 Python module and
# initialize sometimes never gets an answer.
PACKAGES=(lldb-$LLVM liblldb-$LLVM libllvm$LLVM libclang-cpp$LLVM python3-lldb-$LLVM)
BIN="$DIR/root/usr/lib/llvm-$LLVM/bin/lldb-dap"
MARKER="$DIR/installed.txt"
step() { echo "[setup-lldb-dap] $*"; }

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
candidate() { apt-cache policy "lldb-$LLVM" 2>/dev/null | awk '/Candidate:/ { print $2 }'; }
version=$(candidate)
if [[ -z "$version" || "$version" == "(none)" ]]; then
  # Lists may be missing or old (bootstrap updates them only when it installs something).
  step "lldb-$LLVM not in the apt lists: apt-get update"
  $sudo apt-get update -qq || true
  version=$(candidate)
fi
if [[ -z "$version" || "$version" == "(none)" ]]; then
  step "lldb-$LLVM is not in this machine's apt sources: the lldb-dap 22 e2e test will skip"
  exit 0
fi
want="${PACKAGES[*]} $version"
if [[ -f "$MARKER" && "$(cat "$MARKER")" == "$want" && -x "$BIN" ]]; then
  step "lldb-dap $LLVM already in $DIR ($version); nothing to do"
  exit 0
fi

rm -rf "$DIR"
mkdir -p "$DIR/debs" "$DIR/root"
# apt-get download writes into the current directory and needs no root.
# As root, apt's download sandbox user cannot write here: download as root (no warning).
sandbox=()
[ "$(id -u)" -ne 0 ] || sandbox=(-o APT::Sandbox::User=root)
(cd "$DIR/debs" && apt-get "${sandbox[@]}" download -qq "${PACKAGES[@]/%/=$version}")
for deb in "$DIR"/debs/*.deb; do dpkg-deb -x "$deb" "$DIR/root"; done
rm -rf "$DIR/debs"
LD_LIBRARY_PATH="$DIR/root/usr/lib/x86_64-linux-gnu" "$BIN" --version >/dev/null
echo "$want" >"$MARKER"
step "lldb-dap $LLVM ($version) unpacked into $DIR"
