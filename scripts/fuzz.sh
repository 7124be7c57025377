#!/usr/bin/env bash
# Property-based fuzz of the OpenAPI document with schemathesis (docs/decisions/0022-fuzzing-the-api.md).
# Starts a throwaway server (embedded PGlite, simulated provider), creates a tenant with an admin API
# key, then runs every schemathesis check over every phase (examples, coverage, fuzzing, stateful)
# against the document the server itself serves. Exits non-zero on any failure or when fewer than
# KUPE_FUZZ_MIN_CASES cases were generated. Called by .ci/run; runs alone too:
#   scripts/fuzz.sh                 KUPE_FUZZ_EXAMPLES=60 KUPE_FUZZ_SEED=1 scripts/fuzz.sh
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$PWD"
ST_VERSION=4.32.5
VENV="${KUPE_FUZZ_VENV:-$HOME/.cache/kupe/st-venv-$ST_VERSION}"
EXAMPLES="${KUPE_FUZZ_EXAMPLES:-20}"
SEED="${KUPE_FUZZ_SEED:-20261203}"
MIN_CASES="${KUPE_FUZZ_MIN_CASES:-5000}"
REPORT_DIR="${KUPE_FUZZ_REPORT_DIR:-$(mktemp -d /tmp/kupe-fuzz-report.XXXXXX)}"

# The pinned schemathesis, from PyPI, into a venv of its own (kept in the cache between runs).
if [ "$("$VENV/bin/st" --version 2>/dev/null || true)" != "st, version $ST_VERSION" ]; then
  echo "installing schemathesis $ST_VERSION into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$ST_VERSION"
fi

WORK="$(mktemp -d /tmp/kupe-fuzz.XXXXXX)"
SERVER_PID=""
cleanup() {
  local rc=$?
  if [ -n "$SERVER_PID" ]; then
    kill -0 "$SERVER_PID" 2>/dev/null || echo "the server process had exited"
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ "$rc" -ne 0 ] && [ -f "$WORK/server.log" ]; then echo "--- server log (tail)"; tail -n 40 "$WORK/server.log"; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

PORT="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
BASE="http://127.0.0.1:$PORT"
ADMIN_TOKEN="kupeadm_$(node -e 'console.log(require("crypto").randomBytes(24).toString("base64url"))')"

# The rate limit is lifted (the fuzzer sends thousands of requests a minute) and the fuzzer is a
# trusted proxy: its hooks give every request its own X-Forwarded-For address (scripts/fuzz/hooks.py).
KUPE_DATA_DIR="$WORK/data" KUPE_ADMIN_TOKEN="$ADMIN_TOKEN" KUPE_PROVIDER=simulated KUPE_LISTEN="127.0.0.1:$PORT" \
  KUPE_RATE_LIMIT=1000000 KUPE_RATE_BURST=1000000 KUPE_TRUSTED_PROXIES=127.0.0.1 KUPE_LOG_LEVEL=warn \
  node --import tsx src/cli/main.ts server >"$WORK/server.log" 2>&1 &
SERVER_PID=$!

for _ in $(seq 1 120); do
  curl -fsS "$BASE/readyz" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log"; echo "server exited"; exit 1; }
  sleep 0.5
done
curl -fsS "$BASE/readyz" >/dev/null

TENANT=fuzz
OWNER=owner@example.com
created="$(curl -fsS -X POST "$BASE/api/v1/admin/tenants" -H "authorization: Bearer $ADMIN_TOKEN" \
  -H 'content-type: application/json' \
  -d "{\"name\":\"$TENANT\",\"contactEmail\":\"$OWNER\",\"owner\":\"$OWNER\",\"plan\":\"enterprise\"}")"
API_KEY="$(jq -r .apiKey.key <<<"$created")"
API_KEY_ID="$(jq -r .apiKey.id <<<"$created")"
TENANT_ID="$(curl -fsS "$BASE/v1/tenants" -H "authorization: Bearer $ADMIN_TOKEN" | jq -r --arg t "$TENANT" '[.[] | select(.name == $t) | .id][0] // ""')"
PLANS="$(curl -fsS "$BASE/api/v1/plans" | jq -r '[.items[].name] | join(",")')"

echo "schemathesis $ST_VERSION against $BASE: all checks, all phases, $EXAMPLES examples per operation, seed $SEED"
status=0
# schemathesis keeps a cache in its working directory: the throwaway one.
cd "$WORK"
KUPE_FUZZ_API_KEY="$API_KEY" KUPE_FUZZ_API_KEY_ID="$API_KEY_ID" KUPE_FUZZ_ADMIN_TOKEN="$ADMIN_TOKEN" \
  KUPE_FUZZ_TENANT="$TENANT" KUPE_FUZZ_TENANT_ID="$TENANT_ID" KUPE_FUZZ_OWNER="$OWNER" KUPE_FUZZ_PLANS="$PLANS" \
  SCHEMATHESIS_HOOKS=hooks PYTHONPATH="$ROOT/scripts/fuzz" \
  "$VENV/bin/st" --config-file "$ROOT/scripts/fuzz/schemathesis.toml" run "$BASE/api/v1/openapi.json" \
  --checks all --phases examples,coverage,fuzzing,stateful --max-examples "$EXAMPLES" --seed "$SEED" \
  --workers 2 --no-color --request-timeout 20 --suppress-health-check too_slow,filter_too_much \
  --report junit,ndjson --report-dir "$REPORT_DIR" --generation-database none \
  | tee "$WORK/st.out" || status=$?
cd "$ROOT"

if grep -q '"level":50' "$WORK/server.log"; then
  echo "the server logged errors:"; grep '"level":50' "$WORK/server.log" | head -20
  status=1
fi
cases="$(sed -n 's/^ *\([0-9][0-9]*\) generated.*/\1/p' "$WORK/st.out" | tail -1)"
echo "generated cases: ${cases:-0} (at least $MIN_CASES required); reports in $REPORT_DIR"
if [ "${cases:-0}" -lt "$MIN_CASES" ]; then status=1; fi
exit "$status"
