#!/usr/bin/env bash
# Proves the packages from OUTSIDE the workspace: build and pack the six
# packages (`pnpm pack:all`), install the tarballs into examples/consumer-service
# (not a workspace member) with npm, then typecheck, test and run the pipeline
# there, drive the installed `postpress` program the way a consumer's CI would,
# and run the CI example of docs/ci.md verbatim in an empty folder.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

bash scripts/pack-all.sh "$root/.packs"

cd examples/consumer-service
rm -rf node_modules dist
npm install --no-package-lock --no-audit --no-fund
npm run typecheck
npm test
npm run build
npm run pipeline

# ---- the postpress program from the @postpress/cli tarball ------------------
work="$(mktemp -d)"
mock_pid=""
cleanup() {
  if [ -n "$mock_pid" ]; then kill "$mock_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { printf 'consumer example: %s\n' "$*" >&2; exit 1; }
expect_code() { # $1 = expected, $2 = actual, $3 = what
  [ "$1" = "$2" ] || fail "$3: expected exit $1, got $2"
}

printf '\n== npx postpress (version %s)\n' "$(npx postpress --version)"

# The installed program itself, not `npx postpress`: npx does not pass a signal on to its child, so
# `kill $!` would stop npx and leave the mock running. node_modules/.bin/postpress execs node (its
# shebang is `env node`), so $! is the mock's own process.
node_modules/.bin/postpress mock --seed 7 --print-fixtures >"$work/mock.json" 2>"$work/mock.err" &
mock_pid=$!
for _ in $(seq 1 100); do [ -s "$work/mock.json" ] && break; sleep 0.1; done
[ -s "$work/mock.json" ] || fail "postpress mock printed nothing: $(cat "$work/mock.err")"
field() { node -e 'const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(eval(process.argv[2]))' "$work/mock.json" "$1"; }
url="$(field 'm.url')"
key="$(field 'm.workspaces[0].apiKey')"
id="$(field 'm.workspaces[0].accountIds[0]')"
ids="$(field 'm.workspaces[0].accountIds.join(",")')"
foreign="$(field 'm.workspaces[1].accountIds[0]')"
echo "mock at $url (pid $mock_pid)"

code=0
POSTPRESS_API_KEY="$key" npx postpress accounts get --base-url "$url" "$id" >"$work/account.json" || code=$?
expect_code 0 "$code" "npx postpress accounts get $id"
node -e 'const a = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); if (a.object !== "Account" || a.id !== process.argv[2]) process.exit(1)' \
  "$work/account.json" "$id" || fail "accounts get did not print account $id"
echo "accounts get: exit 0, account $id"

code=0
POSTPRESS_API_KEY="$key" npx postpress accounts get --base-url "$url" acc_missing_0000 2>"$work/missing.err" || code=$?
expect_code 1 "$code" "npx postpress accounts get acc_missing_0000"
grep -q '"_tag":"NotFound"' "$work/missing.err" || fail "accounts get of a missing id: $(cat "$work/missing.err")"
if grep -q "$key" "$work/missing.err"; then fail "the key appeared in the error line"; fi
echo "accounts get (missing): exit 1, NotFound"

code=0
POSTPRESS_API_KEY="$key" npx postpress contract --base-url "$url" --account-id "$id" --seed 7 \
  --junit "$work/contract.xml" >"$work/contract.out" 2>/dev/null || code=$?
expect_code 0 "$code" "npx postpress contract --base-url $url"
grep -q "Result: PASS" "$work/contract.out" || fail "contract --base-url: $(tail -3 "$work/contract.out")"
grep -q "<testsuites" "$work/contract.xml" || fail "contract --base-url wrote no JUnit report"
echo "contract --base-url: exit 0, PASS, JUnit written"

code=0
npx postpress contract >"$work/default.out" 2>/dev/null || code=$?
expect_code 0 "$code" "npx postpress contract"
grep -q "Result: PASS" "$work/default.out" || fail "contract (embedded mock): $(tail -3 "$work/default.out")"
echo "contract (embedded mock): exit 0, PASS"

code=0
npx postpress contract --timeout soon 2>"$work/usage.err" || code=$?
expect_code 2 "$code" "npx postpress contract --timeout soon"
[ "$(wc -l <"$work/usage.err")" = "1" ] || fail "usage error is not one line: $(cat "$work/usage.err")"
grep -q '^postpress contract: --timeout: ' "$work/usage.err" || fail "usage error line: $(cat "$work/usage.err")"
echo "contract usage error: exit 2, one line"

# ---- the CI example of docs/ci.md, verbatim, in an empty folder -------------
ci="$work/ci-job"
mkdir -p "$ci/vendor/postpress"
cp "$root/.packs/postpress-cli.tgz" "$ci/vendor/postpress/postpress-cli.tgz"
code=0
node "$root/scripts/readme-ci-example.mjs" "$root/docs/ci.md" "$ci" \
  "{\"STAGING_URL\":\"$url\",\"FOREIGN_ID\":\"$foreign\",\"POSTPRESS_API_KEY\":\"$key\",\"POSTPRESS_ACCOUNT_IDS\":\"$ids\"}" \
  >"$work/ci.out" 2>"$work/ci.err" || code=$?
expect_code 0 "$code" "the README's CI example (output: $(tail -5 "$work/ci.out") $(tail -3 "$work/ci.err"))"
for report in reports/contract.xml reports/contract.json reports/contract.html; do
  [ -s "$ci/$report" ] || fail "the README's CI example did not write $report"
done
echo "README CI example: exit 0, reports/contract.{xml,json,html} written"

code=0
kill -TERM "$mock_pid"
wait "$mock_pid" || code=$?
stopped="$mock_pid"
mock_pid=""
# Stopping is the mock's normal end: exit 0 (1 only for a --require-coverage gap).
expect_code 0 "$code" "postpress mock after SIGTERM"
if ps -p "$stopped" >/dev/null 2>&1; then fail "the mock (pid $stopped) is still running after SIGTERM"; fi
echo "mock: exit 0 on SIGTERM, nothing left running"
