"""Reading a SAML IdP's metadata (pasted or fetched) into what allauth needs, and its certificate's expiry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import requests
from cryptography import x509
from django.core.exceptions import ValidationError
from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser  # type: ignore[import-untyped]

from openhelp.platform.lib import safe_http

FETCH_TIMEOUT_SECONDS = (5.0, 10.0)
MAX_METADATA_BYTES = 1_000_000


@dataclass(frozen=True)
class IdpMetadata:
    entity_id: str
    sso_url: str
    certificates: tuple[str, ...]  # base64 DER, as in the metadata; the first signs today

    @property
    def expires_at(self) -> dt.datetime | None:
        """The earliest expiry among the signing certificates: the day logins would start failing."""
        dates = [certificate_expiry(cert) for cert in self.certificates]
        return min(dates) if dates else None


def certificate_expiry(certificate_b64: str) -> dt.datetime:
    body = "".join(certificate_b64.split())
    pem = f"-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n"
    try:
        return x509.load_pem_x509_certificate(pem.encode()).not_valid_after_utc
    except ValueError as error:
        raise ValidationError("The IdP's signing certificate cannot be read.") from error


def fetch(url: str) -> str:
    """The metadata document at ``url``; a ValidationError (for the form) when it cannot be had.

    Through the one client for typed-in URLs: an IdP on an internal network must be listed in
    OUTBOUND_ALLOWED_HOSTS."""
    try:
        response = safe_http.safe_request(
            "GET", url, timeout=FETCH_TIMEOUT_SECONDS, max_bytes=MAX_METADATA_BYTES
        )
    except requests.RequestException as error:
        raise ValidationError(
            {"metadata_url": f"The metadata could not be fetched: {safe_http.describe(error)}"}
        ) from error
    if not response.ok:
        raise ValidationError(
            {"metadata_url": f"The metadata could not be fetched: HTTP {response.status_code}."}
        )
    return response.text


def parse(xml: str, *, entity_id: str = "") -> IdpMetadata:
    """The IdP's entity ID, its HTTP-Redirect single sign-on URL and signing certificates."""
    try:
        parsed = OneLogin_Saml2_IdPMetadataParser.parse(xml, entity_id=entity_id or None)
    except Exception as error:  # lxml and python3-saml raise many kinds for bad XML
        raise ValidationError({"metadata_xml": f"This is not SAML IdP metadata: {error}"}) from error
    idp = parsed.get("idp") or {}
    sso_url = (idp.get("singleSignOnService") or {}).get("url", "")
    if not idp.get("entityId") or not sso_url:
        raise ValidationError(
            {"metadata_xml": "The metadata names no IdP entity ID or no single sign-on URL (HTTP-Redirect)."}
        )
    multi = idp.get("x509certMulti") or {}
    certificates = tuple(multi.get("signing") or ([idp["x509cert"]] if idp.get("x509cert") else []))
    if not certificates:
        raise ValidationError({"metadata_xml": "The metadata has no signing certificate."})
    return IdpMetadata(entity_id=idp["entityId"], sso_url=sso_url, certificates=certificates)
