"""Nothing private is readable in the admin, by a superuser either: every registered admin's list, search,
change, delete and history pages are walked over one of every private thing, each carrying a marker."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from openhelp.community.moments.introductions import introduce
from openhelp.community.moments.models import IntroductionMessage
from openhelp.community.recognition.services import give_kudos
from openhelp.help.asks.services import post_message
from openhelp.help.officehours.models import Booking, WaitlistEntry
from openhelp.help.routing.models import OfferState
from openhelp.organisers.imports.models import ImportBatch
from openhelp.platform.lib.admin_privacy import PrivateTextAdmin, PrivateTextMixin
from tests.factories import UserFactory
from tests.factories_asks import ask_in_state
from tests.factories_goals import LearningGoalFactory
from tests.factories_mentoring import DebriefFactory, PrivateNoteFactory, person
from tests.factories_moments import MomentFactory
from tests.factories_officehours import OfficeHoursFactory, TimeOffFactory, book
from tests.factories_routing import OfferFactory
from tests.harness import database

pytestmark = pytest.mark.django_db

MARKER = "PRIVATE-7f3a"
PUBLIC = "PUBLIC-7f3a"

# Registered by libraries, reviewed: none of them holds text written by or for one person.
THIRD_PARTY = {
    "auth.Group",
    "account.EmailAddress",
    "django_tasks_database.DBTaskResult",
    "socialaccount.SocialAccount",  # the company login a person is linked to (sso)
}


def secret(what: str) -> str:
    return f"{MARKER}-{what}"


@pytest.fixture
def superuser_client(db):
    client = Client()
    client.force_login(UserFactory(email="site-admin@example.org", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def private_things(db):
    """One of every private thing, each through the code that makes it where that is short."""
    with time_machine.travel(dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        giver, receiver, third = person("Gina Giver"), person("Remi Receiver"), person("Tao Third")
        give_kudos(giver=giver, receiver=receiver, message=secret("kudos"), public=False)
        give_kudos(giver=receiver, receiver=giver, message=PUBLIC, public=True)
        introduction = introduce(introducer=third, first=giver, second=receiver, note=secret("introduction"))
        IntroductionMessage.objects.create(
            introduction=introduction, author=giver, body=secret("intro-thread")
        )
        ask = ask_in_state("scheduled", mentee=giver, helper=receiver)
        post_message(ask=ask, author=giver, body=secret("ask-thread"))
        debrief = DebriefFactory(feedback_to_mentor=secret("feedback"), rating=5)
        PrivateNoteFactory(session=debrief.session, body=secret("private-note"))
        MomentFactory(author=giver, note=secret("moment"))
        LearningGoalFactory(owner=giver, title=secret("goal-title"), why=secret("goal-why"))
        ImportBatch.objects.create(owner=third, filename="people.csv", text=secret("import"))
        OfferFactory(state=OfferState.DECLINED, decline_note=secret("decline-note"))
        hours = OfficeHoursFactory()
        TimeOffFactory(office_hours=hours, note=secret("time-off"))
        booking = book(hours, receiver)
        Booking.objects.filter(pk=booking.pk).update(question=secret("booking-question"))
        WaitlistEntry.objects.create(
            slot=booking.slot, mentee=third, topic="Joins", question=secret("waitlist")
        )
        Authenticator.objects.create(
            user=giver, type=Authenticator.Type.TOTP, data={"secret": secret("totp")}
        )


def registered_pages():
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        yield model, reverse("admin:{}_{}_changelist".format(*info)), info


def objects_to_open(model) -> list:
    """Every row the test wrote, and one of the rows the migrations seeded (reference data such as the 46
    languages, written before any private thing existed and referring to none): the seeded rows' pages
    differ only in their name, and opening all of them was a third of the walk."""
    pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
    columns, rows = database.SEEDS["default"].tables.get(model._meta.db_table, ([], []))
    if not rows:
        return pks
    seeded = {row[columns.index(model._meta.pk.column)] for row in rows}
    return [pk for pk in pks if pk not in seeded] + [pk for pk in pks if pk in seeded][:1]


def test_it_opens_what_the_test_wrote_and_one_seeded_language():
    # The control of the shortcut above: seeded rows are recognised, and the test's own rows are not.
    from openhelp.directory.people.models import Language

    seeded = Language.objects.order_by("pk").values_list("pk", flat=True)
    assert len(seeded) > 1
    assert objects_to_open(Language) == [seeded[0]]
    user = UserFactory()
    assert user.pk in objects_to_open(type(user))


NAV_SIDEBAR = 'id="nav-sidebar"'


def sidebar(monkeypatch, shown: bool) -> None:
    """The sidebar lists the admins, the same on every page but for the one it marks current, and holds no
    row's text: it is read on each admin's list, and not again on its other pages (nor its list of apps
    built for nothing there): rendering it and building that list (~100 reverse() calls) on every page
    was about half of the walk's CPU (cProfile)."""
    site = vars(admin.site._wrapped)  # the site itself, not the lazy object standing for it
    if shown:
        monkeypatch.delitem(site, "enable_nav_sidebar", raising=False)
        monkeypatch.delitem(site, "get_app_list", raising=False)
    else:
        monkeypatch.setitem(site, "enable_nav_sidebar", False)
        monkeypatch.setitem(site, "get_app_list", lambda request, app_label=None: [])


