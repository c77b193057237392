from django.contrib import admin
from django.db import transaction

from openhelp.directory.people import services
from openhelp.directory.people.models import Block, Language, Profile, SkillOffer, SkillWanted, Team
from openhelp.platform.lib.admin_privacy import PrivateTextAdmin, PrivateTextInline


@admin.register(Team)
class TeamAdmin(PrivateTextAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    # Through the service, which records the domain event (its people move to "no team").
    def delete_model(self, request, obj):
        services.delete_teams(teams=[obj], actor=request.user)

    def delete_queryset(self, request, queryset):
        services.delete_teams(teams=list(queryset), actor=request.user)


@admin.register(Language)
class LanguageAdmin(PrivateTextAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class SkillOfferInline(PrivateTextInline):
    model = SkillOffer
    extra = 0
    autocomplete_fields = ["skill"]


class SkillWantedInline(PrivateTextInline):
    model = SkillWanted
    extra = 0
    autocomplete_fields = ["skill"]


@admin.register(Profile)
class ProfileAdmin(PrivateTextAdmin):
    list_display = ["display_name", "user", "team", "timezone", "open_to_help", "paused_until"]
    list_filter = ["open_to_help", "team"]
    list_select_related = ["user", "team"]
    search_fields = ["display_name", "user__email", "headline"]
    raw_id_fields = ["user"]
    filter_horizontal = ["languages"]
    inlines = [SkillOfferInline, SkillWantedInline]

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            saved = Profile.objects.filter(pk=obj.pk).values_list("team_id", flat=True).first()
            super().save_model(request, obj, form, change)
            services.record_team_change(profile=obj, previous_team=saved, actor=request.user)


@admin.register(Block)
class BlockAdmin(PrivateTextAdmin):
    list_display = ["blocker", "blocked", "created_at"]
    raw_id_fields = ["blocker", "blocked"]
