"""The recording services keep the cached graph equal to a fresh build (issue 11's random sequences,
with the real tie editor, interaction log and stated links in place of their stand-ins)."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from revere.network.graph import organization_graph
from revere.network.models import Link, Tie
from revere.network.services import interaction_log, link_state, link_unstate, tie_remove, tie_save
from tests.network.test_graph_live import World, _fresh_cache, assert_equals_a_fresh_build  # noqa: F401

pytestmark = pytest.mark.django_db


class RecordingWorld(World):
    def log(self):
        member = self.pick(self.members)
        people = [
            p for p in self.live_persons() + [m.person for m in self.members] if p.pk != member.person_id
        ]
        chosen = {self.pick(people).pk for _ in range(int(self.rng.integers(1, 4)))}
        interaction_log(
            member=member,
            kind=self.pick(["meeting", "call", "email", "message", "event"]),
            person_ids=sorted(chosen),
            occurred_at=timezone.now() - timedelta(days=int(self.rng.integers(0, 200))),
        )

    def edit_tie(self):
        member = self.pick(self.members)
        person = self.pick([p for p in self.live_persons() if p.pk != member.person_id])
        changes = {
            "strength_override": self.pick([None, 0.15, 0.45, 0.7]),
            "network_class_override": self.pick(["", "market", "internal"]),
            "visibility": self.pick(["team", "private"]),
        }
        tie_save(member=member, person_id=person.pk, changes=changes)

    def drop_tie(self):
        tie = self.pick(self.ties())
        member = next(m for m in self.members if m.pk == tie.member_id)
        tie_remove(member=member, person_id=tie.person_id)

    def state(self):
        member = self.pick(self.members)
        people = self.live_persons() + [m.person for m in self.members]
        a, b = self.pick(people), self.pick(people)
        if a.pk == b.pk:
            return
        lo, hi = sorted((a.pk, b.pk))
        link = Link.unrestricted.filter(a_id=lo, b_id=hi).first()
        try:
            if link is not None and link.source == "stated" and self.rng.random() < 0.6:
                link_unstate(member=member, a_id=a.pk, b_id=b.pk)
            else:
                link_state(member=member, a_id=a.pk, b_id=b.pk, weight=float(self.rng.uniform(0.05, 1.0)))
        except (PermissionDenied, ValidationError):
            pass  # someone else's statement, or a link on record: refused, nothing written

    WRITES = ("log", "edit_tie", "drop_tie", "state", "log", "new_person", "edit_company", "merge_persons")


@pytest.mark.parametrize("seed", range(3))
def test_after_every_recording_write_the_cached_graph_equals_a_fresh_build(seed):
    world = RecordingWorld(np.random.default_rng(100 + seed))
    assert_equals_a_fresh_build(world.org.pk)
    for _ in range(20):
        getattr(world, world.pick(RecordingWorld.WRITES))()
        assert_equals_a_fresh_build(world.org.pk)
    assert organization_graph(organization_id=world.org.pk).graph.patched
    assert Tie.unrestricted.filter(organization=world.org).exists()
