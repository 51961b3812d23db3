import pytest

from revere.network.graph import organization_graph_clear


@pytest.fixture(autouse=True)
def _fresh_graph_cache():
    organization_graph_clear()
    yield
    organization_graph_clear()
