"""A small OpenID Connect provider on loopback, for the sign-in tests.

Discovery, an authorize endpoint that signs in `provider.person` at once and redirects back with a
code, a token endpoint answering with an RS256 ID token (a key generated per provider), the JWKS
and userinfo. It checks the client's id and secret, the redirect address and the PKCE verifier.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "workbench-tests"
CLIENT_SECRET = "tests-only-client-secret"


@dataclass
class Person:
    sub: str
    email: str
    email_verified: bool = True
    preferred_username: str = ""
    given_name: str = ""
    family_name: str = ""


@dataclass
class _Grant:
    person: Person
    nonce: str
    redirect_uri: str
    challenge: str


@dataclass
class Provider:
    issuer: str
    person: Person
    key: rsa.RSAPrivateKey
    kid: str = "test-key-1"
    grants: dict[str, _Grant] = field(default_factory=dict)
    tokens: dict[str, Person] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)

    def settings(self) -> dict[str, Any]:
        """The workbench settings that point at this provider (as the environment would)."""
        return {
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_ISSUER": self.issuer,
            "OIDC_RP_SIGN_ALGO": "RS256",
        }

    def jwks(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def id_token(self, person: Person, nonce: str) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": person.sub,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            "email": person.email,
            "email_verified": person.email_verified,
        }
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": self.kid})


def _handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _json(self, body: Any, status: int = 200) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            provider.requests.append(url.path)
            if url.path == "/.well-known/openid-configuration":
                base = provider.issuer
                self._json(
                    {
                        "issuer": base,
                        "authorization_endpoint": f"{base}/authorize",
                        "token_endpoint": f"{base}/token",
                        "userinfo_endpoint": f"{base}/userinfo",
                        "jwks_uri": f"{base}/jwks",
                        "response_types_supported": ["code"],
                        "subject_types_supported": ["public"],
                        "id_token_signing_alg_values_supported": ["RS256"],
                    }
                )
            elif url.path == "/authorize":
                if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
                    self._json({"error": "invalid_request"}, 400)
                    return
                code = secrets.token_urlsafe(16)
                provider.grants[code] = _Grant(
                    provider.person, query.get("nonce", ""), query["redirect_uri"], query.get("code_challenge", "")
                )
                self.send_response(302)
                self.send_header(
                    "Location", f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
                )
                self.end_headers()
            elif url.path == "/jwks":
                self._json(provider.jwks())
            elif url.path == "/userinfo":
                person = provider.tokens.get(self.headers.get("Authorization", "").removeprefix("Bearer "))
                if person is None:
                    self._json({"error": "invalid_token"}, 401)
                    return
                self._json(
                    {
                        "sub": person.sub,
                        "email": person.email,
                        "email_verified": person.email_verified,
                        "preferred_username": person.preferred_username,
                        "given_name": person.given_name,
                        "family_name": person.family_name,
                    }
                )
            else:
                self._json({"error": "not_found"}, 404)

        def do_POST(self) -> None:
            provider.requests.append(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if self.path != "/token":
                self._json({"error": "not_found"}, 404)
                return
            grant = provider.grants.pop(form.get("code", ""), None)
            verifier = form.get("code_verifier", "")
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if (
                grant is None
                or form.get("client_id") != CLIENT_ID
                or form.get("client_secret") != CLIENT_SECRET
                or form.get("redirect_uri") != grant.redirect_uri
                or (grant.challenge and challenge != grant.challenge)
            ):
                self._json({"error": "invalid_grant"}, 400)
                return
            access = secrets.token_urlsafe(16)
            provider.tokens[access] = grant.person
            self._json(
                {
                    "access_token": access,
                    "token_type": "Bearer",
                    "expires_in": 300,
                    "id_token": provider.id_token(grant.person, grant.nonce),
                }
            )

    return Handler


class RunningProvider:
    """The provider served on 127.0.0.1 in a thread; `stop()` shuts it down."""

    def __init__(self, person: Person) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
        issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.provider = Provider(issuer=issuer, person=person, key=key)
        self.server.RequestHandlerClass = _handler(self.provider)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
