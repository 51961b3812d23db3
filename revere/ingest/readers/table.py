"""CSV text to rows: delimiter sniffing, a header found below any preamble, line numbers, limits."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from revere.ingest.readers.common import clean, formula_issue, is_formula
from revere.ingest.records import ReaderIssue, UnreadableFile
from revere.ingest.textio import MAX_LINE_CHARS, decode_text

DELIMITERS = (",", ";", "\t", "|")
_FORMULA_START = frozenset("=+-@ ")


@dataclass
class Row:
    line: int  # the physical line the row starts on (1-based)
    values: dict[str, str]  # header -> cleaned value

    def get(self, *headers: str) -> str:
        """The first non-empty value among headers, compared case-insensitively."""
        for h in headers:
            v = self.values.get(h)
            if v is None:
                v = self.values.get(_ci(self.values, h), "")
            if v:
                return v
        return ""


def _ci(values: dict[str, str], header: str) -> str:
    low = header.lower()
    for k in values:
        if k.lower() == low:
            return k
    return header


@dataclass
class Table:
    headers: list[str]
    rows: list[Row]
    encoding: str
    delimiter: str
    header_line: int
    issues: list[ReaderIssue] = field(default_factory=list)

    def has(self, *headers: str) -> bool:
        low = {h.lower() for h in self.headers}
        return all(h.lower() in low for h in headers)

    def header(self, name: str) -> str | None:
        for h in self.headers:
            if h.lower() == name.lower():
                return h
        return None


def sniff_delimiter(sample_lines: list[str]) -> str:
    """The delimiter that splits the header line into the most columns consistently."""
    sample = "\n".join(sample_lines[:20])
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS))
        if dialect.delimiter in DELIMITERS:
            return dialect.delimiter
    except csv.Error:
        pass
    first = sample_lines[0] if sample_lines else ""
    counts = {d: first.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _iter_rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(starting line, cells) for each record; a quote left open at the end is a truncated file."""
    for strict in (True, False):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=strict)
        previous_end = 0
        out: list[tuple[int, list[str]]] = []
        try:
            for cells in reader:
                start = previous_end + 1
                previous_end = reader.line_num
                out.append((start, cells))
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                raise UnreadableFile(
                    f"The file is truncated or damaged: a quoted value opened near line {previous_end + 1} "
                    "is never closed.",
                    line=previous_end + 1,
                ) from exc
            if strict:
                continue  # a stray quote inside a value: read leniently
            raise UnreadableFile(
                f"The CSV cannot be parsed near line {previous_end + 1} ({exc}).", line=previous_end + 1
            ) from exc
        yield from out
        return


def read_table(
    data: bytes,
    *,
    max_rows: int,
    is_header: Callable[[list[str]], bool] | None = None,
    preamble_rows: int = 10,
    what: str = "CSV file",
) -> Table:
    """Decode and parse CSV bytes into a Table.

    ``is_header`` recognises the header row among the first ``preamble_rows`` non-empty rows
    (LinkedIn puts three lines of notes above it); without it the first non-empty row is the header.
    """
    text, encoding = decode_text(data, what=what)
    forced = None
    first_line, _, rest = text.partition("\n")
    if first_line.strip().lower().startswith("sep=") and len(first_line.strip()) == 5:
        # Excel's "sep=;" hint line: it names the delimiter and is no row (kept blank for line numbers).
        forced = first_line.strip()[4]
        text = "\n" + rest
    lines = [ln for ln in text[:500_000].splitlines() if ln.strip()][: preamble_rows + 20]
    if not lines:
        raise UnreadableFile(f"The {what} is empty.")
    # Sniff on the lines from the header on, so a preamble sentence does not mislead the sniffer.
    delimiter = forced or ","
    for i, ln in enumerate(lines[:preamble_rows] if forced is None else []):
        d = sniff_delimiter([ln])
        cells = next(csv.reader([ln], delimiter=d), [])
        if is_header is None or is_header([clean(c) for c in cells]):
            delimiter = sniff_delimiter(lines[i : i + 20])
            break

    headers: list[str] | None = None
    header_line = 0
    width = 0
    rows: list[Row] = []
    issues: list[ReaderIssue] = []
    seen_nonempty = 0
    for line, cells in _iter_rows(text, delimiter):
        if headers is None:
            if not any(c.strip() for c in cells):
                continue
            seen_nonempty += 1
            candidate = [clean(c) for c in cells]
            if is_header is None or is_header(candidate):
                headers = _dedupe(candidate)
                width = len(headers)
                header_line = line
                continue
            if seen_nonempty >= preamble_rows:
                raise UnreadableFile(f"No header row found in the first {preamble_rows} rows of the {what}.")
            continue
        if not any(c.strip() for c in cells):
            continue
        if len(rows) >= max_rows:
            raise UnreadableFile(
                f"The {what} has more than {max_rows:,} rows, the limit; split it into smaller files.",
                line=line,
            )
        if len(cells) > len(headers):
            extra = [c for c in cells[len(headers) :] if c.strip()]
            if extra:
                issues.append(
                    ReaderIssue(
                        line, f"{len(cells)} cells for {len(headers)} columns; the extra cells are ignored."
                    )
                )
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        if max(map(len, cells)) > MAX_LINE_CHARS // 10:
            raise UnreadableFile(f"A cell on line {line} of the {what} is absurdly long.", line=line)
        rows.append(Row(line, dict(zip(headers, map(clean, cells), strict=False))))
    if headers is None:
        raise UnreadableFile(f"No header row found in the {what}.")
    return Table(headers, rows, encoding, delimiter, header_line, issues)


def _dedupe(headers: list[str]) -> list[str]:
    out: list[str] = []
    for i, h in enumerate(headers):
        name = h or f"column {i + 1}"
        base, n = name, 2
        while name in out:
            name = f"{base} ({n})"
            n += 1
        out.append(name)
    return out


def formula_warnings(rows: list[Row], *, skip: set[str] | None = None) -> list[ReaderIssue]:
    """A warning for every cell a spreadsheet would run as a formula (the value is kept as text)."""
    issues: list[ReaderIssue] = []
    skip_low = {s.lower() for s in (skip or set())}
    for row in rows:
        for h, v in row.values.items():
            if v and v[0] in _FORMULA_START and h.lower() not in skip_low and is_formula(v):
                issues.append(formula_issue(row.line, h, v))
    return issues
