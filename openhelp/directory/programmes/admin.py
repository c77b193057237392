from django.contrib import admin

from openhelp.directory.programmes.models import Membership, Programme
from openhelp.platform.lib.admin_privacy import PrivateTextAdmin, PrivateTextInline


class MembershipInline(PrivateTextInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Programme)
class ProgrammeAdmin(PrivateTextAdmin):
    list_display = ("name", "slug", "allowed_email_domain", "created_at")
    search_fields = ("name", "slug")
    filter_horizontal = ("focus_skills",)
    readonly_fields = ("invite_token",)
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(PrivateTextAdmin):
    list_display = ("programme", "user", "role", "joined_at", "accepted_code_of_conduct_at")
    list_filter = ("role",)
    raw_id_fields = ("user", "programme")
