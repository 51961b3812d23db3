"""Import benchmark: 100,000 contacts from CSV and an mbox of 50,000 messages (generated).

Measures, in one run: a plain ``csv.reader`` pass over the same file (the floor), the reader
(file -> records), and the whole import (identity resolution, the atomic write) into a scratch
SQLite database; prints rows per second and the ratio to the plain read. Target (issue 4): the
100,000-row CSV, identity resolution included, in under 60 seconds.

    .venv/bin/python -m bench.bench_import [--contacts N] [--messages N] [--keep]

or through the bench runner (``python -m bench``), which calls :func:`run`.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from email.utils import format_datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIRST = [
    "Ada",
    "Alan",
    "Grace",
    "Linus",
    "Ken",
    "Barbara",
    "Edsger",
    "Donald",
    "Margaret",
    "John",
    "Frances",
    "Tim",
    "Radia",
    "Vint",
    "Hedy",
    "Katherine",
    "Dennis",
    "Bjarne",
    "Guido",
    "Anita",
]
LAST = [
    "Lovelace",
    "Turing",
    "Hopper",
    "Torvalds",
    "Thompson",
    "Liskov",
    "Dijkstra",
    "Knuth",
    "Hamilton",
    "McCarthy",
    "Allen",
    "Berners-Lee",
    "Perlman",
    "Cerf",
    "Lamarr",
    "Johnson",
    "Ritchie",
    "Stroustrup",
    "Rossum",
    "Borg",
]
TITLES = [
    "CEO",
    "CTO",
    "VP Sales",
    "Engineer",
    "Buyer",
    "Head of IT",
    "Analyst",
    "Director",
    "Consultant",
    "CFO",
]


def make_contacts_csv(n: int, seed: int = 7) -> bytes:
    """n rows over n/20 companies; 2% repeat an earlier e-mail, 1% carry a one-letter name typo."""
    rnd = random.Random(seed)
    companies = [
        f"Company {i} {rnd.choice(['Inc.', 'GmbH', 'Ltd', 'LLC', 'S.A.', ''])}".strip()
        for i in range(max(1, n // 20))
    ]
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["First Name", "Last Name", "Email", "Company", "Title", "Phone"])
    emails: list[str] = []
    for i in range(n):
        first, last = rnd.choice(FIRST), f"{rnd.choice(LAST)}{i}"
        c = rnd.randrange(len(companies))
        if emails and rnd.random() < 0.02:
            email = rnd.choice(emails)
        else:
            email = f"{first.lower()}.{last.lower()}@company{c}.example"
            emails.append(email)
        if rnd.random() < 0.01:
            last = last[:-1] + "x"
        w.writerow(
            [
                first,
                last,
                email,
                companies[c],
                rnd.choice(TITLES),
                f"+1 415 {rnd.randrange(200, 999)} {i % 10000:04d}",
            ]
        )
    return out.getvalue().encode("utf-8")


def make_mbox(n: int, me: str, seed: int = 11) -> bytes:
    """n messages between ``me`` and 2,000 correspondents, 1-5 recipients each, half of them sent by me."""
    rnd = random.Random(seed)
    people = [f"{rnd.choice(FIRST)} {rnd.choice(LAST)}{i}" for i in range(2000)]
    addr = [f"p{i}@firm{i % 300}.example" for i in range(2000)]
    start = time.time() - 300 * 86400
    parts = []
    for i in range(n):
        k = rnd.randint(1, 5)
        idx = rnd.sample(range(2000), k)
        others = [f'"{people[j]}" <{addr[j]}>' for j in idx]
        if rnd.random() < 0.5:
            sender, to = f"<{me}>", others
        else:
            sender, to = others[0], [f"<{me}>", *others[1:]]
        when = format_datetime(dt.datetime.fromtimestamp(start + i * 500, dt.UTC))
        parts.append(
            f"From bench@example {time.strftime('%a %b %d %H:%M:%S %Y', time.gmtime(start + i * 500))}\n"
            f"From: {sender}\nTo: {', '.join(to)}\nSubject: Thread {i % 4000}\nDate: {when}\n"
            f"Message-ID: <bench-{i}@example>\n\nHello {i}\n\n"
        )
    return "".join(parts).encode("utf-8")


def _setup_django(db_path: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _member() -> Any:
    from django.contrib.auth import get_user_model

    from revere.contacts.models import Company, Person, PersonEmail
    from revere.tenancy.models import Member, Organization

    n = Organization.objects.count()
    org = Organization.objects.create(name=f"Bench {n}", slug=f"bench-{n}")
    own = Company.unrestricted.create(organization=org, name=org.name, normalized_name=org.slug, status="own")
    org.own_company = own
    org.save()
    user = get_user_model().objects.create_user(
        username=f"bench{n}@bench.example", email=f"bench{n}@bench.example"
    )
    person = Person.unrestricted.create(
        organization=org, full_name="Bench Seller", normalized_name="bench seller", company=own
    )
    PersonEmail.unrestricted.create(organization=org, person=person, email=user.email, is_primary=True)
    return Member.unrestricted.create(organization=org, user=user, person=person, role="admin")


def _plain_csv(data: bytes) -> float:
    t = time.perf_counter()
    rows = sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8"))))
    assert rows > 0
    return time.perf_counter() - t


def _measure(name: str, data: bytes, fmt: str, member: Any, rows: int) -> dict[str, Any]:
    from revere.ingest.readers import ReaderOptions, read_file
    from revere.ingest.service import import_recompute, import_results

    plain = _plain_csv(data) if fmt == "csv" else None
    opts = ReaderOptions(member_emails={member.user.email}, max_rows=10**6, max_bytes=1 << 30)
    opts.window_start = opts.window_start.replace(year=2000)
    c0 = time.process_time()
    t0 = time.perf_counter()
    result = read_file(data, filename=name, format=fmt, options=opts)
    t1 = time.perf_counter()
    report = import_results(member=member, results=[(name, result)])
    t2 = time.perf_counter()
    cpu = time.process_time() - c0
    import_recompute(member=member, rows=0)  # in-process, to time it too
    t3 = time.perf_counter()
    total = t2 - t0
    out = {
        "bench": f"import {name}",
        "rows": rows,
        "read_s": round(t1 - t0, 2),
        "write_s": round(t2 - t1, 2),
        "total_s": round(total, 2),
        "rows_per_s": round(rows / total),
        "cpu_s": round(cpu, 2),  # this process's CPU time: the machine may be shared
        "recompute_s": round(t3 - t2, 2),
        "counts": report.counts(),
    }
    if plain is not None:
        out["plain_csv_read_s"] = round(plain, 3)
        out["ratio_to_plain_csv"] = round(total / plain, 1)
    return out


def measure_all(contacts: int, messages: int, keep: bool = False) -> list[dict[str, Any]]:
    """In this process: a scratch SQLite database, the three imports."""
    tmp = Path(tempfile.mkdtemp(prefix="revere-bench-"))
    _setup_django(tmp / "bench.sqlite3")
    results = []
    seller = _member()
    csv_data = make_contacts_csv(contacts)
    results.append(_measure("contacts.csv", csv_data, "csv", seller, contacts))
    # The same contacts again: nothing new, every row resolved to an existing person.
    results.append(
        {**_measure("contacts.csv", csv_data, "csv", seller, contacts), "bench": "re-import contacts.csv"}
    )
    mailer = _member()
    results.append(_measure("mail.mbox", make_mbox(messages, mailer.user.email), "mbox", mailer, messages))
    if not keep:
        for p in tmp.iterdir():
            p.unlink()
        tmp.rmdir()
    for row in results:
        row.update(row.pop("counts"))
    return results


def run(args: Any = None) -> list[dict[str, Any]]:
    """For the bench runner: the measurements in a fresh process (Django is set up on a scratch database)."""
    contacts = getattr(args, "contacts", None) or 100_000
    messages = getattr(args, "messages", None) or 50_000
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.bench_import",
            "--json",
            "--contacts",
            str(contacts),
            "--messages",
            str(messages),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    rows: list[dict[str, Any]] = json.loads(done.stdout)
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    rows = measure_all(args.contacts, args.messages, keep=args.keep)
    if args.json:
        print(json.dumps(rows))
        return
    for row in rows:
        print("  ".join(f"{k}={v}" for k, v in row.items()))


if __name__ == "__main__":
    main()
