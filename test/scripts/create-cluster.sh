#!/usr/bin/env bash
# Guide "Create a Cluster": create a cluster, poll until it is Running, fetch its connection
# details. Exits non-zero on failure or timeout, so it is safe in CI.
#   KUPE_API        base URL including /api/v1 (default https://api.kupe.cloud/api/v1)
#   KUPE_API_KEY    an admin API key of the tenant
#   KUPE_TENANT     the tenant name
#   KUPE_CLUSTER    cluster name (default production)
#   KUPE_POLL_INTERVAL, KUPE_TIMEOUT_SECONDS   polling (default 10 s, 900 s)
set -euo pipefail

KUPE_API="${KUPE_API:-https://api.kupe.cloud/api/v1}"
: "${KUPE_API_KEY:?set KUPE_API_KEY}" "${KUPE_TENANT:?set KUPE_TENANT}"
KUPE_CLUSTER="${KUPE_CLUSTER:-production}"
INTERVAL="${KUPE_POLL_INTERVAL:-10}"
TIMEOUT_SECONDS="${KUPE_TIMEOUT_SECONDS:-900}"

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

created=$(api -X POST \
  -H "Content-Type: application/json" \
  "$KUPE_API/tenants/$KUPE_TENANT/clusters" \
  -d "$(jq -n --arg name "$KUPE_CLUSTER" '{
    name: $name,
    displayName: "Production",
    type: "shared",
    resources: { cpu: "2", memory: "4Gi", storage: "20Gi" }
  }')")
echo "Created cluster $(jq -r .name <<<"$created") (phase $(jq -r .status.phase <<<"$created"), resourceVersion $(jq -r .resourceVersion <<<"$created"))"

SECONDS=0
while [ "$SECONDS" -lt "$TIMEOUT_SECONDS" ]; do
  PHASE=$(api \
    "$KUPE_API/tenants/$KUPE_TENANT/clusters/$KUPE_CLUSTER" \
    | jq -r '.status.phase')
  echo "Phase: $PHASE (elapsed ${SECONDS}s)"
  case "$PHASE" in
    Running)
      echo "Cluster is ready!"
      break
      ;;
    Failed|Error)
      echo "Cluster provisioning failed (phase: $PHASE)" >&2
      exit 1
      ;;
  esac
  sleep "$INTERVAL"
done
if [ "$PHASE" != "Running" ]; then
  echo "Timed out waiting for cluster after ${TIMEOUT_SECONDS}s" >&2
  exit 1
fi

conn=$(api \
  "$KUPE_API/tenants/$KUPE_TENANT/clusters/$KUPE_CLUSTER/kubeconfig")
echo "Endpoint: $(jq -r .endpoint <<<"$conn")"
ca=$(jq -r .certificateAuthority <<<"$conn" | base64 -d | head -n 1)
echo "CA: $ca"
