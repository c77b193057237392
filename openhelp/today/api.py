"""REST API for the header search and the personal home ("Today"): the same groups and sections the pages
show, from the same functions (``search.search_everything``, ``sections.today_for``), so the API sees
exactly what the viewer may see on the web and nothing more."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from openhelp.community.moments.api import ChallengeSerializer
from openhelp.help.asks.models import AskState
from openhelp.platform.api.errors import ERROR_BODY
from openhelp.today import sections
from openhelp.today.search import MAX_QUERY, search_everything

TAGS = ["today"]
ERRORS = {
    400: OpenApiResponse(ERROR_BODY, description="Invalid input: error.fields names the parameter (q)."),
    401: OpenApiResponse(ERROR_BODY, description="Not signed in (send a personal access token)."),
}


# --- Search ---------------------------------------------------------------------------------------------


class SearchText(serializers.CharField):
    """The search text as the page reads it (``search.clean_query``): trimmed, inner white space collapsed;
    then at most ``MAX_QUERY`` characters — the API refuses a longer one instead of cutting it."""

    def to_internal_value(self, data):
        return " ".join(super().to_internal_value(data).split())


class SearchParamsSerializer(serializers.Serializer):
    q = SearchText(max_length=MAX_QUERY, help_text="Words to look for: a name, a skill, a title.")


class SearchHitSerializer(serializers.Serializer):
    title = serializers.CharField()
    detail = serializers.CharField(help_text="A headline, a skill's offer count, an objective, skills.")
    badge = serializers.CharField(help_text='"Open to help", an ask\'s state, "Offered to you"; or empty.')
    url = serializers.CharField(help_text="The web page (an ask only offered to you: the offer page).")
    api_url = serializers.CharField(help_text="The same object in this API.")


class SearchGroupSerializer(serializers.Serializer):
    key = serializers.ChoiceField(choices=["people", "skills", "asks", "library"])
    title = serializers.CharField()
    count = serializers.IntegerField(help_text="Every match; hits holds the first five.")
    has_more = serializers.BooleanField()
    hits = SearchHitSerializer(many=True)
    see_all_url = serializers.CharField(help_text="The web list with every match.")


class SearchResultSerializer(serializers.Serializer):
    query = serializers.CharField(help_text="The text searched for, white space collapsed.")
    total = serializers.IntegerField()
    groups = SearchGroupSerializer(many=True, help_text="People, skills, asks, library: always all four.")


class SearchView(generics.GenericAPIView):
    serializer_class = SearchResultSerializer
    pagination_class = None

    @extend_schema(
        summary="Search people, skills, asks and the library (the header search)",
        description=(
            "Only what you may see: people in the directory, skills you may see, your own asks and those "
            "you take part in or were offered, library entries. At most five hits per group."
        ),
        parameters=[SearchParamsSerializer],
        responses={200: SearchResultSerializer, 400: ERRORS[400], 401: ERRORS[401]},
        tags=TAGS,
    )
    def get(self, request):
        params = SearchParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        text = params.validated_data["q"]
        groups = search_everything(user=request.user, text=text)
        result = {"query": text, "total": sum(group.count for group in groups), "groups": groups}
        return Response(SearchResultSerializer(result).data)


# --- Today ----------------------------------------------------------------------------------------------


class TodayOfferSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    ask_id = serializers.IntegerField()
    title = serializers.CharField(source="ask.title")
    objective = serializers.CharField(source="ask.objective")
    mentee = serializers.CharField(source="ask.mentee.display_name")
    skills = serializers.SerializerMethodField()
    why_you = serializers.ListField(child=serializers.CharField(), read_only=True)
    expires_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()

    def get_skills(self, offer) -> list[str]:
        return [skill.name for skill in offer.ask.skills.all()]

    def get_url(self, offer) -> str:
        return reverse("routing:offer", args=[offer.pk])

    def get_api_url(self, offer) -> str:
        return reverse("v1:offers-detail", args=[offer.pk])


class TodayHelpingSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    state = serializers.ChoiceField(choices=AskState.choices)
    mentee = serializers.CharField(source="mentee.display_name")
    scheduled_for = serializers.DateTimeField(allow_null=True)
    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()

    def get_url(self, ask) -> str:
        return reverse("asks:detail", args=[ask.pk])

    def get_api_url(self, ask) -> str:
        return reverse("v1:asks-detail", args=[ask.pk])


class TodayAskSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="ask.pk")
    title = serializers.CharField(source="ask.title")
    state = serializers.ChoiceField(source="ask.state", choices=AskState.choices)
    status = serializers.CharField(
        help_text='The state in words: "Offered to 2 experts", "Theo accepted it".'
    )
    estimated_wait = serializers.CharField(
        source="wait", help_text="While it waits for an expert, the estimated wait in words; else empty."
    )
    next_answer_due = serializers.DateTimeField(
        allow_null=True, help_text="When the first pending offer expires (the experts answer by then)."
    )
    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()

    def get_url(self, row) -> str:
        return reverse("asks:detail", args=[row.ask.pk])

    def get_api_url(self, row) -> str:
        return reverse("v1:asks-detail", args=[row.ask.pk])


class TodayUpcomingSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["session", "booking"], help_text="A session, or a booking whose session is not made yet."
    )
    id = serializers.IntegerField(help_text="The session's id, or the booking's (see kind).")
    api_url = serializers.CharField(
        help_text="The same object in this API (…/sessions/<id>/ or …/bookings/<id>/)."
    )
    booking_id = serializers.IntegerField(
        allow_null=True,
        help_text="The booking it came from (…/bookings/<id>/, its invite); null for a session from an ask.",
    )
    title = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(allow_null=True)
    with_whom = serializers.CharField()
    url = serializers.CharField(help_text="The session's page, or the booking's before its session exists.")
    join_url = serializers.CharField(help_text="The call link, once it opens (shortly before the start).")
    place = serializers.CharField()
    calendar_url = serializers.CharField(help_text="The booking's iCalendar file; empty without a booking.")


class TodayDebriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk", help_text="The session's id.")
    session_id = serializers.IntegerField(source="pk", help_text="The same as id.")
    title = serializers.CharField()
    with_whom = serializers.CharField()
    ends_at = serializers.DateTimeField(allow_null=True)
    url = serializers.SerializerMethodField()
    debrief_url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField(help_text="The session in this API.")
    debrief_api_url = serializers.SerializerMethodField(help_text="Its debrief in this API (read, write).")

    def get_url(self, session) -> str:
        return reverse("mentoring:detail", args=[session.pk])

    def get_debrief_url(self, session) -> str:
        return reverse("mentoring:debrief", args=[session.pk])

    def get_api_url(self, session) -> str:
        return reverse("v1:sessions-detail", args=[session.pk])

    def get_debrief_api_url(self, session) -> str:
        return reverse("v1:sessions-debrief", args=[session.pk])


class TodayThankSerializer(serializers.Serializer):
    user_id = serializers.IntegerField()
    name = serializers.CharField()
    session_id = serializers.IntegerField(source="session.pk")
    session_title = serializers.CharField(source="session.title")
    thank_url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField(help_text="The person in this API (…/people/<profile id>/).")
    session_api_url = serializers.SerializerMethodField(help_text="The session in this API.")

    def get_api_url(self, person) -> str:
        return reverse("v1:people-detail", args=[person.session.mentor.profile.pk])

    def get_session_api_url(self, person) -> str:
        return reverse("v1:sessions-detail", args=[person.session.pk])

    def get_thank_url(self, person) -> str:
        return f"{reverse('recognition:give', args=[person.user_id])}?session={person.session.pk}"


class TodayAlertsSerializer(serializers.Serializer):
    items = serializers.ListField(child=serializers.CharField(), read_only=True)
    hidden = serializers.CharField(
        help_text="Why this week's figures are withheld (too few people), else empty."
    )
    programme_id = serializers.IntegerField(allow_null=True)


class TodaySerializer(serializers.Serializer):
    open_to_help = serializers.BooleanField(source="profile.open_to_help")
    paused = serializers.BooleanField()
    paused_until = serializers.DateField(source="profile.paused_until", allow_null=True)
    helper_first = serializers.BooleanField(
        help_text="The page starts with the offers waiting for you (you help others), else with your asks."
    )
    skills_offered = serializers.IntegerField(
        help_text="How many skills you offer, said when you are open to help and no offer waits; else 0."
    )
    offers = TodayOfferSerializer(
        many=True, help_text="Offers waiting for your answer, soonest expiry first."
    )
    helping = TodayHelpingSerializer(many=True, help_text="Asks you accepted that are still under way.")
    asks = TodayAskSerializer(many=True, help_text="Your asks that are not finished, newest first.")
    upcoming = TodayUpcomingSerializer(many=True, help_text="Sessions and bookings in the next 14 days.")
    debriefs = TodayDebriefSerializer(many=True, help_text="Sessions held recently without a debrief.")
    to_thank = TodayThankSerializer(many=True, help_text="People who helped you recently, not yet thanked.")
    challenge = ChallengeSerializer()
    alerts = TodayAlertsSerializer(
        allow_null=True, help_text="This week's alerts: organisers only, else null."
    )


class TodayView(generics.GenericAPIView):
    serializer_class = TodaySerializer
    pagination_class = None

    @extend_schema(
        summary="My home page (Today): what needs me, each section as the page shows it (at most five)",
        responses={200: TodaySerializer, 401: ERRORS[401]},
        tags=TAGS,
    )
    def get(self, request):
        return Response(TodaySerializer(sections.today_for(request.user)).data)
