"""Exports hold exactly what the member may see; graphs open in networkx (as in Gephi); CSV is safe."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest
from django.core.management import call_command
from django.urls import reverse

from revere.ingest.exporters import export_render, neutralize
from tests.factories import PASSWORD
from tests.tenancy.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    a, _ = build_world()
    return a


@pytest.mark.parametrize("fmt", ["csv", "json", "vcard", "graphml", "gexf"])
def test_no_export_holds_another_organization_or_anothers_notes(world, fmt):
    seller = world.members["seller"]
    text = export_render(member=seller, format=fmt).content.decode("utf-8")

    assert "ORGB" not in text
    assert "ORGA-note-of-seller-p1" in text or fmt in ("graphml", "gexf")
    for other in ("teammate", "other_seller", "manager"):
        assert f"ORGA-note-of-{other}" not in text


def test_json_has_own_ties_in_full_teammates_team_ties_as_bands_and_no_private_ones(world):
    seller = world.members["seller"]
    data = json.loads(export_render(member=seller, format="json").content)
    ties = {(t["member"], t["person_id"]): t for t in data["ties"]}

    own = ties[("ORGA seller", world.persons["p1"].pk)]
    assert own["strength"] == 0.7 and own["notes"] == "ORGA-note-of-seller-p1"
    team = ties[("ORGA teammate", world.persons["p2"].pk)]
    assert team["strength"] is None and team["notes"] is None and team["band"] == "strong"
    assert ("ORGA teammate", world.persons["p4"].pk) not in ties  # private
    assert not any(t["member"] == "ORGA otherseller" for t in data["ties"])  # outside the team


def test_graphml_and_gexf_read_back_with_attributes_and_weights(world):
    seller = world.members["seller"]
    for fmt, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        content = export_render(member=seller, format=fmt).content
        g = read(io.BytesIO(content))
        p1 = f"p{world.persons['p1'].pk}"
        assert g.nodes[p1]["company"] == "ORGA Acme"
        assert g.nodes[p1]["network_class"] == "market"
        assert g.nodes[p1]["strength"] == pytest.approx(0.7)
        me = f"p{seller.person_id}"
        assert g.edges[me, p1]["weight"] == pytest.approx(0.7)
        assert g.number_of_edges() >= 3


def test_csv_cells_that_would_run_as_formulas_are_neutralized(world):
    person = world.persons["p1"]
    person.title = '=HYPERLINK("http://evil","click")'
    person.location = "+1-555"
    person.save()
    content = export_render(member=world.members["seller"], format="csv").content.decode("utf-8-sig")
    rows = {r["full_name"]: r for r in csv.DictReader(io.StringIO(content))}

    assert rows["ORGA person p1"]["title"].startswith("'=")
    assert rows["ORGA person p1"]["location"] == "'+1-555"
    assert neutralize("@SUM(A1)") == "'@SUM(A1)" and neutralize("\tx") == "'\tx" and neutralize("ok") == "ok"


def test_the_export_command_writes_a_file(world, tmp_path):
    out = tmp_path / "net.gexf"
    call_command("export", "--as", "seller@orga.test", "--format", "gexf", "--out", str(out))
    assert nx.read_gexf(out).number_of_nodes() > 0


def test_the_export_link_downloads_a_file(client, world):
    client.login(username="seller@orga.test", password=PASSWORD)
    response = client.get(reverse("export"), {"format": "vcard"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"BEGIN:VCARD" in response.content
    assert client.get(reverse("export"), {"format": "exe"}).status_code == 400
