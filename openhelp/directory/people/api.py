"""REST API for profiles: me (read/update), my offered and wanted skills, and the people directory.

Validation is the web forms' validation: model-field validators and people.validators (picked up by the
serializers), skills resolved by ``openhelp.directory.skills.forms.SkillField``, directory filters parsed by
``openhelp.directory.people.forms.DirectoryFilterForm`` — so a person reads the same message on either side.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from openhelp.directory.people.capacity import Capacity, capacity_for, capacity_left
from openhelp.directory.people.directory import DirectoryFilters
from openhelp.directory.people.forms import DirectoryFilterForm
from openhelp.directory.people.models import Format, Language, Profile, SkillOffer, SkillWanted, Team
from openhelp.directory.people.pagination import PeopleKeysetPagination
from openhelp.directory.people.services import (
    OfferedSkill,
    WantedSkill,
    profile_for,
    replace_skills_offered,
    replace_skills_wanted,
    update_open_to_help,
    update_profile,
)
from openhelp.directory.people.validators import (
    duplicate_positions,
    duplicate_skill_error,
    validate_bio_length,
    validate_level,
    validate_pause_until,
    validate_working_hours,
)
from openhelp.directory.skills.forms import SkillField
from openhelp.directory.skills.models import Skill
from openhelp.platform.api.conditional import ConditionalEdits
from openhelp.platform.api.fields import ListField, StrictBooleans, WordedCharField
from openhelp.platform.api.known_fields import KnownFieldsOnly
from openhelp.platform.api.params import query_choice, query_flag, refuse_empty
from openhelp.platform.lib.markdown import render_markdown

# More languages than anyone speaks; a profile lists a handful.
MAX_LANGUAGES = 20


# --- Output ----------------------------------------------------------------------------------------


class PersonRefSerializer(serializers.Serializer):
    """A person as a reference: user id, name and profile id (for /api/v1/people/{profile_id}/)."""

    id = serializers.IntegerField(source="pk", read_only=True)
    display_name = serializers.CharField(read_only=True)
    profile_id = serializers.SerializerMethodField()

    def get_profile_id(self, user) -> int | None:
        profile = getattr(user, "profile", None)
        return profile.pk if profile is not None else None


class SkillSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Skill
        fields = ["id", "name", "slug"]


class SkillOfferSerializer(serializers.ModelSerializer):
    skill = SkillSummarySerializer(read_only=True)
    level_words = serializers.CharField(read_only=True)

    class Meta:
        model = SkillOffer
        fields = ["skill", "level", "level_words", "note"]


class SkillWantedSerializer(serializers.ModelSerializer):
    skill = SkillSummarySerializer(read_only=True)

    class Meta:
        model = SkillWanted
        fields = ["skill", "note"]


class CapacitySerializer(serializers.Serializer):
    sessions_per_week = serializers.IntegerField(allow_null=True)
    sessions_used = serializers.IntegerField()
    sessions_left = serializers.IntegerField(allow_null=True)
    minutes_per_week = serializers.IntegerField(allow_null=True)
    text = serializers.CharField(help_text="e.g. “2 of 3 sessions left”.")


class UserSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    is_organiser = serializers.BooleanField()


# Rendered bios kept per process: a page of the people API shows 25, and the same pages are read again
# and again. Rendering is a pure function of the text, so a changed bio is simply a new entry.
BIO_HTML_MEMO_SIZE = 1024


@lru_cache(maxsize=BIO_HTML_MEMO_SIZE)
def bio_html(bio: str) -> str:
    """A bio as sanitised HTML, as ``Profile.bio_html`` renders it."""
    return str(render_markdown(bio))


class BioHtmlField(serializers.CharField):
    """The bio (Markdown) as sanitised HTML (``bio_html``)."""

    def to_representation(self, value: str) -> str:
        return bio_html(value)


class ProfileSerializer(serializers.ModelSerializer):
    """A person as others see them."""

    team = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    team_name = serializers.CharField(source="team.name", read_only=True, default=None, allow_null=True)
    languages = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    formats = serializers.ListField(child=serializers.ChoiceField(choices=Format.choices), read_only=True)
    bio_html = BioHtmlField(
        source="bio", read_only=True, help_text="The bio rendered from Markdown and sanitised."
    )
    is_available = serializers.SerializerMethodField(help_text="Open to help and not paused today.")
    capacity = serializers.SerializerMethodField()
    skills_offered = SkillOfferSerializer(many=True, read_only=True)

    class Meta:
        model = Profile
        fields = [
            "id",
            "display_name",
            "headline",
            "bio",
            "bio_html",
            "team",
            "team_name",
            "location",
            "timezone",
            "languages",
            "initials",
            "avatar_colour",
            "meeting_link",
            "working_hours_start",
            "working_hours_end",
            "open_to_help",
            "formats",
            "sessions_per_week",
            "minutes_per_week",
            "paused_until",
            "is_available",
            "capacity",
            "skills_offered",
        ]
        read_only_fields = fields

    def get_is_available(self, profile: Profile) -> bool:
        return profile.is_available()

    @extend_schema_field(CapacitySerializer)
    def get_capacity(self, profile: Profile) -> dict:
        capacities = self.context.get("capacities") or {}
        capacity: Capacity = capacities.get(profile.pk) or capacity_for(profile)
        return {
            "sessions_per_week": capacity.sessions_per_week,
            "sessions_used": capacity.sessions_used,
            "sessions_left": capacity.sessions_left,
            "minutes_per_week": capacity.minutes_per_week,
            "text": capacity.text,
        }


class ProfileDetailSerializer(ProfileSerializer):
    skills_wanted = SkillWantedSerializer(many=True, read_only=True)

    class Meta(ProfileSerializer.Meta):
        fields = [*ProfileSerializer.Meta.fields, "skills_wanted"]
        read_only_fields = fields


class MeSerializer(StrictBooleans, KnownFieldsOnly, ProfileDetailSerializer):
    """The caller's own profile; PATCH any writable field."""

    user = serializers.SerializerMethodField()
    team = serializers.SlugRelatedField(
        slug_field="slug", queryset=Team.objects.all(), allow_null=True, required=False
    )
    languages = ListField(
        child=serializers.SlugRelatedField(slug_field="code", queryset=Language.objects.all()),
        max_length=MAX_LANGUAGES,
        required=False,
    )
    formats = ListField(
        child=serializers.ChoiceField(choices=Format.choices), max_length=len(Format.choices), required=False
    )
    bio = WordedCharField(
        max_chars=lambda: settings.PROFILE_BIO_MAX_CHARS,
        allow_blank=True,
        required=False,
        validators=[validate_bio_length],
        help_text="Markdown.",
    )

    class Meta(ProfileDetailSerializer.Meta):
        fields = ["user", *ProfileDetailSerializer.Meta.fields, "avatar_initials"]
        read_only_fields = [
            "id",
            "bio_html",
            "team_name",
            "initials",
            "is_available",
            "capacity",
            "skills_offered",
            "skills_wanted",
        ]

    @extend_schema_field(UserSummarySerializer)
    def get_user(self, profile: Profile) -> dict:
        user = profile.user
        return {"id": user.pk, "email": user.email, "is_organiser": user.is_organiser}

    def validate_paused_until(self, value):
        validate_pause_until(value, current=self.instance.paused_until if self.instance else None)
        return value

    def validate(self, attrs: dict) -> dict:
        def current(name):
            return attrs.get(name, getattr(self.instance, name, None))

        validate_working_hours(current("working_hours_start"), current("working_hours_end"))
        return attrs

    @transaction.atomic
    def update(self, profile: Profile, validated_data: dict) -> Profile:
        open_fields = {"open_to_help", "formats", "sessions_per_week", "minutes_per_week", "paused_until"}
        languages = validated_data.pop("languages", None)
        profile_fields = {k: v for k, v in validated_data.items() if k not in open_fields}
        update_profile(profile=profile, languages=languages, **profile_fields)
        if open_fields & set(validated_data):
            update_open_to_help(
                profile=profile,
                **{name: validated_data.get(name, getattr(profile, name)) for name in open_fields},
                skills_offered=None,
            )
        return profile


