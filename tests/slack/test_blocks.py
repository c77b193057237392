"""Block Kit text built from what people typed: nothing they type becomes Slack markup."""

from __future__ import annotations

from openhelp.integrations.slack import blocks


def test_a_meeting_link_cannot_end_its_own_link_and_add_a_mention():
    typed = "https://meet.example/room|<!channel> <https://evil.example|Reset your password>"
    [first, _] = blocks.join_link(
        title="Query plans", when="at 10:00", place=typed, url="https://help.example/s/1/"
    )
    text = first["text"]["text"]
    assert text.count("<") == 1 and text.count(">") == 1, text  # one link, nothing after it
    assert (
        "<https://meet.example/room%7C%3C!channel%3E%20%3Chttps://evil.example%7CReset%20your%20password%3E|Join now>"
        in text
    )


def test_a_plain_address_is_left_as_it_is():
    assert blocks.link("https://help.example/asks/5/?tab=offers&x=1", "Ask <5>") == (
        "<https://help.example/asks/5/?tab=offers&x=1|Ask &lt;5&gt;>"
    )
