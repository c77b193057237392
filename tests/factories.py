"""factory_boy factories for every model. Later features add theirs here (or in tests/factories_<app>.py)."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from openhelp.directory.people.models import Format, Language, Profile, SkillOffer, SkillWanted, Team
from openhelp.directory.skills.models import Skill, SkillAlias, SkillCategory
from openhelp.platform.accounts.models import AccessToken, User
from openhelp.platform.notifications.models import Notification, NotificationPreference

PASSWORD = "correct horse battery staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def with_profile(self, create, extracted, **kwargs):
        if create and extracted is not False:
            ProfileFactory(user=self, **kwargs)
        if create:
            self.save()


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


class LanguageFactory(DjangoModelFactory):
    class Meta:
        model = Language
        django_get_or_create = ("code",)

    code = "en"
    name = "English"


class ProfileFactory(DjangoModelFactory):
    class Meta:
        model = Profile
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory, with_profile=False)
    display_name = factory.Sequence(lambda n: f"Person {n}")
    timezone = "Europe/Berlin"


class OpenToHelpProfileFactory(ProfileFactory):
    open_to_help = True
    formats = factory.LazyFunction(lambda: [Format.ASYNC.value, Format.CALL_30.value])
    sessions_per_week = 3


class SkillCategoryFactory(DjangoModelFactory):
    class Meta:
        model = SkillCategory
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


class SkillFactory(DjangoModelFactory):
    class Meta:
        model = Skill

    name = factory.Sequence(lambda n: f"Skill {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-").replace(".", ""))
    category = factory.SubFactory(SkillCategoryFactory)


class SkillAliasFactory(DjangoModelFactory):
    class Meta:
        model = SkillAlias

    skill = factory.SubFactory(SkillFactory)
    name = factory.Sequence(lambda n: f"alias{n}")


class SkillOfferFactory(DjangoModelFactory):
    class Meta:
        model = SkillOffer

    profile = factory.SubFactory(OpenToHelpProfileFactory)
    skill = factory.SubFactory(SkillFactory)
    level = 3


class SkillWantedFactory(DjangoModelFactory):
    class Meta:
        model = SkillWanted

    profile = factory.SubFactory(ProfileFactory)
    skill = factory.SubFactory(SkillFactory)


class NotificationFactory(DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    event = "welcome"
    title = "Welcome"


class NotificationPreferenceFactory(DjangoModelFactory):
    class Meta:
        model = NotificationPreference

    user = factory.SubFactory(UserFactory)
    event = "welcome"
    channel = "email"
    enabled = False


def person_named(email: str, display_name: str):
    """A user with a profile shown under ``display_name``."""
    user = UserFactory(email=email, with_profile=False)
    ProfileFactory(user=user, display_name=display_name)
    return user


def make_owner():
    """The owner of tests/conftest.py's ``owner`` fixture, for set-up that outlives one test."""
    return person_named("owner@example.org", "Olivia Owner")


def make_access_token(user, name: str = "script") -> tuple[AccessToken, str]:
    """A token and its raw key (only ever shown once to a person, so tests must keep it)."""
    raw_key = AccessToken.generate_key()
    token = AccessToken.objects.create(
        user=user, name=name, key_hash=AccessToken.hash_key(raw_key), key_hint=raw_key[:10]
    )
    return token, raw_key


from tests.factories_programmes import MembershipFactory, ProgrammeFactory  # noqa: E402, F401