# --- Input for the skill lists ------------------------------------------------------------------


@extend_schema_field(
    {
        # The web form's SkillField holds a name to 80 characters, as the skill's name column does.
        "oneOf": [{"type": "integer"}, {"type": "string", "maxLength": 80}],
        "description": "A skill id, name or alias (“k8s”).",
    }
)
class SkillReferenceField(serializers.Field):
    """A skill given by id, or by name or alias resolved exactly as the web form's SkillField does."""

    default_error_messages = {"unknown_id": "There is no skill with id {value}."}

    def to_internal_value(self, data):
        user = self.context["request"].user
        if isinstance(data, int) and not isinstance(data, bool):
            skill = Skill.objects.visible_to(user).filter(pk=data).first()
            if skill is None:
                self.fail("unknown_id", value=data)
            return skill
        if not isinstance(data, str):
            raise ValidationError("Give a skill id (a number) or a skill name.")
        try:
            return SkillField(user=user).clean(data)
        except DjangoValidationError as error:
            raise ValidationError(error.messages) from error

    def to_representation(self, skill: Skill) -> str:
        return skill.name


class OfferedSkillInputSerializer(KnownFieldsOnly, serializers.Serializer):
    skill = SkillReferenceField()
    level = serializers.IntegerField(validators=[validate_level])
    note = serializers.CharField(max_length=280, allow_blank=True, required=False, default="")


