"""A small SAML 2.0 identity provider on pysaml2, signing assertions with RSA-SHA256 through ``xmlsec1``.

``SamlIdp.respond(...)`` builds a signed response in-process (the negative tests tamper with it);
``serve()`` puts the IdP on a loopback port: ``GET /metadata`` is its metadata, ``GET /sso`` shows who you
log in as, ``POST /sso`` answers with a form that posts the signed response to our ACS (no JavaScript).

pysaml2 is imported where it is used, not at the top: loading it (its XML schemas) costs about a second of
CPU, and every pytest-xdist worker imports every test module to collect it, though only the SSO tests that
build an IdP need it.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

ROOT = Path(__file__).resolve().parent.parent.parent
EMAIL_ATTRIBUTE = "urn:oid:0.9.2342.19200300.100.1.3"


def ensure_xmlsec1() -> str:
    found = shutil.which("xmlsec1")
    if found is None:
        subprocess.run(["sh", str(ROOT / "scripts" / "ensure_sso_servers.sh")], check=True, timeout=600)
        found = shutil.which("xmlsec1")
    assert found, "xmlsec1 is needed for the SAML IdP (scripts/ensure_sso_servers.sh)"
    return found


def make_key_and_certificate(*, days: int = 365) -> tuple[str, str]:
    """A fresh RSA key and a self-signed certificate (PEM), valid from now for ``days``."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test IdP")])
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=days))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return key_pem, certificate.public_bytes(serialization.Encoding.PEM).decode()


@dataclass
class SamlIdp:
    base_url: str
    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="sso-idp-")))
    users: dict[str, dict] = field(default_factory=dict)  # persistent NameID → attributes

    def __post_init__(self) -> None:
        from saml2.config import IdPConfig
        from saml2.mdstore import MetadataStore
        from saml2.server import Server

        key_pem, cert_pem = make_key_and_certificate()
        (self.folder / "idp.key").write_text(key_pem)
        (self.folder / "idp.crt").write_text(cert_pem)
        self.xmlsec = ensure_xmlsec1()
        self.server = Server(config=IdPConfig().load(self._config()))
        self.server.metadata = self.server.config.metadata = MetadataStore(
            self.server.config.attribute_converters, self.server.config
        )
        self.sp_entity_ids: set[str] = set()

    @property
    def entity_id(self) -> str:
        return f"{self.base_url}/metadata"

    @property
    def sso_url(self) -> str:
        return f"{self.base_url}/sso"

    def _config(self) -> dict:
        from saml2 import BINDING_HTTP_REDIRECT
        from saml2.saml import NAMEID_FORMAT_PERSISTENT
        from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

        return {
            "entityid": self.entity_id,
            "xmlsec_binary": self.xmlsec,
            "key_file": str(self.folder / "idp.key"),
            "cert_file": str(self.folder / "idp.crt"),
            "signing_algorithm": SIG_RSA_SHA256,
            "digest_algorithm": DIGEST_SHA256,
            "service": {
                "idp": {
                    "endpoints": {"single_sign_on_service": [(self.sso_url, BINDING_HTTP_REDIRECT)]},
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": 5},
                            "name_form": "urn:oasis:names:tc:SAML:2.0:attrname-format:uri",
                        }
                    },
                    "want_authn_requests_signed": False,
                }
            },
        }

    def metadata_xml(self) -> str:
        from saml2.metadata import create_metadata_string

        xml = create_metadata_string(None, config=self.server.config, sign=False)
        return xml.decode() if isinstance(xml, bytes) else xml

    def trust_sp(self, *, entity_id: str, acs_url: str) -> None:
        """Load our SP's metadata (entity ID and ACS) so the IdP answers it."""
        from saml2 import BINDING_HTTP_POST
        from saml2.saml import NAMEID_FORMAT_PERSISTENT

        if entity_id in self.sp_entity_ids:
            return
        xml = f"""<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{entity_id}">
  <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" WantAssertionsSigned="true">
    <md:NameIDFormat>{NAMEID_FORMAT_PERSISTENT}</md:NameIDFormat>
    <md:AssertionConsumerService Binding="{BINDING_HTTP_POST}" Location="{acs_url}" index="0"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>"""
        self.server.metadata.load("inline", xml)
        self.sp_entity_ids.add(entity_id)

    def read_request(self, saml_request: str) -> tuple[str, str, str]:
        """(request id, our ACS URL, our entity ID) from a redirect-binding AuthnRequest."""
        from saml2 import BINDING_HTTP_REDIRECT

        request = self.server.parse_authn_request(saml_request, BINDING_HTTP_REDIRECT).message
        return request.id, request.assertion_consumer_service_url, request.issuer.text

    def respond(self, saml_request: str, *, uid: str, audience: str | None = None) -> tuple[str, str]:
        """(base64 SAMLResponse, ACS URL): a response to the request, the assertion signed with SHA-256."""
        from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID
        from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

        request_id, acs_url, sp_entity_id = self.read_request(saml_request)
        self.trust_sp(entity_id=sp_entity_id, acs_url=acs_url)
        attributes = self.users[uid]
        response = self.server.create_authn_response(
            identity={name: [value] for name, value in attributes.items()},
            in_response_to=request_id,
            destination=acs_url,
            sp_entity_id=audience or sp_entity_id,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=uid),
            authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"},
            sign_response=False,
            sign_assertion=True,
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
        )
        return base64.b64encode(str(response).encode()).decode(), acs_url


