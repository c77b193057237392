from __future__ import annotations

import pytest

from tests.matrix import synapse as synapse_server


@pytest.fixture(scope="session")
def synapse(tmp_path_factory):
    """A running Synapse for the whole session (installed first if needed); stopped at the end."""
    installed_in = synapse_server.ensure_installed()
    server = synapse_server.start(tmp_path_factory.mktemp("synapse"))
    print(
        f"\nSynapse: install check {installed_in:.1f} s, ready in {server.started_in:.1f} s at {server.base_url}"
    )
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def only_the_matrix_transport(monkeypatch):
    """Chat goes through the Matrix transport alone here: other chat apps are tested in their folders."""
    from openhelp.platform.notifications import chat

    monkeypatch.setattr(chat, "_transports", {"matrix": chat._transports["matrix"]})
