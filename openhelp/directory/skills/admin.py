from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from openhelp.directory.skills import services
from openhelp.directory.skills.models import Skill, SkillAlias, SkillCategory
from openhelp.platform.lib.admin_privacy import PrivateTextAdmin, PrivateTextInline


@admin.register(SkillCategory)
class SkillCategoryAdmin(PrivateTextAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class SkillAliasInline(PrivateTextInline):
    model = SkillAlias
    extra = 1
    fields = ["name"]


@admin.register(Skill)
class SkillAdmin(PrivateTextAdmin):
    list_display = ["name", "category", "parent", "status", "proposed_by", "created_at"]
    list_filter = ["status", "category"]
    search_fields = ["name", "aliases__name"]
    list_select_related = ["category", "parent", "proposed_by"]
    autocomplete_fields = ["parent"]
    raw_id_fields = ["proposed_by"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SkillAliasInline]
    actions = ["approve_selected"]

    @admin.action(description="Approve selected proposals (notifies proposers)")
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Skill]) -> None:
        approved = 0
        for skill in queryset.filter(status=Skill.Status.PROPOSED):
            services.approve_skill(skill=skill)
            approved += 1
        self.message_user(request, f"Approved {approved} skill(s).", messages.SUCCESS)


@admin.register(SkillAlias)
class SkillAliasAdmin(PrivateTextAdmin):
    list_display = ["name", "skill"]
    search_fields = ["name", "skill__name"]
    list_select_related = ["skill"]
    autocomplete_fields = ["skill"]
