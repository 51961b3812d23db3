"""The isolation matrix's plan: every URL pattern and every API operation, turned into requests.

The URL patterns come from walking Django's resolver (the admin included), the API operations from
the NinjaAPI's OpenAPI schema; nothing is listed by hand. Each pattern's parameters are filled from
the world of tests/tenancy/world.py by their names (:data:`PATH_PARAMS`), so a new page or
operation is exercised as soon as it exists — and a parameter or body field the matrix cannot fill
is an error naming the table to teach, never a silent skip.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from revere.contacts.models import Person
from revere.deals.models import ReferenceUse
from revere.tenancy.models import Organization, OrgScoped
from tests.tenancy.world import OrgWorld


class Untaught(AssertionError):
    """A URL parameter or body field the matrix does not know how to fill: teach it, never skip."""


@dataclass(frozen=True)
class UrlPattern:
    route: str  # the full route as Django spells it, e.g. "contacts/<int:person_id>/"
    name: str | None
    namespace: str | None
    model_admin: Any = None
    is_regex: bool = False


@dataclass
class Probe:
    method: str
    url: str
    covers: str  # the route (web/admin) or "METHOD /api/path" (API operation) this request exercises
    kind: str  # "own" (read with own ids), "other" (read with the other org's ids), "write" (forged)
    path_has_ids: bool = False
    data: Any = None
    content_type: str | None = None
    own_write_reason: str | None = None  # a reviewed write that names no object (see OWN_ONLY_WRITES)
    admin: bool = False


# ---- enumeration -------------------------------------------------------------------------------


@functools.cache
def url_patterns() -> list[UrlPattern]:
    """Every URL pattern Django resolves, with its full route; the API's views are listed once each
    here and exercised through their operations (:func:`api_operations`)."""
    out: list[UrlPattern] = []

    def walk(resolver: URLResolver, prefix: str, namespace: str | None, regex: bool) -> None:
        for p in resolver.url_patterns:
            pattern_regex = regex or type(p.pattern).__name__ == "RegexPattern"
            if isinstance(p, URLResolver):
                walk(p, prefix + str(p.pattern), p.namespace or namespace, pattern_regex)
            elif isinstance(p, URLPattern):
                out.append(
                    UrlPattern(
                        route=prefix + str(p.pattern),
                        name=p.name,
                        namespace=namespace,
                        model_admin=getattr(p.callback, "model_admin", None),
                        is_regex=pattern_regex,
                    )
                )

    walk(get_resolver(), "", None, False)
    return out


@functools.cache
def api_operations() -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """(METHOD, /api/path, operation, the whole schema) for every operation of the OpenAPI schema."""
    from config.api import api

    schema = api.get_openapi_schema()
    ops = []
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            ops.append((method.upper(), path, op, schema))
    return ops


# ---- filling parameters ------------------------------------------------------------------------

ROUTE_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
API_PARAM = re.compile(r"\{(\w+)\}")


def _month() -> str:
    return f"{timezone.now():%Y-%m}"


#: URL path parameters by name: the objects of a world whose ids go into the path. Several objects
#: for own reads (a teammate's private tie, a person only a teammate knows); the first for probes.
PATH_PARAMS: dict[str, Any] = {
    "person_id": lambda w: [w.persons["p1"], w.persons["p4"]],
    "a_id": lambda w: [w.persons["p1"]],
    "b_id": lambda w: [w.persons["p2"]],
    "company_id": lambda w: [w.companies["acme"], w.companies["globex"]],
    "contribution_id": lambda w: [w.contributions["seller"], w.contributions["teammate"]],
    "merge_id": lambda w: [w.merges["p1"]],
    "job_id": lambda w: [w.import_jobs["seller"], w.import_jobs["teammate"]],
    "candidate_id": lambda w: [w.candidates["p3p4"]],
    "tie_id": lambda w: [w.ties["seller_p1_team"], w.ties["teammate_p4_private"]],
    "plan_id": lambda w: [w.plans["seller"], w.plans["teammate"]],
    "goal_id": lambda w: [w.goals["seller"], w.goals["teammate"]],
    "deal_id": lambda w: [w.deals["seller"], w.deals["shared"], w.deals["other_seller"]],
    "member_id": lambda w: [w.members["seller"], w.members["teammate"]],
    "team_id": lambda w: [w.teams["alpha"]],
    "use_id": lambda w: [row_of(ReferenceUse, w)],
}

#: Path parameters that name no object of an organization (a value, not an id).
VALUE_PARAMS: dict[str, Any] = {
    "network_class": lambda: "market",
    "period": _month,
}

#: Ids in query strings and form bodies, by field name: the object whose id a forged request
#: sends. (Body fields of the API are read from its schema; see :func:`api_body`.)
FIELD_IDS: dict[str, Any] = {
    "person": lambda w: w.persons["p1"],
    "person_id": lambda w: w.persons["p1"],
    "to": lambda w: w.persons["p1"],
    "with": lambda w: w.persons["p1"],
    "participants": lambda w: w.persons["p1"],
    "a": lambda w: w.persons["p1"],
    "b": lambda w: w.persons["p2"],
    "keep": lambda w: w.persons["p1"],
    "keep_id": lambda w: w.persons["p1"],
    "merge": lambda w: w.persons["p2"],
    "merge_id": lambda w: w.persons["p2"],
    "reports_to": lambda w: w.persons["p2"],
    "reports_to_id": lambda w: w.persons["p2"],
    "company": lambda w: w.companies["acme"],
    "company_id": lambda w: w.companies["acme"],
    "parent": lambda w: w.companies["acme"],
    "parent_id": lambda w: w.companies["acme"],
    "introducer": lambda w: w.members["seller"],
    "introducer_id": lambda w: w.members["seller"],
    "member": lambda w: w.members["seller"],
    "member_id": lambda w: w.members["seller"],
    "owner": lambda w: w.members["seller"],
    "owner_id": lambda w: w.members["seller"],
    "team": lambda w: w.teams["alpha"],
    "team_id": lambda w: w.teams["alpha"],
    "deal": lambda w: w.deals["seller"],
    "deal_id": lambda w: w.deals["seller"],
    "candidate": lambda w: w.candidates["p3p4"],
    "tie": lambda w: w.ties["seller_p1_team"],
    "plan": lambda w: w.plans["seller"],
    "goal": lambda w: w.goals["seller"],
}

#: Values that make a forged form otherwise valid, so that the ids are what is refused.
FORM_VALUES: dict[str, Any] = {
    "kind": "meeting",
    "subject": "forged",
    "full_name": "forged",
    "first_name": "forged",
    "name": "forged",
    "notes": "forged",
    "status": "prospect",
    "decision": "merge",
    "how_well": "strong",
    "tie-how_well": "strong",
    "tie-visibility": "team",
    "visibility": "team",
    "add_tie": "on",
    "network_class": "market",
    "metric": "size",
    "target_value": "5",
    "due_on": "2030-01-01",
    "days": "7",
    "cadence_days": "30",
    "post": "yes",
}

#: Writes whose URL and body name no object of any organization: what they change is the acting
#: member's own organization by construction. The forged request is still sent (with every id
#: field of the other organization); it may write its own organization's rows, but the other
#: organization and every global row must be unchanged. Reviewed: each with its reason.
OWN_ONLY_WRITES: dict[str, str] = {
    "PUT /api/targets/{network_class}": "the organization's network targets, keyed by a network class",
    "DELETE /api/targets/{network_class}": "resets the organization's target for a network class",
    "PUT /api/ledger/rules": "the organization's credit rules (one row per organization)",
    "POST /api/ledger/periods/{period}/close": "closes a month of the organization's ledger",
    "POST /api/imports": "uploads a file into a new import job of the member",
    "targets/": "the organization's targets form",
    "ledger/rules/": "the organization's credit rules form",
    "ledger/periods/<str:period>/close/": "closes a month of the organization's ledger",
    "import/": "uploads a file into a new import job of the member",
}

#: URL patterns no forged write is sent to, with the reason. Reads are sent to all of them.
NO_WRITE: dict[str, str] = {
    "logout/": "ends the session (no tenant data); the reads still request it",
    "login/": "signs in; tested by tests/security/test_lockout.py",
    "admin/login/": "the admin's sign-in (Django's own form)",
    "admin/logout/": "ends the session (no tenant data)",
}


def fill_route(pattern: UrlPattern, w: OrgWorld, *, all_objects: bool) -> list[tuple[str, bool]]:
    """The URLs of ``pattern`` with ``w``'s objects in the path; (url, path names an object)."""
    route = pattern.route
    if pattern.is_regex:
        if "(?P<app_label>" in route:
            return [("/admin/tenancy/", False)]
        if "(?P<url>" in route:
            return [("/admin/no-such-page/", False)]
        raise Untaught(f"regex URL pattern {route!r}: teach tests/security/matrix.py:fill_route()")
    names = [m.group(2) for m in ROUTE_PARAM.finditer(route)]
    if not names:
        return [("/" + route, False)]
    if pattern.namespace == "admin":
        values = admin_params(pattern, names, w)
        return [("/" + _substitute(route, v), True) for v in values]
    choices: list[dict[str, Any]] = [{}]
    for name in names:
        if name in VALUE_PARAMS:
            choices = [{**c, name: VALUE_PARAMS[name]()} for c in choices]
        elif name in PATH_PARAMS:
            objs = PATH_PARAMS[name](w)
            objs = objs if all_objects else objs[:1]
            choices = [{**c, name: o.pk} for c in choices for o in objs]
        else:
            raise Untaught(
                f"URL parameter {name!r} of {route!r}: add it to PATH_PARAMS in tests/security/matrix.py"
            )
    has_ids = any(n in PATH_PARAMS for n in names)
    return [("/" + _substitute(route, c), has_ids) for c in choices]


