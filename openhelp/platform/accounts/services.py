"""Account workflows: personal access tokens, deleting an account (confirmed with the password), the welcome
once an address is confirmed."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.module_loading import import_string

from openhelp.platform.accounts.models import AccessToken, User
from openhelp.platform.lib import ratelimit
from openhelp.platform.lib.clock import now
from openhelp.platform.notifications.services import notify
from openhelp.platform.outbox.events import record

MAX_ACTIVE_TOKENS = 25
WRONG_PASSWORDS_PER_HOUR = 5


@transaction.atomic
def create_access_token(*, user: User, name: str) -> tuple[AccessToken, str]:
    """A new token for the REST API. Returns the raw key, which is never stored and never shown again."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Give the token a name, e.g. what script uses it."})
    max_length = AccessToken._meta.get_field("name").max_length
    if max_length is not None and len(name) > max_length:
        raise ValidationError({"name": "Keep the name under 80 characters."})
    # Lock the person's row so two parallel requests cannot both slip under the limit.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if AccessToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            {"name": f"You already have {MAX_ACTIVE_TOKENS} active tokens; revoke one you no longer use."}
        )
    raw_key = AccessToken.generate_key()
    token = AccessToken.objects.create(
        user=user, name=name, key_hash=AccessToken.hash_key(raw_key), key_hint=raw_key[:10]
    )
    return token, raw_key


def active_tokens(*, user: User) -> QuerySet[AccessToken]:
    return AccessToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at", "-id")


def revoke_access_token(*, user: User, token_id: int) -> AccessToken:
    """Revoke one of the person's active tokens at once; another person's token answers 404."""
    token = get_object_or_404(active_tokens(user=user), pk=token_id)
    token.revoked_at = now()
    token.save(update_fields=["revoked_at"])
    return token


@transaction.atomic
def revoke_tokens_after_password_change(*, user: User, reset: bool) -> int:
    """Revoke every active access token of a person whose password was just reset or changed, and tell
    them which ones stopped working. Returns how many were revoked.

    Both, on purpose: a reset or change is what someone does when they fear their account was taken
    over, and a token is a lasting login that an intruder may have created while they had it. Django
    already signs out every other session on a password change; tokens follow the same rule. The cost
    (scripts need a new token) is one visit to the tokens page, and the notice says so.
    """
    tokens = list(active_tokens(user=user))
    if not tokens:
        return 0
    AccessToken.objects.filter(pk__in=[t.pk for t in tokens], revoked_at__isnull=True).update(
        revoked_at=now()
    )
    names = ", ".join(f"“{t.name}” ({t.key_hint}…)" for t in tokens)
    what = "was reset" if reset else "was changed"
    notify(
        event="account.tokens_revoked",
        recipients=[user],
        title=f"Your password {what}: {len(tokens)} access token(s) revoked",
        body=(
            f"Because your password {what}, these personal access tokens no longer work: {names}. "
            "If you use them in scripts, create new ones on your tokens page. "
            "If you did not do this, reset your password now."
        ),
        url=reverse("accounts:tokens"),
        # Each batch revokes different tokens, so the newest one names this revocation.
        dedupe_key=f"tokens-revoked:{max(t.pk for t in tokens)}",
    )
    return len(tokens)


def check_current_password(*, user: User, password: str) -> None:
    """Confirm a step that cannot be undone with the person's own password (the web form and the API).

    After five wrong passwords in an hour even the right one is refused until the hour is over
    (``RateLimited``): allauth's limit on confirming a password (ten a minute) alone would let a stolen
    session or access token try 14,400 passwords a day. Wrong ones are counted, right ones are free.
    """
    key = f"accounts:wrong-password:{user.pk}"
    if ratelimit.remaining(key, limit=WRONG_PASSWORDS_PER_HOUR) <= 0:
        raise ratelimit.RateLimited("Too many wrong passwords. Try again in an hour.")
    if not user.check_password(password):
        ratelimit.count(key, window_seconds=3600)
        raise ValidationError("That is not your current password.", code="wrong_password")


def delete_account(*, user: User) -> None:
    """Delete the person and everything that is theirs (profile, notifications, tokens, addresses, 2FA).

    Shared things they created (a skill they proposed) stay, without their name. Before anything is
    deleted, the features that hold commitments to other people release them, in the order of
    ``settings.ACCOUNT_DELETION_RELEASES`` (office hours cancel upcoming bookings and tell the other side),
    so nobody waits for a ghost. A feature that comes to hold such commitments adds its release there.
    """
    # Each release is its own transaction (booking changes hold person locks in a durable transaction);
    # they are what the person asked for either way, so they stand even if the delete then failed.
    for release in settings.ACCOUNT_DELETION_RELEASES:
        import_string(release)(user=user)
    with transaction.atomic():
        team = User.objects.filter(pk=user.pk).values_list("profile__team_id", flat=True).first()
        record("person.deleted", person=user.pk, team=team)
        User.objects.filter(pk=user.pk).delete()


def welcome(*, user: User) -> None:
    """Say hello once, the first time an address is confirmed (later address changes are deduplicated)."""
    notify(
        event="account.welcome",
        recipients=[user],
        title=f"Welcome to {settings.SITE_NAME}",
        body=(
            "Tell people what you can help with and what you want to learn: "
            "a short profile is all it takes to ask for help or to offer it."
        ),
        url=reverse("people:me"),
        dedupe_key="welcome",
    )
