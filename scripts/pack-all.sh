#!/usr/bin/env bash
# Builds the workspace and packs the six packages into ONE folder, the way
# they will be published (they are not on npm yet): `pnpm pack:all` writes
#   .packs/postpress-schema.tgz  .packs/postpress-client.tgz  .packs/postpress-testkit.tgz
#   .packs/postpress-contract-tests.tgz  .packs/postpress-schema-diff.tgz  .packs/postpress-cli.tgz
# (stable names, so an install command does not change with the version).
# Another folder: `pnpm pack:all path/to/dir`. Install in any project with
#   npm install ./path/to/dir/postpress-cli.tgz                      (the program alone: no dependencies)
#   npm install ./path/to/dir/postpress-{schema,client,testkit,contract-tests,schema-diff}.tgz effect@3.22.4 ...  (the libraries)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(mkdir -p "${1:-$root/.packs}" && cd "${1:-$root/.packs}" && pwd)"
cd "$root"

# From clean outputs: `tsc -b` never deletes what a moved or removed module emitted before, and
# `files: ["dist"]` would pack it (the packages' tarballs must carry only their own code).
rm -rf packages/*/dist packages/*/build
pnpm run build
rm -f "$out"/postpress-*.tgz
for pkg in schema client testkit contract-tests schema-diff cli; do
  (cd "packages/$pkg" && pnpm pack --pack-destination "$out" >/dev/null)
  mv "$out"/postpress-"$pkg"-[0-9]*.tgz "$out/postpress-$pkg.tgz"
done
ls -l "$out"/postpress-*.tgz