def _substitute(route: str, values: dict[str, Any]) -> str:
    return ROUTE_PARAM.sub(lambda m: str(values[m.group(2)]), route)


def row_of(model: type[Model], w: OrgWorld) -> Model | None:
    """One row of ``model`` in ``w``'s organization (the first by id)."""
    if model is Organization:
        return w.org
    if issubclass(model, OrgScoped):
        return model.unrestricted.filter(organization=w.org).order_by("pk").first()  # type: ignore[attr-defined]
    if model._meta.label == "auth.User":
        return w.members["seller"].user
    if model is Group:
        return Group.objects.order_by("pk").first()
    return None


def admin_params(pattern: UrlPattern, names: list[str], w: OrgWorld) -> list[dict[str, Any]]:
    if names == ["object_id"] and pattern.model_admin is not None:
        model = pattern.model_admin.model
        row = row_of(model, w)
        if row is None:
            if issubclass(model, OrgScoped) or model is Organization:
                raise Untaught(f"the world has no {model._meta.label} row: add one in tests/security")
            return [{"object_id": "00000000-0000-0000-0000-000000000000"}]  # global, empty table
        return [{"object_id": row.pk}]
    if names == ["content_type_id", "object_id"]:
        return [
            {"content_type_id": ContentType.objects.get_for_model(Person).pk, "object_id": w.persons["p1"].pk}
        ]
    if names == ["id"] and pattern.route.startswith("admin/auth/user/"):
        return [{"id": w.members["seller"].user.pk}]
    raise Untaught(f"admin URL {pattern.route!r}: teach tests/security/matrix.py:admin_params()")


