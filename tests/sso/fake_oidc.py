"""A minimal OpenID Connect provider on a loopback port whose next ID token the test decides: the
negative cases (wrong audience, expired, another key) are tokens we sign ourselves, sent through
allauth's real callback view, token request and userinfo request."""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

KID = "test-key-1"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class FakeOidc:
    base_url: str = ""
    key: rsa.RSAPrivateKey = field(default_factory=new_key)
    userinfo: dict = field(default_factory=dict)
    id_token: str = ""
    token_requests: int = 0

    def discovery(self) -> dict:
        return {
            "issuer": self.base_url,
            "authorization_endpoint": f"{self.base_url}/authorize",
            "token_endpoint": f"{self.base_url}/token",
            "userinfo_endpoint": f"{self.base_url}/userinfo",
            "jwks_uri": f"{self.base_url}/jwks",
            "token_endpoint_auth_methods_supported": ["client_secret_post"],
        }

    def jwks(self) -> dict:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**jwk, "kid": KID, "alg": "RS256", "use": "sig"}]}

    def sign(
        self, *, audience: str, lifetime: int = 300, issuer: str | None = None, key=None, **claims
    ) -> str:
        now = int(time.time())
        payload = {
            "iss": issuer or self.base_url,
            "aud": audience,
            "iat": now,
            "exp": now + lifetime,
            "jti": uuid.uuid4().hex,
            **claims,
        }
        return jwt.encode(payload, key or self.key, algorithm="RS256", headers={"kid": KID})


def serve() -> tuple[FakeOidc, ThreadingHTTPServer]:
    fake = FakeOidc()

    class Handler(BaseHTTPRequestHandler):
        def _json(self, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):  # noqa: N802 - the stdlib's name
            routes = {
                "/.well-known/openid-configuration": fake.discovery,
                "/jwks": fake.jwks,
                "/userinfo": lambda: fake.userinfo,
            }
            handler = routes.get(self.path.split("?")[0])
            if handler is None:
                self.send_error(404)
            else:
                self._json(handler())

        def do_POST(self):  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.path != "/token":
                self.send_error(404)
                return
            fake.token_requests += 1
            self._json(
                {
                    "access_token": "opaque-access",
                    "token_type": "Bearer",
                    "expires_in": 300,
                    "id_token": fake.id_token,
                }
            )

        def log_message(self, format, *args):  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.base_url = f"http://127.0.0.1:{server.server_port}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return fake, server