class WantedSkillInputSerializer(KnownFieldsOnly, serializers.Serializer):
    skill = SkillReferenceField()
    note = serializers.CharField(max_length=280, allow_blank=True, required=False, default="")


def _check_duplicates(rows: list[dict]) -> list[dict]:
    """A repeated skill is an error on the repeating row, as on the web form."""
    repeats = duplicate_positions([row["skill"] for row in rows])
    if repeats:
        raise ValidationError(
            [
                {"skill": duplicate_skill_error(repeats[i].name).messages} if i in repeats else {}
                for i in range(len(rows))
            ]
        )
    return rows


class SkillsOfferedInputSerializer(KnownFieldsOnly, serializers.Serializer):
    skills = OfferedSkillInputSerializer(many=True, max_length=50)

    def validate_skills(self, rows):
        return _check_duplicates(rows)


class SkillsWantedInputSerializer(KnownFieldsOnly, serializers.Serializer):
    skills = WantedSkillInputSerializer(many=True, max_length=50)

    def validate_skills(self, rows):
        return _check_duplicates(rows)


class SkillsOfferedSerializer(serializers.Serializer):
    skills = SkillOfferSerializer(many=True)


class SkillsWantedSerializer(serializers.Serializer):
    skills = SkillWantedSerializer(many=True)


def _valid(serializer: serializers.Serializer) -> dict:
    """The validated body, or a 400 in the one error shape: a nested error reads as everywhere else in the
    API (``{"skills": ["Item 2: skill: …"]}``, api/errors.py), not as a dotted key of its own."""
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- Views -------------------------------------------------------------------------------------

ERRORS = {
    400: OpenApiResponse(description="Invalid input: error.fields maps each field to its messages."),
    401: OpenApiResponse(description="Not signed in (send a personal access token)."),
}


def _own_profile(request) -> Profile:
    return (
        Profile.objects.select_related("team", "user")
        .prefetch_related("languages", "skills_offered__skill", "skills_wanted__skill")
        .get(pk=profile_for(request.user).pk)
    )


class MeView(ConditionalEdits, APIView):
    def version(self, request):
        return profile_for(request.user).updated_at

    serializer_class = MeSerializer

    @extend_schema(responses={200: MeSerializer, 401: ERRORS[401]}, summary="My profile", tags=["people"])
    def get(self, request):
        return Response(MeSerializer(_own_profile(request), context={"request": request}).data)

    @extend_schema(
        request=MeSerializer,
        responses={200: MeSerializer, **ERRORS},
        summary="Update my profile",
        tags=["people"],
    )
    def patch(self, request):
        profile = _own_profile(request)
        serializer = MeSerializer(profile, data=request.data, partial=True, context={"request": request})
        _valid(serializer)
        serializer.save()
        return Response(MeSerializer(_own_profile(request), context={"request": request}).data)


class MySkillsOfferedView(APIView):
    serializer_class = SkillsOfferedSerializer

    @extend_schema(
        responses={200: SkillsOfferedSerializer, 401: ERRORS[401]},
        summary="The skills I offer (as PUT takes them back)",
        tags=["people"],
    )
    def get(self, request):
        offers = profile_for(request.user).skills_offered.select_related("skill")
        return Response(SkillsOfferedSerializer({"skills": offers}).data)

    @extend_schema(
        request=SkillsOfferedInputSerializer,
        responses={200: SkillsOfferedSerializer, **ERRORS},
        summary="Replace the skills I offer",
        tags=["people"],
        description="Send the whole list; skills not in it are removed. Each skill at most once, level 1–5.",
    )
    def put(self, request):
        data = _valid(SkillsOfferedInputSerializer(data=request.data, context={"request": request}))
        offers = replace_skills_offered(
            profile=profile_for(request.user),
            skills_offered=[
                OfferedSkill(skill=r["skill"], level=r["level"], note=r["note"]) for r in data["skills"]
            ],
        )
        return Response(SkillsOfferedSerializer({"skills": offers}).data)