def query_ids(w: OrgWorld) -> dict[str, Any]:
    """Every id-carrying query parameter a page might read, with ``w``'s ids (for probes)."""
    return {name: pick(w).pk for name, pick in FIELD_IDS.items()}


def forged_form(w: OrgWorld) -> dict[str, Any]:
    """A form body whose every id field names ``w``'s objects and whose other fields are valid."""
    data: dict[str, Any] = dict(FORM_VALUES)
    for name, pick in FIELD_IDS.items():
        data[name] = pick(w).pk
    data["with"] = [w.persons["p1"].pk, w.persons["p2"].pk]
    return data


def admin_forged(model: type[Model], w: OrgWorld) -> dict[str, Any]:
    """An admin add or change form for ``model`` whose every relation names ``w``'s rows."""
    data: dict[str, Any] = {"organization": w.org.pk}
    for fld in model._meta.get_fields():
        if not getattr(fld, "concrete", False):
            continue
        if fld.is_relation and (fld.many_to_one or fld.one_to_one):
            row = row_of(fld.related_model, w)
            if row is not None:
                data[fld.name] = row.pk
        elif fld.is_relation and fld.many_to_many:
            row = row_of(fld.related_model, w)
            if row is not None:
                data[fld.name] = [row.pk]
    return data


# ---- API bodies from the schema -----------------------------------------------------------------


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    if "anyOf" in node:
        options = [o for o in node["anyOf"] if o.get("type") != "null"]
        node = _resolve(schema, options[0]) if options else {"type": "null"}
    if "allOf" in node and len(node["allOf"]) == 1:
        node = _resolve(schema, node["allOf"][0])
    return node