def test_no_admin_page_shows_private_text(private_things, superuser_client, monkeypatch):
    pages = sidebars = 0
    for model, changelist, info in registered_pages():
        urls = [changelist, reverse("admin:{}_{}_add".format(*info))]
        for pk in objects_to_open(model):
            urls += [
                reverse(f"admin:{info[0]}_{info[1]}_{view}", args=[pk]) for view in ("change", "history")
            ]
            urls.append(reverse(f"admin:{info[0]}_{info[1]}_delete", args=[pk]))
        for url in urls:
            sidebar(monkeypatch, shown=url == changelist)
            response = superuser_client.get(url)
            if response.status_code == 403:  # e.g. tasks cannot be deleted
                continue
            assert response.status_code == 200, url
            content = response.content.decode()
            assert MARKER not in content, url
            pages += 1
            sidebars += NAV_SIDEBAR in content
    assert pages > 100  # every list, and every object's pages, were read
    assert sidebars == len(admin.site._registry)  # and the sidebar, on every list


def test_searching_private_text_finds_nothing(private_things, superuser_client, monkeypatch):
    sidebar(monkeypatch, shown=False)  # what is counted is the list's rows; the walk reads the sidebar
    for model, changelist, _info in registered_pages():
        if not admin.site._registry[model].search_fields:
            continue  # no search box: the query is ignored
        for what in ("kudos", "introduction", "ask-thread", "goal-title", "decline-note", "booking-question"):
            response = superuser_client.get(changelist, {"q": secret(what)})
            assert response.status_code == 200, changelist
            assert response.context["cl"].result_count == 0, (changelist, what)


def test_public_text_is_still_shown(private_things, superuser_client):
    # The control: the walk above would see text if it were there; a public kudos' message is public.
    from openhelp.community.recognition.models import Kudos

    public = Kudos.objects.get(public=True)
    page = superuser_client.get(reverse("admin:recognition_kudos_change", args=[public.pk])).content.decode()
    assert PUBLIC in page
    private = Kudos.objects.get(public=False)
    page = superuser_client.get(reverse("admin:recognition_kudos_change", args=[private.pk])).content.decode()
    assert "Private: only the people it is for can read it" in page


def test_a_private_field_cannot_be_changed_by_posting_it(private_things, superuser_client):
    from openhelp.platform.notifications.models import Notification

    note = Notification.objects.get(event="kudos.received", body=secret("kudos"))
    url = reverse("admin:notifications_notification_change", args=[note.pk])
    form = {
        "title": "Edited",
        "body": "Edited",
        "url": note.url,
        "show_in_app": "on",
        "email_status": note.email_status,
        "read_at_0": "",
        "read_at_1": "",
        "email_claimed_at_0": "",
        "email_claimed_at_1": "",
    }
    response = superuser_client.post(url, form)
    assert response.status_code == 302  # saved: everything that may be edited was valid
    note.refresh_from_db()
    assert (note.title, note.body) == ("Gina Giver thanked you", secret("kudos"))


def test_every_admin_in_the_project_hides_private_text_the_same_way():
    for model, model_admin in admin.site._registry.items():
        if model._meta.label in THIRD_PARTY:
            continue
        assert isinstance(model_admin, PrivateTextAdmin), model._meta.label
        for inline in model_admin.inlines:
            assert issubclass(inline, PrivateTextMixin), inline
