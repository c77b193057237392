from openhelp.platform.notifications.events import register

register(
    "sso.attention",
    label="Company login needs attention",
    description=(
        "An identity provider's certificate is about to expire or its logins keep failing "
        "(site administrators)."
    ),
)