def _is_id_field(name: str) -> bool:
    return name.endswith("_id") or name.endswith("_ids") or name in FIELD_IDS


def api_value(schema: dict[str, Any], name: str, node: dict[str, Any], w: OrgWorld, where: str) -> Any:
    node = _resolve(schema, node)
    kind = node.get("type")
    if kind == "object" and "properties" in node:
        return {k: api_value(schema, k, v, w, where) for k, v in node["properties"].items()}
    if kind == "integer" and _is_id_field(name):
        if name not in FIELD_IDS:
            raise Untaught(f"id field {name!r} of {where}: add it to FIELD_IDS in tests/security/matrix.py")
        return FIELD_IDS[name](w).pk
    if kind == "array":
        items = _resolve(schema, node.get("items", {}))
        if items.get("type") == "integer":
            if name not in FIELD_IDS:
                raise Untaught(
                    f"id list {name!r} of {where}: add it to FIELD_IDS in tests/security/matrix.py"
                )
            return [FIELD_IDS[name](w).pk]
        if items.get("format") == "binary":
            return []
        return []
    if "enum" in node:
        return node["enum"][0]
    if "default" in node and node["default"] is not None:
        return node["default"]
    if kind == "integer":
        return max(1, int(node.get("minimum", 1)))
    if kind == "number":
        return float(node.get("minimum", 0.5)) if "minimum" in node else 0.5
    if kind == "boolean":
        return False
    if kind == "string":
        if node.get("format") == "date":
            return "2030-01-01"
        if node.get("format") == "date-time":
            return "2030-01-01T10:00:00Z"
        return FORM_VALUES.get(name, "forged")
    if kind == "object":
        return {}
    return None


def api_body(op: dict[str, Any], schema: dict[str, Any], w: OrgWorld, where: str) -> tuple[Any, str | None]:
    content = op.get("requestBody", {}).get("content", {})
    if not content:
        return None, None
    if "application/json" in content:
        node = content["application/json"]["schema"]
        return api_value(schema, "body", node, w, where), "application/json"
    if "multipart/form-data" in content:
        node = _resolve(schema, content["multipart/form-data"]["schema"])
        body = {}
        for k, v in node.get("properties", {}).items():
            value = api_value(schema, k, v, w, where)
            if value != []:
                body[k] = value
        return body, "multipart"
    raise Untaught(f"request body {sorted(content)} of {where}: teach tests/security/matrix.py:api_body()")


def api_url(
    path: str, op: dict[str, Any], w: OrgWorld, *, all_objects: bool, probe: bool
) -> list[tuple[str, bool]]:
    """The operation's URLs with ``w``'s ids in the path (and, for probes, in id query params)."""
    choices: list[dict[str, Any]] = [{}]
    has_ids = False
    for name in API_PARAM.findall(path):
        if name in VALUE_PARAMS:
            choices = [{**c, name: VALUE_PARAMS[name]()} for c in choices]
        elif name in PATH_PARAMS:
            has_ids = True
            objs = PATH_PARAMS[name](w)
            objs = objs if all_objects else objs[:1]
            choices = [{**c, name: o.pk} for c in choices for o in objs]
        else:
            raise Untaught(
                f"API path parameter {name!r} of {path}: add it to PATH_PARAMS in tests/security/matrix.py"
            )
    query: dict[str, Any] = {}
    for param in op.get("parameters", []):
        if param["in"] != "query":
            continue
        name = param["name"]
        if name in FIELD_IDS and (probe or param.get("required")):
            query[name] = FIELD_IDS[name](w).pk
        elif param.get("required"):
            if name in FIELD_IDS:
                query[name] = FIELD_IDS[name](w).pk
            else:
                raise Untaught(f"required query parameter {name!r} of {path}: teach tests/security/matrix.py")
    from urllib.parse import urlencode

    qs = ("?" + urlencode(query, doseq=True)) if query else ""
    return [(_fill_api(path, c) + qs, has_ids) for c in choices]


