from openhelp.integrations.sso import services
from openhelp.platform.lib.tasks import background_task


@background_task(max_attempts=2)
def check_identity_providers() -> int:
    return len(services.check_health())
