#!/usr/bin/env bash
# Proves the packages from OUTSIDE the workspace: build, pnpm pack the three
# packages, install the tarballs into examples/consumer-service (not a
# workspace member) with npm, then typecheck, test and run the pipeline there.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

pnpm run build
rm -rf .packs && mkdir -p .packs
for pkg in schema client contract-tests; do
  (cd "packages/$pkg" && pnpm pack --pack-destination "$root/.packs" >/dev/null)
  # Stable names, so the example's package.json does not change with each version.
  mv "$root"/.packs/postpress-"$pkg"-*.tgz "$root/.packs/postpress-$pkg.tgz"
done
ls -l .packs

cd examples/consumer-service
rm -rf node_modules dist
npm install --no-package-lock --no-audit --no-fund
npm run typecheck
npm test
npm run build
npm run pipeline