def _fill_api(path: str, values: dict[str, Any]) -> str:
    return API_PARAM.sub(lambda m: str(values[m.group(1)]), path)


@dataclass
class Plan:
    probes: list[Probe] = field(default_factory=list)
    covered: set[str] = field(default_factory=set)


def build_plan(own: OrgWorld, other: OrgWorld, *, is_admin: bool, own_reads: bool = True) -> Plan:
    """Every request of one identity: reads with own ids (``own_reads``) and with the other
    organization's ids, and a forged write to every write operation and page.

    The admin's pages are read and written in full by the admin role only; every other identity
    reads each of them once with the other organization's ids, which proves the door is shut (the
    admin site refuses anyone but staff before any view runs, whatever the method)."""
    from urllib.parse import urlencode

    plan = Plan()
    add = plan.probes.append
    for pattern in url_patterns():
        if pattern.namespace and pattern.namespace.startswith("api-"):
            continue  # exercised by operation below
        is_admin_url = pattern.namespace == "admin"
        covers = pattern.route
        plan.covered.add(covers)
        door_only = is_admin_url and not is_admin
        if own_reads and not door_only:
            for url, _ in fill_route(pattern, own, all_objects=not is_admin_url):
                add(Probe("GET", url, covers, "own", admin=is_admin_url))
        for url, has_ids in fill_route(pattern, other, all_objects=False):
            if door_only:
                add(Probe("GET", url, covers, "other", path_has_ids=has_ids, admin=True))
                continue
            if has_ids or not is_admin_url or not own_reads:  # the admin reads no ids from queries
                probe_url = url if has_ids else url + "?" + urlencode(query_ids(other))
                add(Probe("GET", probe_url, covers, "other", path_has_ids=has_ids, admin=is_admin_url))
            if covers in NO_WRITE:
                continue
            if is_admin_url:
                data = _admin_write(pattern, other, is_admin=is_admin)
                if data is None:
                    continue
                add(Probe("POST", url, covers, "write", path_has_ids=has_ids, data=data, admin=True))
            else:
                add(
                    Probe(
                        "POST",
                        url,
                        covers,
                        "write",
                        path_has_ids=has_ids,
                        data=forged_form(other),
                        own_write_reason=OWN_ONLY_WRITES.get(covers),
                    )
                )
    for pattern in url_patterns():
        if (
            pattern.namespace
            and pattern.namespace.startswith("api-")
            and pattern.name
            in (
                "openapi-json",
                "openapi-view",
                "api-root",
            )
        ):
            plan.covered.add(pattern.route)
            add(Probe("GET", "/" + pattern.route, pattern.route, "own"))
    for method, path, op, schema in api_operations():
        covers = f"{method} {path}"
        plan.covered.add(covers)
        if method == "GET":
            if own_reads:
                for url, _ in api_url(path, op, own, all_objects=True, probe=False):
                    add(Probe("GET", url, covers, "own"))
            for url, has_ids in api_url(path, op, other, all_objects=False, probe=True):
                add(Probe("GET", url, covers, "other", path_has_ids=has_ids))
            continue
        body, content_type = api_body(op, schema, other, covers)
        for url, has_ids in api_url(path, op, other, all_objects=False, probe=True):
            add(
                Probe(
                    method,
                    url,
                    covers,
                    "write",
                    path_has_ids=has_ids,
                    data=body,
                    content_type=content_type,
                    own_write_reason=OWN_ONLY_WRITES.get(covers),
                )
            )
    return plan


def _admin_write(pattern: UrlPattern, other: OrgWorld, *, is_admin: bool) -> dict[str, Any] | None:
    """The forged admin write for a pattern: an add whose relations are the other org's rows, a
    change or delete of the other org's row, a bulk delete naming its ids."""
    ma = pattern.model_admin
    name = pattern.name or ""
    if ma is None:
        return {"post": "yes"} if is_admin else None
    model = ma.model
    if name.endswith("_add") or name.endswith("_change"):
        return admin_forged(model, other)
    if name.endswith("_delete"):
        return {"post": "yes"}
    if name.endswith("_changelist"):
        row = row_of(model, other)
        return {"action": "delete_selected", "_selected_action": [row.pk] if row else [], "post": "yes"}
    return None  # history, the object redirect: reads only


