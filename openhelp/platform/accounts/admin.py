from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import forms as auth_forms

from openhelp.platform.accounts import services
from openhelp.platform.accounts.models import AccessToken, User
from openhelp.platform.lib.admin_privacy import PrivateTextAdmin
from openhelp.platform.lib.clock import now


class UserCreationForm(auth_forms.AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("Someone already uses this e-mail address.")
        return email


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class AdminPasswordChangeForm(auth_forms.AdminPasswordChangeForm):
    """An admin setting someone's password is a reset: their access tokens stop working, and they are told."""

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=commit)
        if commit:
            services.revoke_tokens_after_password_change(user=user, reset=True)
        return user


@admin.register(User)
class UserAdmin(PrivateTextAdmin, auth_admin.UserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    change_password_form = AdminPasswordChangeForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Roles", {"fields": ("is_active", "is_organiser", "is_staff", "is_superuser")}),
        ("Permissions", {"classes": ("collapse",), "fields": ("groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "usable_password", "password1", "password2")}),
    )
    list_display = ("email", "display_name", "is_organiser", "is_staff", "is_active", "date_joined")
    list_editable = ("is_organiser",)
    list_filter = ("is_organiser", "is_staff", "is_superuser", "is_active")
    search_fields = ("email", "profile__display_name")
    ordering = ("email",)
    readonly_fields = ("last_login", "date_joined")
    list_select_related = ("profile",)


@admin.register(AccessToken)
class AccessTokenAdmin(PrivateTextAdmin):
    list_display = ("name", "user", "key_hint", "created_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("name", "user__email", "key_hint")
    readonly_fields = ("user", "key_hint", "key_hash", "created_at", "last_used_at", "revoked_at")
    fields = ("user", "name", *readonly_fields[1:])
    list_select_related = ("user",)
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False  # a token's secret can only be handed to its owner, on the tokens page

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset) -> None:
        changed = queryset.filter(revoked_at__isnull=True).update(revoked_at=now())
        self.message_user(request, f"{changed} token(s) revoked.")


# allauth registers its own admin, which shows an authenticator's data: a TOTP secret, recovery codes.
admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(PrivateTextAdmin):
    private_fields = ("data",)
    raw_id_fields = ("user",)
    list_display = ("user", "type", "created_at", "last_used_at")
    list_filter = ("type", "created_at", "last_used_at")
