"""The periodic fitting of the learned rankers (``routing.learned.fit_all``), run by the worker daily."""

from __future__ import annotations

from openhelp.platform.lib.tasks import background_task


@background_task(max_attempts=1)
def fit_rankers_task() -> list[str]:
    from openhelp.help.routing.learned import fit_all  # here: keeps LightGBM out of worker start-up

    return fit_all()
