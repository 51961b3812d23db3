"""Fixtures for the import tests: a member to import as, and ReadResult builders."""

from __future__ import annotations

import pytest

from tests.factories import MemberFactory


@pytest.fixture
def member(db):
    return MemberFactory()
