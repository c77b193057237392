"""Identity providers over the REST API (site administrators only: ``User.is_site_admin``), the same service
as the pages, and the pages' "Check the set-up" (``checks.check_configuration``).

The client secret is write-only; responses show its last four characters. Providers are read and changed
from a signed-in browser session only, as SCIM tokens are made: a leaked personal access token must not be
able to point the company login at an IdP of its own and so sign in as anyone.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from openhelp.integrations.sso import checks, services
from openhelp.integrations.sso.metadata import MAX_METADATA_BYTES
from openhelp.integrations.sso.models import MAPPED_FIELDS, IdentityProvider
from openhelp.integrations.sso.socialapps import sp_details
from openhelp.platform.accounts.api import IsSessionAuthenticated, RecentlyReauthenticated
from openhelp.platform.accounts.models import User
from openhelp.platform.api import fields
from openhelp.platform.api.errors import ERROR_BODY
from openhelp.platform.api.fields import StrictBooleans
from openhelp.platform.api.known_fields import KnownFieldsOnly
from openhelp.platform.api.permissions import IsSiteAdminElse404
from openhelp.platform.api.responses import created


class ProviderSerializer(StrictBooleans, KnownFieldsOnly, serializers.ModelSerializer):
    domains = fields.ListField(
        max_length=50, child=serializers.CharField(max_length=253), source="domain_names"
    )
    client_secret = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=2000)
    secret_hint = serializers.CharField(read_only=True, help_text="The stored secret's last four characters.")
    claim_mapping = fields.DictField(
        max_keys=len(MAPPED_FIELDS),
        child=serializers.CharField(max_length=255, allow_blank=True),
        required=False,
    )
    metadata_xml = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_METADATA_BYTES, help_text="The IdP's SAML metadata."
    )
    needs_confirmation = serializers.BooleanField(
        read_only=True,
        help_text="No current site administrator saved it (set up before company login was theirs alone, or "
        "by someone no longer one): check its discovery URL or metadata and domains, then save it.",
    )
    service_provider = serializers.SerializerMethodField(
        help_text="What the IdP's administrator needs: entity ID and ACS URL (SAML) or the redirect URI (OIDC)."
    )

    class Meta:
        model = IdentityProvider
        fields = [
            "id",
            "kind",
            "name",
            "slug",
            "status",
            "domains",
            "jit_allowed",
            "sso_required",
            "claim_mapping",
            "discovery_url",
            "client_id",
            "client_secret",
            "secret_hint",
            "scopes",
            "metadata_url",
            "metadata_xml",
            "idp_entity_id",
            "cert_expires_at",
            "last_success_at",
            "last_failure_at",
            "last_failure_reason",
            "failures_in_a_row",
            "confirmed_at",
            "needs_confirmation",
            "service_provider",
        ]
        read_only_fields = [
            "id",
            "confirmed_at",
            "idp_entity_id",
            "cert_expires_at",
            "last_success_at",
            "last_failure_at",
            "last_failure_reason",
            "failures_in_a_row",
        ]

    def get_service_provider(self, provider: IdentityProvider) -> dict[str, str]:
        return sp_details(provider)

    def validate_claim_mapping(self, value: dict) -> dict:
        unknown = set(value) - set(MAPPED_FIELDS)
        if unknown:
            raise serializers.ValidationError(f"Unknown keys: {', '.join(sorted(unknown))}.")
        return {key: text for key, text in value.items() if text}

    def validate(self, attrs: dict) -> dict:
        if self.instance is not None:
            for fixed in ("kind", "slug"):
                if fixed in attrs and attrs[fixed] != getattr(self.instance, fixed):
                    raise serializers.ValidationError({fixed: "Cannot change after creation."})
        return attrs

    def save_with_service(self, *, saved_by: User) -> IdentityProvider:
        data = dict(self.validated_data)
        domains = data.pop("domain_names", None)
        secret = data.pop("client_secret", "")
        provider = self.instance or IdentityProvider()
        for name, value in data.items():
            setattr(provider, name, value)
        if secret:
            provider.client_secret = secret
        if domains is None:
            domains = provider.domain_names if provider.pk else []
        return services.save_provider(provider=provider, domains=domains, saved_by=saved_by)


REAUTHENTICATION = (
    "Needs a reauthentication in this browser session in the last five minutes (/accounts/reauthenticate/, "
    "as the pages ask for it); otherwise 403."
)


class SessionOnly(IsSessionAuthenticated):
    message = "Set identity providers up from a signed-in browser session, not with an access token."


class ProviderListView(APIView):
    permission_classes = [IsSiteAdminElse404, SessionOnly, RecentlyReauthenticated]

    @extend_schema(summary="List identity providers", responses={200: ProviderSerializer(many=True)})
    def get(self, request):
        providers = IdentityProvider.objects.prefetch_related("domains").select_related("confirmed_by")
        return Response(ProviderSerializer(providers, many=True).data)

    @extend_schema(
        summary="Add an identity provider",
        request=ProviderSerializer,
        description=REAUTHENTICATION,
        responses={201: ProviderSerializer, 400: ERROR_BODY, 403: ERROR_BODY},
    )
    def post(self, request):
        serializer = ProviderSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        provider = serializer.save_with_service(saved_by=request.user)
        response = Response(ProviderSerializer(provider).data, status=status.HTTP_201_CREATED)
        return created(response, request, "sso-provider-detail", pk=provider.pk)


class ProviderDetailView(APIView):
    permission_classes = [IsSiteAdminElse404, SessionOnly, RecentlyReauthenticated]

    def _provider(self, pk: int) -> IdentityProvider:
        provider = (
            IdentityProvider.objects.prefetch_related("domains")
            .select_related("confirmed_by")
            .filter(pk=pk)
            .first()
        )
        if provider is None:
            raise Http404
        return provider

    @extend_schema(summary="An identity provider", responses={200: ProviderSerializer, 404: ERROR_BODY})
    def get(self, request, pk: int):
        return Response(ProviderSerializer(self._provider(pk)).data)

    @extend_schema(
        summary="Change an identity provider",
        description=REAUTHENTICATION,
        request=ProviderSerializer,
        responses={200: ProviderSerializer, 400: ERROR_BODY, 403: ERROR_BODY, 404: ERROR_BODY},
    )
    def patch(self, request, pk: int):
        serializer = ProviderSerializer(self._provider(pk), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        provider = serializer.save_with_service(saved_by=request.user)
        provider = self._provider(provider.pk)
        return Response(ProviderSerializer(provider).data)


class CheckResultSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    message = serializers.CharField()


class ProviderCheckSerializer(serializers.Serializer):
    ok = serializers.BooleanField(help_text="Every check passed.")
    results = CheckResultSerializer(many=True, help_text="Each check, in the order the page lists them.")
    service_provider = serializers.DictField(
        child=serializers.CharField(), help_text="What the IdP's administrator needs, as on the provider."
    )


class ProviderCheckView(APIView):
    permission_classes = [IsSiteAdminElse404]

    @extend_schema(
        summary="Check an identity provider's set-up without logging anyone in",
        description="What the provider page's check does: its e-mail domains, then discovery and signing keys "
        "(OpenID Connect) or the metadata and its certificate (SAML), fetched now. A problem is a result "
        "with ok false, not an error.",
        request=None,
        responses={200: ProviderCheckSerializer, 404: ERROR_BODY},
    )
    def post(self, request, pk: int):
        provider = (
            IdentityProvider.objects.prefetch_related("domains")
            .select_related("confirmed_by")
            .filter(pk=pk)
            .first()
        )
        if provider is None:
            raise Http404
        results = checks.check_configuration(provider)
        body = {
            "ok": all(result.ok for result in results),
            "results": [{"ok": result.ok, "message": result.message} for result in results],
            "service_provider": sp_details(provider),
        }
        return Response(ProviderCheckSerializer(body).data)
