"""The weekly reflection prompt, run by the background worker at the end of each person's week."""

from __future__ import annotations

from openhelp.platform.lib.tasks import background_task


@background_task()
def send_reflection_prompt_task(prompt_id: int) -> str:
    from openhelp.community.moments.services import (
        send_reflection_prompt,  # here: services imports this module
    )

    return send_reflection_prompt(prompt_id=prompt_id)


@background_task()
def expire_introduction_task(introduction_id: int) -> str:
    from openhelp.community.moments.introductions import (
        expire_introduction,  # here: introductions imports this module
    )

    return expire_introduction(introduction_id=introduction_id)
