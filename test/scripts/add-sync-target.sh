#!/usr/bin/env bash
# Guide "Manage Secrets": create a secret with sync targets, then add one by GET → append →
# PATCH (with If-Match, so a concurrent edit is never clobbered), clear the targets, delete.
#   KUPE_API, KUPE_API_KEY, KUPE_TENANT as in create-cluster.sh; KUPE_SECRET (default db-password)
set -euo pipefail

KUPE_API="${KUPE_API:-https://api.kupe.cloud/api/v1}"
: "${KUPE_API_KEY:?set KUPE_API_KEY}" "${KUPE_TENANT:?set KUPE_TENANT}"
KUPE_SECRET="${KUPE_SECRET:-db-password}"
URL="$KUPE_API/tenants/$KUPE_TENANT/secrets"
auth=(-H "Authorization: Bearer $KUPE_API_KEY")

# curl wrapper: prints the body; on an HTTP error prints the status and the server's message to
# stderr and exits 1.
api() {
  local out code
  out=$(mktemp)
  code=$(curl -sS -o "$out" -w '%{http_code}' -H "Authorization: Bearer $KUPE_API_KEY" "$@") || { rm -f "$out"; exit 1; }
  if [ "$code" -ge 400 ]; then
    echo "HTTP $code: $(cat "$out")" >&2
    rm -f "$out"
    exit 1
  fi
  cat "$out"
  rm -f "$out"
}

api -X POST \
  -H "Content-Type: application/json" \
  "$URL" \
  -d "$(jq -n --arg name "$KUPE_SECRET" '{
    name: $name,
    secretPath: "production/db-password",
    sync: [
      { cluster: "production", namespace: "default" },
      { cluster: "production", namespace: "backend", secretName: "database-credentials" }
    ]
  }')" >/dev/null
echo "Created secret $KUPE_SECRET"

# GET the current definition and its ETag, append a target, PATCH the complete list. The server
# writes sync status too (a new ETag), so a 412 means: re-read, re-apply, retry (spec §3.2).
headers=$(mktemp)
body=$(mktemp)
trap 'rm -f "$headers" "$body"' EXIT
for attempt in 1 2 3 4 5; do
  current=$(api -D "$headers" "$URL/$KUPE_SECRET")
  etag=$(grep -i '^etag:' "$headers" | cut -d' ' -f2 | tr -d '\r')
  new_sync=$(jq -c '.sync + [{ cluster: "staging", namespace: "default" }]' <<<"$current")
  code=$(curl -sS -o "$body" -w '%{http_code}' -X PATCH "${auth[@]}" \
    -H "Content-Type: application/json" -H "If-Match: $etag" \
    "$URL/$KUPE_SECRET" -d "$(jq -n --argjson sync "$new_sync" '{sync: $sync}')")
  [ "$code" != 412 ] && break
  echo "ETag changed meanwhile (attempt $attempt); re-reading"
done
if [ "$code" -ge 400 ]; then
  echo "HTTP $code: $(cat "$body")" >&2
  exit 1
fi
updated=$(cat "$body")
echo "Sync targets: $(jq -r '[.sync[] | "\(.cluster)/\(.namespace)"] | join(",")' <<<"$updated")"

# Reusing the old ETag now fails: someone (we) changed the secret meanwhile.
stale=$(curl -sS -o /dev/null -w '%{http_code}' -X PATCH "${auth[@]}" \
  -H "Content-Type: application/json" -H "If-Match: $etag" \
  "$URL/$KUPE_SECRET" -d '{"sync": []}')
echo "Stale If-Match: $stale"

status=$(api "$URL/$KUPE_SECRET" | jq -c '[.status.syncStatuses[] | {cluster, namespace, phase}]')
echo "Sync statuses: $status"

cleared=$(api -X PATCH -H "Content-Type: application/json" "$URL/$KUPE_SECRET" -d '{"sync": []}')
echo "After clearing: $(jq -c .sync <<<"$cleared")"

code=$(curl -sS -o /dev/null -w '%{http_code}' -X DELETE "${auth[@]}" "$URL/$KUPE_SECRET")
echo "Deleted: $code"