class MySkillsWantedView(APIView):
    serializer_class = SkillsWantedSerializer

    @extend_schema(
        responses={200: SkillsWantedSerializer, 401: ERRORS[401]},
        summary="My learning goals (as PUT takes them back)",
        tags=["people"],
    )
    def get(self, request):
        wanted = profile_for(request.user).skills_wanted.select_related("skill")
        return Response(SkillsWantedSerializer({"skills": wanted}).data)

    @extend_schema(
        request=SkillsWantedInputSerializer,
        responses={200: SkillsWantedSerializer, **ERRORS},
        summary="Replace my learning goals",
        tags=["people"],
        description="Send the whole list; skills not in it are removed. Each skill at most once.",
    )
    def put(self, request):
        data = _valid(SkillsWantedInputSerializer(data=request.data, context={"request": request}))
        wanted = replace_skills_wanted(
            profile=profile_for(request.user),
            skills_wanted=[WantedSkill(skill=r["skill"], note=r["note"]) for r in data["skills"]],
        )
        return Response(SkillsWantedSerializer({"skills": wanted}).data)


DIRECTORY_PARAMETERS = [
    OpenApiParameter(
        "q", OpenApiTypes.STR, description="Name, skill (incl. aliases), headline, bio or note."
    ),
    OpenApiParameter("skill", OpenApiTypes.STR, description="A skill or alias; also finds its child skills."),
    OpenApiParameter("open_now", OpenApiTypes.BOOL, description="Only people open to help and not paused."),
    OpenApiParameter("format", OpenApiTypes.STR, enum=Format.values, description="Offers this format."),
    OpenApiParameter("language", OpenApiTypes.STR, description="Speaks this language (code, e.g. en)."),
    OpenApiParameter("team", OpenApiTypes.STR, description="In this team (slug)."),
    OpenApiParameter(
        "tz_overlap", OpenApiTypes.INT, description="Clock within ± this many hours (0–12) of mine right now."
    ),
]


class _FormatIsAFilter:
    URL_FORMAT_OVERRIDE = None


class FormatIsAFilterNegotiation(DefaultContentNegotiation):
    """Here ``?format=call30`` filters people by session format; it never picks a renderer."""

    settings = _FormatIsAFilter


class PeopleListView(generics.ListAPIView):
    """The directory's order and filters, a keyset page at a time (``PeopleKeysetPagination``)."""

    serializer_class = ProfileSerializer
    content_negotiation_class = FormatIsAFilterNegotiation
    pagination_class = PeopleKeysetPagination
    queryset = Profile.objects.none()  # pages come from directory_page; this names the model for the schema

    def get_filters(self) -> DirectoryFilters:
        form = DirectoryFilterForm(self.request.query_params)
        errors = {field: [str(e) for e in errors] for field, errors in form.errors.items()}
        # The web form reads anything but "yes" as no, and an empty format as any; here each is a 400.
        for name, read in (
            ("open_now", lambda: query_flag(self.request, "open_now")),
            ("format", lambda: query_choice(self.request, "format", Format.values)),
        ):
            try:
                read()
            except ValidationError as error:
                errors[name] = error.detail[name]  # type: ignore[call-overload]
        try:
            refuse_empty(self.request, "team", "language", "tz_overlap")
        except ValidationError as error:
            errors.update(error.detail)  # type: ignore[arg-type]
        if errors:
            raise ValidationError(errors)
        me = profile_for(self.request.user)  # type: ignore[arg-type]  # IsAuthenticated: never anonymous
        return form.to_filters(tz_reference=me.timezone)

    @extend_schema(
        parameters=DIRECTORY_PARAMETERS,
        responses={200: ProfileSerializer(many=True), **ERRORS},
        summary="Search people",
        tags=["people"],
    )
    def get(self, request, *args, **kwargs):
        page = self.paginator.paginate_directory(request, self.get_filters(), viewer=request.user)
        context = {**self.get_serializer_context(), "capacities": capacity_left(page)}
        return self.get_paginated_response(ProfileSerializer(page, many=True, context=context).data)


class PersonView(APIView):
    serializer_class = ProfileDetailSerializer

    @extend_schema(
        responses={
            200: ProfileDetailSerializer,
            401: ERRORS[401],
            404: OpenApiResponse(description="No such person."),
        },
        summary="A person",
        tags=["people"],
    )
    def get(self, request, pk: int):
        profile = get_object_or_404(
            Profile.objects.filter(user__is_active=True)
            .select_related("team")
            .prefetch_related("languages", "skills_offered__skill", "skills_wanted__skill"),
            pk=pk,
        )
        return Response(ProfileDetailSerializer(profile, context={"request": request}).data)