def all_routes() -> set[str]:
    """What must be covered: every URL pattern's route and every API operation."""
    routes = {p.route for p in url_patterns() if not (p.namespace or "").startswith("api-")}
    routes |= {
        p.route
        for p in url_patterns()
        if (p.namespace or "").startswith("api-") and p.name in ("openapi-json", "openapi-view", "api-root")
    }
    routes |= {f"{m} {p}" for m, p, _, _ in api_operations()}
    return routes


def api_routes_without_operation() -> list[str]:
    """API URL patterns that are neither an operation of the schema nor the docs: unexercisable."""
    from config.api import api

    known = {"openapi-json", "openapi-view", "api-root"}
    op_paths = {re.sub(r"\{(\w+)\}", r"<\1>", p.removeprefix("/api/")) for _, p, _, _ in api_operations()}
    prefix = "api/"
    missing = []
    for p in url_patterns():
        if not (p.namespace or "").startswith("api-") or p.name in known:
            continue
        if p.route.removeprefix(prefix) not in op_paths:
            missing.append(p.route)
    del api
    return missing


def admin_models() -> list[type[Model]]:
    return list(admin.site._registry)


# ---- a row of every tenant model ------------------------------------------------------------------


def complete_world(w: OrgWorld, tag: str) -> list[str]:
    """Give ``w`` one row of every tenant model it lacks, built from the model's fields: text fields
    carry ``tag`` (so a leak of the row shows), relations point at ``w``'s rows, a one-to-one at a
    new row. A model added later gets its row without teaching; returns the models filled."""
    from django.apps import apps

    filled = []
    for model in apps.get_models():
        if not issubclass(model, OrgScoped) or model._meta.proxy:
            continue
        if model.unrestricted.filter(organization=w.org).exists():  # type: ignore[attr-defined]
            continue
        model.unrestricted.create(**generic_fields(model, w, tag))  # type: ignore[attr-defined]
        filled.append(model._meta.label)
    return filled


def generic_fields(model: type[Model], w: OrgWorld, tag: str) -> dict[str, Any]:
    from django.db import models as m

    values: dict[str, Any] = {"organization": w.org}
    for fld in model._meta.concrete_fields:
        if fld.name in values or fld.primary_key or getattr(fld, "auto_now", False):
            continue
        if getattr(fld, "auto_now_add", False):
            continue
        if fld.is_relation:
            if fld.null and not fld.one_to_one:
                continue
            related = fld.related_model
            if fld.one_to_one:
                values[fld.name] = fresh_row(related, w, tag)
            else:
                row = row_of(related, w)
                values[fld.name] = row if row is not None else fresh_row(related, w, tag)
            continue
        if fld.has_default() or fld.null:
            continue
        if fld.choices:
            values[fld.name] = fld.choices[0][0]
        elif isinstance(fld, m.CharField | m.TextField):
            values[fld.name] = f"{tag} {model._meta.model_name} {fld.name}"[: fld.max_length or 200]
        elif isinstance(fld, m.DateTimeField):
            values[fld.name] = timezone.now()
        elif isinstance(fld, m.DateField):
            values[fld.name] = timezone.now().date()
        elif isinstance(fld, m.IntegerField | m.FloatField | m.DecimalField):
            values[fld.name] = 1
        elif isinstance(fld, m.BooleanField):
            values[fld.name] = False
        elif isinstance(fld, m.JSONField):
            values[fld.name] = {}
        elif isinstance(fld, m.BinaryField):
            values[fld.name] = f"{tag} file".encode()
        else:
            raise Untaught(f"{model._meta.label}.{fld.name}: teach tests/security/matrix.py:generic_fields()")
    return values


def fresh_row(model: type[Model], w: OrgWorld, tag: str) -> Model:
    """A new row of ``model`` (for a one-to-one key)."""
    if model is Person:
        n = Person.unrestricted.filter(organization=w.org).count()
        name = f"{tag} extra person {n}"
        return Person.unrestricted.create(organization=w.org, full_name=name, normalized_name=name.lower())
    if issubclass(model, OrgScoped):
        return model.unrestricted.create(**generic_fields(model, w, tag))  # type: ignore[attr-defined]
    raise Untaught(f"a fresh {model._meta.label} row: teach tests/security/matrix.py:fresh_row()")
