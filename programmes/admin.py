from django.contrib import admin

from programmes.models import Membership, Programme


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "allowed_email_domain", "created_at")
    search_fields = ("name", "slug")
    filter_horizontal = ("focus_skills",)
    readonly_fields = ("invite_token",)
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("programme", "user", "role", "joined_at", "accepted_code_of_conduct_at")
    list_filter = ("role",)
    raw_id_fields = ("user", "programme")
