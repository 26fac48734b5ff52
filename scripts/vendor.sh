#!/usr/bin/env bash
# Refreshes static/vendor/ from the npm registry: socket.io-client 4.x (ESM build) and KaTeX 0.16.x
# (ES module, CSS, woff2 fonts), each with its LICENSE, and writes static/vendor/VERSIONS.txt.
# Needs npm and the npm registry; the page itself never loads anything from outside.
# Usage: scripts/vendor.sh [socket.io-client-version] [katex-version]
set -euo pipefail
cd "$(dirname "$0")/.."
SIO="${1:-4}"
KATEX="${2:-0.16}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

fetch() {  # fetch NAME SPEC -> unpacked dir on stdout
  local name="$1" spec="$2" tgz
  tgz="$(cd "$tmp" && npm pack --silent "$name@$spec" | tail -n 1)"
  mkdir -p "$tmp/$name"
  tar -xzf "$tmp/$tgz" -C "$tmp/$name"
  echo "$tmp/$name/package"
}

sio="$(fetch socket.io-client "$SIO")"
katex="$(fetch katex "$KATEX")"
ver() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$1/package.json"; }

rm -rf static/vendor/socket.io static/vendor/katex
mkdir -p static/vendor/socket.io static/vendor/katex/fonts
cp "$sio/dist/socket.io.esm.min.js" static/vendor/socket.io/
cp "$sio/LICENSE" static/vendor/socket.io/LICENSE

# katex.mjs in the package is unminified (~600 KB); wrap the minified UMD build (~270 KB) as an ES module instead,
# with the same default and named exports the package's katex.mjs has.
{
  echo "// KaTeX $(ver "$katex") (dist/katex.min.js, MIT) wrapped as an ES module by scripts/vendor.sh"
  echo "const module = { exports: {} }; const exports = module.exports;"
  cat "$katex/dist/katex.min.js"
  echo
  echo "const katex = module.exports;"
  echo "export default katex;"
  echo "export const { render, renderToString, version, ParseError, __parse, __renderToDomTree, __renderToHTMLTree } = katex;"
} > static/vendor/katex/katex.mjs
cp "$katex/dist/katex.min.css" static/vendor/katex/katex.min.css
cp "$katex/dist/fonts/"*.woff2 static/vendor/katex/fonts/
cp "$katex/LICENSE" static/vendor/katex/LICENSE
# katex.min.css also names .woff/.ttf fallbacks; browsers take the first (woff2) source, so only woff2 is kept.

{
  echo "# Vendored from the npm registry by scripts/vendor.sh on $(date -u +%Y-%m-%d)"
  echo "socket.io-client $(ver "$sio") MIT static/vendor/socket.io/"
  echo "katex $(ver "$katex") MIT static/vendor/katex/"
} > static/vendor/VERSIONS.txt
cat static/vendor/VERSIONS.txt