SECURITY_HEADERS = [
    ("Content-Security-Policy", "default-src 'none'; form-action http://localhost:* http://127.0.0.1:*"),
    ("Permissions-Policy", "camera=()"),
]


def _page(body: str) -> list[bytes]:
    return [
        f"<!doctype html><html lang='en'><head><title>Test IdP</title></head><body>{body}</body></html>".encode()
    ]


def wsgi_app(idp: SamlIdp):
    def app(environ, start_response):
        headers = [("Content-Type", "text/html; charset=utf-8"), *SECURITY_HEADERS]
        if environ["PATH_INFO"] == "/metadata":
            start_response("200 OK", [("Content-Type", "application/samlmetadata+xml")])
            return [idp.metadata_xml().encode()]
        if environ["PATH_INFO"] != "/sso":
            start_response("404 Not Found", headers)
            return _page("Not found")
        if environ["REQUEST_METHOD"] == "GET":
            query = parse_qs(environ.get("QUERY_STRING", ""))
            saml_request = html.escape(query["SAMLRequest"][0])
            options = "".join(
                f"<button type='submit' name='uid' value='{html.escape(uid)}'>Log in as {html.escape(a[EMAIL_ATTRIBUTE])}</button>"
                for uid, a in idp.users.items()
            )
            start_response("200 OK", headers)
            return _page(
                f"<h1>Test IdP</h1><form method='post' action='/sso'><input type='hidden' name='SAMLRequest' value='{saml_request}'>{options}</form>"
            )
        size = int(environ.get("CONTENT_LENGTH") or 0)
        form = parse_qs(environ["wsgi.input"].read(size).decode())
        saml_response, acs_url = idp.respond(form["SAMLRequest"][0], uid=form["uid"][0])
        start_response("200 OK", headers)
        return _page(
            f"<form method='post' action='{html.escape(acs_url)}'><input type='hidden' name='SAMLResponse' value='{saml_response}'>"
            "<button type='submit'>Continue to the application</button></form>"
        )

    return app


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass


def serve(idp_factory) -> tuple[SamlIdp, WSGIServer]:
    """Start an IdP on a free loopback port in a thread; ``idp_factory(base_url)`` builds it."""
    server = make_server("127.0.0.1", 0, lambda e, s: app(e, s), handler_class=_QuietHandler)
    idp = idp_factory(f"http://127.0.0.1:{server.server_port}")
    app = wsgi_app(idp)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return idp, server
