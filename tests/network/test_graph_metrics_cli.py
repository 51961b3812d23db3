"""`revere graph-metrics`: per-node metrics for any edge list, a summary, and clear errors for bad files."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from revere.network.management.commands.graph_metrics import COLUMNS

pytestmark = pytest.mark.unit

REVERE = Path(sys.executable).with_name("revere")


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("graph_metrics", *args, stdout=out)
    return out.getvalue()


def write(tmp_path: Path, name: str, text: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return str(path)


def test_a_star_prints_one_row_per_node_with_burts_measures(tmp_path):
    edges = write(tmp_path, "e.csv", "from,to\nana,bo\nana,cy\nana,di\n")
    rows = list(csv.DictReader(io.StringIO(run(edges, "--source", "from", "--target", "to"))))
    assert [r["node"] for r in rows] == ["ana", "bo", "cy", "di"]
    ana = rows[0]
    assert ana["degree"] == "3" and float(ana["effective_size"]) == 3.0 and float(ana["efficiency"]) == 1.0
    assert float(ana["constraint"]) == pytest.approx(1 / 3)
    assert float(ana["hierarchy"]) == pytest.approx(0.0, abs=1e-9)
    assert list(rows[0]) == [
        "node",
        "degree",
        "strength",
        "effective_size",
        "efficiency",
        "constraint",
        "hierarchy",
    ]


def test_groups_add_the_five_brokerage_counts_and_isolates_get_null_in_json(tmp_path):
    edges = write(tmp_path, "e.csv", "source,target,w\n1,2,0.5\n2,3,2\n")
    nodes = write(tmp_path, "n.csv", "id,team\n1,x\n2,x\n3,y\n4,y\n")
    data = json.loads(
        run(edges, "--directed", "--weight", "w", "--nodes", nodes, "--group", "team", "--format", "json")
    )
    by_node = {r["node"]: r for r in data}
    assert by_node["2"]["representative"] == 1 and by_node["2"]["coordinator"] == 0
    assert by_node["2"]["strength"] == 2.5
    assert list(by_node["2"])[-5:] == ["coordinator", "itinerant", "gatekeeper", "representative", "liaison"]
    assert by_node["4"]["degree"] == 0 and by_node["4"]["constraint"] is None


def test_summary_prints_nodes_edges_density_reciprocity_and_components(tmp_path):
    edges = write(tmp_path, "e.csv", "source,target\na,b\nb,a\nc,d\n")
    text = run(edges, "--directed", "--summary")
    assert "nodes: 4" in text and "edges: 3" in text and "density: 0.25" in text
    assert "reciprocity: 0.6666666666666666" in text and "components: 2" in text
    undirected = json.loads(run(edges, "--summary", "--format", "json"))
    assert undirected["edges"] == 2 and undirected["reciprocity"] is None


@pytest.mark.parametrize(
    ("content", "extra", "message"),
    [
        ("a,b\n1,2\n", [], r"line 1: no column 'source', 'target'; the header has 'a', 'b'"),
        ("source,target,w\n1,2,0.5\n2,3,lots\n", ["--weight", "w"], r"line 3: w 'lots' is not a number"),
        ("source,target,w\n1,2,-1\n", ["--weight", "w"], r"line 2: w '-1' must be a finite number >= 0"),
        ("source,target\n1,2\n3\n", [], r"line 3: no value in column 'target'"),
        ("source,target\n", [], r"no edges"),
        ("", [], r"the file is empty"),
        (b"source,target\n1,\xff\xfe\n", [], r"not UTF-8"),
        ('source,target\n1,"2\n', [], r"line \d+: "),
    ],
    ids=[
        "missing-column",
        "not-a-number",
        "negative",
        "short-row",
        "no-edges",
        "empty",
        "not-utf8",
        "bad-quote",
    ],
)
def test_a_malformed_file_gets_an_error_naming_the_line(tmp_path, content, extra, message):
    edges = write(tmp_path, "e.csv", content)
    with pytest.raises(CommandError, match=message):
        run(edges, *extra)


def test_node_file_errors_are_named_too(tmp_path):
    edges = write(tmp_path, "e.csv", "source,target\n1,2\n")
    nodes = write(tmp_path, "n.csv", "id,team\n1,x\n1,y\n")
    with pytest.raises(CommandError, match="line 3: node '1' is listed twice"):
        run(edges, "--nodes", nodes, "--group", "team")
    with pytest.raises(CommandError, match="--group needs --nodes"):
        run(edges, "--group", "team")
    with pytest.raises(CommandError, match="cannot read the file"):
        run(str(tmp_path / "missing.csv"))


def test_the_hyphenated_command_exits_with_a_message_and_no_traceback(tmp_path):
    edges = write(tmp_path, "e.csv", "source,target,w\n1,2,x\n")
    done = subprocess.run(
        [str(REVERE), "graph-metrics", edges, "--weight", "w"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1
    assert "line 2: w 'x' is not a number" in done.stderr
    assert "Traceback" not in done.stderr


def test_csv_floats_are_written_exactly_so_reading_them_back_gives_the_same_numbers(tmp_path):
    """The CSV used to round to 10 significant digits (1/3 became 0.3333333333): repr round-trips."""
    edges = write(tmp_path, "e.csv", "source,target,w\na,b,0.1\na,c,0.2\nb,c,0.123456789012345\n")
    as_csv = {r["node"]: r for r in csv.DictReader(io.StringIO(run(edges, "--weight", "w")))}
    as_json = {r["node"]: r for r in json.loads(run(edges, "--weight", "w", "--format", "json"))}
    for node, row in as_json.items():
        for column in ("strength", "effective_size", "efficiency", "constraint", "hierarchy"):
            assert float(as_csv[node][column]) == row[column]
    assert as_csv["b"]["strength"] == repr(0.1 + 0.123456789012345)


def test_a_closed_pipe_ends_the_command_quietly_as_a_unix_tool(tmp_path):
    """`revere graph-metrics ... | head -1` printed a BrokenPipeError traceback."""
    lines = "".join(f"{i % 50},{i}\n" for i in range(40000))
    edges = write(tmp_path, "e.csv", "source,target\n" + lines)
    done = subprocess.run(
        f"'{REVERE}' graph-metrics '{edges}' | head -1; echo \"status ${{PIPESTATUS[0]}}\"",
        shell=True, executable="/bin/bash", capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.stdout.splitlines() == [",".join(COLUMNS), "status 141"]
    assert done.stderr == ""


REFERENCE_ADVICE_CONSTRAINT = (
    "0.216 0.202 0.210 0.213 0.205 0.227 0.201 0.221 0.196 0.211 0.214 0.262 0.263 0.238 0.201 0.257 0.214 "
    "0.192 0.237 0.205 0.203"
)


@pytest.mark.realdata
def test_krackhardt_advice_constraint_matches_the_reference_values(realdata):
    folder = realdata / "networks"
    text = run(
        str(folder / "networkdata__ht_advice.edges.csv"),
        "--directed",
        "--nodes",
        str(folder / "networkdata__ht_advice.nodes.csv"),
        "--group",
        "dept",
    )
    rows = {int(r["node"]): r for r in csv.DictReader(io.StringIO(text))}
    got = " ".join(f"{float(rows[i]['constraint']):.3f}" for i in range(1, 22))
    assert got == REFERENCE_ADVICE_CONSTRAINT
    assert sum(int(r["liaison"]) for r in rows.values()) > 0
