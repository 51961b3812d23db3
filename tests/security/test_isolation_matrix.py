"""The isolation matrix: every URL pattern and every API operation, as every role of two organizations
and anonymously (issue 13.2).

Two organizations (tests/tenancy/world.py: every text of org B carries ``ORGB``, every tie note its
owner's key) are probed by their seller, manager and admin and by an anonymous client. For each
pattern and operation, enumerated from Django's resolver and the API's OpenAPI schema
(tests/security/matrix.py), the matrix

* reads it with its own organization's ids and with the other organization's ids (in the path,
  and in every id-carrying query parameter): no response may hold the other organization's text
  or a colleague's tie notes, and none may be a server error; a path naming the other
  organization's object is a 404 or 403;
* sends it a forged write (POST to every page; the API's POST, PUT, PATCH and DELETE with a body
  built from its schema) naming the other organization's objects: it is refused (403, 404, or a
  400/422 validation error; the admin's redirect for an object outside its queryset) and no row of
  any table changes.

A pattern or operation the matrix cannot fill fails the plan test (``Untaught``), and the plan
must cover every route; the only lists are tests/security/matrix.py's reviewed ``OWN_ONLY_WRITES``
and ``NO_WRITE``, each entry with its reason.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from revere.levers.models import CoachingGoal
from revere.levers.services.ledger import period_close
from revere.tenancy.models import OrgScoped
from revere.tenancy.tokens import token_create
from tests.security import matrix
from tests.tenancy.world import OrgWorld, build_world

IDENTITIES = [
    ("ORGA", "seller"),
    ("ORGA", "manager"),
    ("ORGA", "admin"),
    ("ORGB", "seller"),
    ("ORGB", "manager"),
    ("ORGB", "admin"),
    (None, "anonymous"),
]
WORLD_MEMBERS = ("seller", "teammate", "other_seller", "manager", "admin")


def _complete(w: OrgWorld) -> None:
    """What the visibility world lacks for the pages: coaching goals, a staff flag for the admin."""
    w.goals = {}  # type: ignore[attr-defined]
    for key, plan in w.plans.items():
        w.goals[key] = CoachingGoal.unrestricted.create(  # type: ignore[attr-defined]
            organization=w.org,
            plan=plan,
            network_class="market",
            metric="size",
            start_value=1,
            target_value=5,
            due_on=timezone.now().date(),
            reason=f"{w.org.name.split()[0]} goal of {key}",
        )
    w.tokens = {  # type: ignore[attr-defined]
        key: token_create(member=w.members[key], name=f"{w.org.name.split()[0]} token of {key}").token
        for key in ("seller", "teammate")
    }
    # A closed month, through the service (its rules are the ones in force).
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    period_close(member=w.members["admin"], month=last_month)
    user = w.members["admin"].user
    user.is_staff = True
    user.save(update_fields=["is_staff"])


@pytest.fixture(scope="module")
def worlds(django_db_setup, django_db_blocker) -> Iterator[dict[str, OrgWorld]]:
    """One world for the whole module, built once and rolled back at the end (each test's own
    transaction is a savepoint inside it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        a, b = build_world()
        for tag, w in (("ORGA", a), ("ORGB", b)):
            _complete(w)
            matrix.complete_world(w, tag)
        Group.objects.create(name="platform group")
        yield {"ORGA": a, "ORGB": b}
        transaction.set_rollback(True)


def forbidden(own: str | None, role: str) -> list[str]:
    """Text this identity must never receive: the other organization's names (every one carries its
    tag), its members' addresses and slug; a colleague's tie notes."""
    if own is None:
        return ["ORGA", "ORGB", "orga.test", "orgb.test", "-note-of-"]
    other = "ORGB" if own == "ORGA" else "ORGA"
    tokens = [other, f"{other.lower()}.test", f"{other.lower()}-corp"]
    tokens += [f"{own}-note-of-{k}-" for k in WORLD_MEMBERS if k != role]
    tokens += [f"{own} token of {k}" for k in WORLD_MEMBERS if k != role]  # API tokens are their member's
    return tokens


def body_of(response: Any) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode("utf-8", errors="replace")


def fingerprint() -> dict[tuple[str, Any], str]:
    """Every row of every table but the sessions, by (table, organization): what writes may not change."""
    out: dict[tuple[str, Any], str] = {}
    for model in apps.get_models(include_auto_created=True):
        if model is Session:
            continue
        manager = model.unrestricted if issubclass(model, OrgScoped) else model._base_manager  # type: ignore[attr-defined]
        rows = list(manager.order_by("pk").values_list())
        if issubclass(model, OrgScoped):
            index = [f.attname for f in model._meta.concrete_fields].index("organization_id")
            by_org: dict[Any, list[Any]] = {}
            for row in rows:
                by_org.setdefault(row[index], []).append(row)
            for org_id, org_rows in by_org.items():
                out[(model._meta.label, org_id)] = repr(org_rows)
        elif model._meta.label == "tenancy.Organization":
            for row in rows:
                out[(model._meta.label, row[0])] = repr(row)
        else:
            out[(model._meta.label, "global")] = repr(rows)
    return out


def write_counter() -> int:
    """How many rows this connection has inserted, updated or deleted so far (one cheap query)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT total_changes()")
        else:
            cursor.execute(
                "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_user_tables"
            )
        return int(cursor.fetchone()[0])


def changed(before: dict, after: dict, *, ignore_org: int | None = None) -> list[str]:
    keys = set(before) | set(after)
    return sorted(
        f"{label}@{org}"
        for label, org in keys
        if before.get((label, org)) != after.get((label, org)) and org != ignore_org
    )


def send(client: Client, probe: matrix.Probe) -> Any:
    if probe.method == "GET":
        return client.get(probe.url)
    if probe.content_type == "application/json":
        payload = json.dumps(probe.data if probe.data is not None else {})
        return client.generic(probe.method, probe.url, payload, content_type="application/json")
    if probe.method == "POST":
        return client.post(probe.url, data=probe.data or {})
    return client.generic(probe.method, probe.url)


def signed_in(worlds: dict[str, OrgWorld], own: str | None, role: str) -> Client:
    client = Client(raise_request_exception=True)
    if own is not None:
        client.force_login(worlds[own].members[role].user)
    return client


TIMINGS: list | None = [] if os.environ.get("MATRIX_TIMINGS") else None

REFUSED = {400, 403, 404, 405, 422}


def verdict(probe: matrix.Probe, response: Any, own: str | None, is_admin_role: bool) -> str | None:
    """Why this response to this probe is wrong, or None."""
    status = response.status_code
    anonymous = own is None
    if anonymous:
        location = response.get("Location", "")
        if status in (401, 403, 404, 405) or (status == 302 and "login" in location):
            return None
        if probe.covers == "favicon.ico" and status == 302:
            return None  # a redirect to the static icon, whatever the method
        if probe.kind != "write" and status in (200, 302) and probe.covers in ANONYMOUS_PAGES:
            return None
        return f"anonymous got {status}"
    if probe.admin and not is_admin_role:
        if probe.covers in ("admin/login/", "admin/logout/"):
            return None  # the admin's sign-in form, and signing out
        location = response.get("Location", "")
        if status in (403, 404, 405) or (status == 302 and "/admin/login/" in location):
            return None
        return f"a non-admin got {status} from the admin"
    if probe.kind == "own":
        return None
    if probe.kind == "other":
        if not probe.path_has_ids:
            return None
        if status in (403, 404, 405):
            return None  # 405: a page that takes only POST refuses the read before any lookup
        if probe.admin and status == 302 and response.get("Location") == "/admin/":
            return None  # Django's admin: an object outside the admin's queryset goes to the index
        if probe.admin and status == 302 and response.get("Location", "").endswith("/change/"):
            return None  # the admin's /<id>/ only redirects to /<id>/change/ (probed on its own)
        return f"the other organization's object answered {status}"
    # forged writes
    if probe.own_write_reason is not None:
        return None
    if probe.admin:
        # The admin re-renders an invalid form (200) and redirects for an object outside its queryset.
        return None if status in REFUSED | {200, 302} else f"the admin answered a forged write with {status}"
    if status in REFUSED:
        return None
    if not probe.path_has_ids and status in (200, 302):
        # A page that names no object in its path: it may ignore the forged body (a list answers a
        # POST as a GET) or show the form again; what matters is that nothing was written.
        return None
    return f"a forged write answered {status}"


#: Pages an anonymous client may read: the sign-in pages and the API's description.
ANONYMOUS_PAGES = {
    "login/",
    "admin/login/",
    "favicon.ico",
    "api/openapi.json",
    "api/docs",
    "admin/jsi18n/",
    "admin/logout/",
}


def run(worlds: dict[str, OrgWorld], own: str | None, role: str, kinds: set[str]) -> tuple[list[str], int]:
    other = "ORGB" if own != "ORGB" else "ORGA"
    own_world = worlds[own] if own is not None else worlds["ORGA"]
    is_admin_role = role == "admin"
    # Org B's identities probe org A's ids and write to org A; their own reads mirror org A's
    # (the same pages over a world built the same way), so they are read from org A's side only.
    own_reads = own != "ORGB" and kinds != {"write"}
    plan = matrix.build_plan(own_world, worlds[other], is_admin=is_admin_role, own_reads=own_reads)
    client = signed_in(worlds, own, role)
    tokens = forbidden(own, role)
    failures: list[str] = []
    sent = 0
    for probe in plan.probes:
        if probe.kind not in kinds:
            continue
        if probe.kind == "own" and not own_reads:
            continue
        writes_before = write_counter() if probe.kind == "write" else None
        sid = transaction.savepoint()
        started = time.perf_counter()
        try:
            response = send(client, probe)
        except Exception as exc:  # a server error: the view raised
            failures.append(
                f"{probe.method} {probe.url} [{probe.kind}]: server error {type(exc).__name__}: {exc}"
            )
            transaction.savepoint_rollback(sid)
            continue
        sent += 1
        if TIMINGS is not None:
            TIMINGS.append((time.perf_counter() - started, probe.method, probe.url))
        text = body_of(response)
        location = response.get("Location", "")
        leaked = [t for t in tokens if t in text or t in location]
        if probe.covers in ANONYMOUS_PAGES and own is None:
            leaked = [t for t in leaked if t != "-note-of-"]
        if leaked:
            failures.append(
                f"{probe.method} {probe.url} [{probe.kind}] {response.status_code}: leaked {leaked}"
            )
        if response.status_code >= 500:
            failures.append(f"{probe.method} {probe.url} [{probe.kind}]: {response.status_code}")
        why = verdict(probe, response, own, is_admin_role)
        if why:
            failures.append(f"{probe.method} {probe.url} [{probe.kind}]: {why}")
        if writes_before is not None and write_counter() != writes_before:
            # Something was written: send the probe again between two fingerprints, to name what.
            transaction.savepoint_rollback(sid)
            sid = transaction.savepoint()
            again = signed_in(worlds, own, role)
            before = fingerprint()
            send(again, probe)
            own_org = own_world.org.pk if (probe.own_write_reason and own is not None) else None
            diff = changed(before, fingerprint(), ignore_org=own_org)
            if diff:
                failures.append(
                    f"{probe.method} {probe.url} [forged write] {response.status_code} changed {diff}"
                )
        transaction.savepoint_rollback(sid)
        if own is not None and probe.covers in SIGNS_OUT:
            client = signed_in(worlds, own, role)
    return failures, sent


#: Reads that end the session (Django's logout answers GET with 405 today; this keeps the matrix
#: signed in whatever it answers).
SIGNS_OUT = {"logout/", "admin/logout/"}


pytestmark = pytest.mark.django_db


def test_the_plan_covers_every_url_pattern_and_api_operation(worlds):
    """Every route of the resolver and every operation of the schema gets requests, for every
    identity; a parameter the matrix cannot fill raises ``Untaught`` here."""
    expected = matrix.all_routes()
    assert len(expected) > 250, "the resolver walk found too few patterns"
    assert matrix.api_routes_without_operation() == []
    for own, role in IDENTITIES:
        own_world = worlds[own] if own else worlds["ORGA"]
        other = worlds["ORGB" if own != "ORGB" else "ORGA"]
        plan = matrix.build_plan(own_world, other, is_admin=role == "admin", own_reads=own != "ORGB")
        covered = {p.covers for p in plan.probes}
        assert covered == expected, (own, role, sorted(expected ^ covered))
        writes = {p.covers for p in plan.probes if p.kind == "write"}
        api_writes = {r for r in expected if r.split(" ")[0] in ("POST", "PUT", "PATCH", "DELETE")}
        assert api_writes <= writes


def test_every_tenant_model_has_rows_in_both_organizations(worlds):
    """The admin's change, delete and history pages are probed with a real row of the other
    organization: the world holds one of every tenant model (add to it with a new model)."""
    missing = []
    for model in apps.get_models():
        if issubclass(model, OrgScoped):
            for tag, w in worlds.items():
                if not model.unrestricted.filter(organization=w.org).exists():  # type: ignore[attr-defined]
                    missing.append(f"{model._meta.label} in {tag}")
    assert missing == [], "\n".join(missing)


@pytest.mark.parametrize(("own", "role"), IDENTITIES, ids=[f"{o or 'anon'}-{r}" for o, r in IDENTITIES])
def test_reads_leak_nothing_and_never_fail(worlds, own, role):
    failures, sent = run(worlds, own, role, {"own", "other"})
    if TIMINGS is not None:
        for t, m, u in sorted(TIMINGS, reverse=True)[:25]:
            print(f"{t:.3f} {m} {u[:100]}")
        print("total", sum(t for t, _, _ in TIMINGS), len(TIMINGS))
    assert sent > 250
    assert failures == [], f"{len(failures)} problems:\n" + "\n".join(failures[:80])


@pytest.mark.parametrize(("own", "role"), IDENTITIES, ids=[f"{o or 'anon'}-{r}" for o, r in IDENTITIES])
def test_forged_writes_are_refused_and_write_nothing(worlds, own, role):
    failures, sent = run(worlds, own, role, {"write"})
    assert sent > 80
    assert failures == [], f"{len(failures)} problems:\n" + "\n".join(failures[:80])
