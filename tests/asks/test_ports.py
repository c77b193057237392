"""The modules config wires into the ask workflows provide every function the ports declare."""

from __future__ import annotations

import importlib
import inspect

import pytest
from django.conf import settings

from openhelp.help.asks import ports


def _declared(protocol) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in vars(protocol).items()
        if callable(member) and not name.startswith("_")
    }


@pytest.mark.parametrize(
    ("setting", "protocol"), [("ASK_ROUTING", ports.Routing), ("ASK_SESSIONS", ports.Sessions)]
)
def test_the_wired_module_provides_every_declared_function(setting, protocol):
    module = importlib.import_module(getattr(settings, setting))
    declared = _declared(protocol)
    assert declared, "the protocol declares nothing"
    for name, signature in declared.items():
        provided = getattr(module, name, None)
        assert callable(provided), f"{module.__name__} lacks {name}"
        wanted = [p for p in signature.parameters.values() if p.name != "self"]
        have = inspect.signature(provided).parameters
        for parameter in wanted:
            assert parameter.name in have, f"{module.__name__}.{name} lacks the parameter {parameter.name}"
            assert have[parameter.name].kind == parameter.kind, (
                f"{name}({parameter.name}) is passed differently"
            )


def test_the_ports_read_the_settings_when_called(settings):
    settings.ASK_SESSIONS = "openhelp.help.routing.for_asks"
    assert ports.sessions().__name__ == "openhelp.help.routing.for_asks"
