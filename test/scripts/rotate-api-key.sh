#!/usr/bin/env bash
# Guide "Set Up an API Key for CI/CD": create a key, list keys (metadata only), rotate without
# downtime (new key, check it works, revoke the old one) and show that revocation is immediate.
#   KUPE_API, KUPE_API_KEY (admin), KUPE_TENANT as in create-cluster.sh; KUPE_KEY_NAME (default ci-deploy)
set -euo pipefail

KUPE_API="${KUPE_API:-https://api.kupe.cloud/api/v1}"
: "${KUPE_API_KEY:?set KUPE_API_KEY}" "${KUPE_TENANT:?set KUPE_TENANT}"
NAME="${KUPE_KEY_NAME:-ci-deploy}"
URL="$KUPE_API/tenants/$KUPE_TENANT/apikeys"
ADMIN_API_KEY="$KUPE_API_KEY"

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

create_key() {
  api -X POST \
    -H "Content-Type: application/json" \
    "$URL" \
    -d "$(jq -n --arg name "$1" '{displayName: $name, role: "readonly"}')"
}
status_with() {
  curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $1" "$KUPE_API/tenants/$KUPE_TENANT"
}

old=$(create_key "$NAME")
OLD_KEY=$(jq -r .key <<<"$old")
echo "Created $(jq -r .id <<<"$old") ($NAME)"

# The list never shows raw keys; find the key to rotate by its displayName.
OLD_ID=$(api "$URL" \
  | jq -r --arg name "$NAME" '[.items[] | select(.displayName == $name)][0].id')
echo "Found $OLD_ID by displayName"
leaked=$(api "$URL" | grep -c "$OLD_KEY" || true)
echo "Raw keys in the list: $leaked"

# 1. a second key, 2. switch clients over, 3. check it works, 4. revoke the old one.
new=$(create_key "$NAME-new")
NEW_KEY=$(jq -r .key <<<"$new")
echo "New key works: $(status_with "$NEW_KEY")"
code=$(curl -sS -o /dev/null -w '%{http_code}' -X DELETE -H "Authorization: Bearer $ADMIN_API_KEY" "$URL/$OLD_ID")
echo "Revoked $OLD_ID: $code"
echo "Old key now: $(status_with "$OLD_KEY")"
echo "New key still: $(status_with "$NEW_KEY")"
