"""Schemathesis hooks for scripts/fuzz.sh (docs/decisions/0022-fuzzing-the-api.md).

Loaded through SCHEMATHESIS_HOOKS. Only what an OpenAPI document cannot say lives here: which
values exist on this server right now, and which requests would lock the fuzzer out of the
tenant it fuzzes with.
"""
import ast
import itertools
import os
import re
import threading

import schemathesis
from hypothesis import strategies as st
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.meta import TestPhase

TENANT = os.environ["KUPE_FUZZ_TENANT"]
KEY_ID = os.environ["KUPE_FUZZ_API_KEY_ID"]
OWNER = os.environ["KUPE_FUZZ_OWNER"]
TENANT_ID = os.environ.get("KUPE_FUZZ_TENANT_ID", "")
PLANS = [p for p in os.environ.get("KUPE_FUZZ_PLANS", "").split(",") if p]
TENANT_NAME = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")

# Every request comes from its own client address (the server trusts the fuzzer as a proxy), so
# the per-IP authentication-failure backoff (spec §4.3) that thousands of deliberately
# unauthenticated requests would trip answers nothing: each case is judged on its own bytes.
_addresses = itertools.count(1)

# CPython 3.11 keeps the AST constructor's recursion depth in per-interpreter state, so two worker
# threads parsing at once (hypothesis parses lambda sources to describe strategies) can fail with
# "SystemError: AST constructor recursion depth mismatch" (python/cpython#106905): a crash of the
# fuzzer, not a finding about the server. Parsing one thread at a time removes the race.
_parse_lock = threading.Lock()
_unlocked_parse = ast.parse


def _serialized_parse(*args, **kwargs):
    with _parse_lock:
        return _unlocked_parse(*args, **kwargs)


ast.parse = _serialized_parse


@schemathesis.hook
def before_call(context, case, kwargs):
    n = next(_addresses)
    case.headers = {**(case.headers or {}), "X-Forwarded-For": f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"}


def _negative(case, location):
    return case.meta is not None and case.meta.is_negative_at(location)


@schemathesis.hook
def filter_case(context, case):
    path = case.operation.path
    method = case.method.upper()
    params = case.path_parameters or {}
    # Requests that would end the run's own access: deleting or suspending the fuzz tenant,
    # revoking its API key, removing or demoting its owner. Other tenants, keys and members —
    # including those the fuzzer creates — are fair game.
    if path.startswith("/api/v1/admin/tenants/{name}") and params.get("name") == TENANT:
        if method == "DELETE" or path.endswith("/suspend"):
            return False
    if path == "/api/v1/tenants/{tenant}/apikeys/{id}" and params.get("id") == KEY_ID:
        return False
    if path == "/api/v1/tenants/{tenant}/members/{email}" and str(params.get("email", "")).lower() == OWNER:
        return False
    if path == "/v1/tenants/{id}" and method == "DELETE" and params.get("id") == TENANT_ID:
        return False
    # Continue tokens are opaque values the server issued (spec §1.4) that no generator can
    # forge: schema-valid cases leave them out (the stateful phase passes real ones along);
    # negative cases still send junk, which must be refused.
    if case.query and "continue" in case.query and not _negative(case, ParameterLocation.QUERY):
        return False
    return True


@schemathesis.hook
def map_case(context, case):
    # Tenant routes are reached in the fuzz tenant: a well-formed tenant name becomes its name
    # (a malformed one stays, and must be refused).
    params = case.path_parameters
    if params and isinstance(params.get("tenant"), str) and TENANT_NAME.fullmatch(params["tenant"]):
        case.path_parameters = {**params, "tenant": TENANT}
    # A plan is a row of the plan catalogue, which the platform operator may change at run time,
    # so the document cannot list them: a well-formed plan name becomes one that exists.
    body = case.body
    if isinstance(body, dict) and isinstance(body.get("plan"), str) and PLANS and body["plan"] not in PLANS:
        case.body = {**body, "plan": PLANS[len(body["plan"]) % len(PLANS)]}
    return case


# Kubernetes quantities in range (formats cpu-quantity / bytes-quantity of the document).
schemathesis.openapi.format(
    "cpu-quantity",
    st.one_of(st.integers(1, 10000).map(str), st.integers(1, 10_000_000).map(lambda n: f"{n}m")),
)
schemathesis.openapi.format(
    "bytes-quantity",
    st.one_of(st.integers(1, 1024).map(lambda n: f"{n}Gi"), st.integers(1, 10**12).map(str), st.integers(1, 1024).map(lambda n: f"{n}Mi")),
)


# The two checks that judge a request by the label it was generated with (positive or negative).
_DATA_CHECKS = {"ST201", "ST202"}


@schemathesis.hook
def filter_failure(context, failure, case, response):
    # The stateful phase chains requests through links schemathesis infers from field names, which
    # feed any response value into any parameter — a null `cluster_id` becomes /v1/clusters/None,
    # a tenant's name a UUID — and it judges a linked path value percent-encoded (an email the
    # server returned, `a@b.co`, is checked as `a%40b.co`), while the case keeps its generated
    # label. So in that phase the two data checks report requests for values schemathesis itself
    # put there; they are dropped there only. The coverage and fuzzing phases run both checks, and
    # every other check (5xx, status codes, content types, headers, schemas) judges every phase.
    if failure.code in _DATA_CHECKS and case.meta is not None and case.meta.phase.name == TestPhase.STATEFUL:
        return False
    return True
