"""The Authlib authorization server inside the local OpenID Connect provider: its
registered client, the codes it issues, a request read from a WSGI environ, the
authorization code grant (PKCE S256, OpenID Connect's ID token) and the server, all
over the state `LocalOIDCProvider` keeps (`oidc_provider.py`)."""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from authlib.common.security import generate_token
from authlib.oauth2 import AuthorizationServer, OAuth2Error
from authlib.oauth2.rfc6749 import OAuth2Request
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode

if TYPE_CHECKING:
    from flowline.sandbox.oidc.oidc_provider import LocalOIDCProvider, ProviderUser

CODE_LIFETIME = 600


@dataclass
class RegisteredClient:
    client_id: str
    client_secret: str
    redirect_uris: list[str]

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope):
        return scope or ""

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri in self.redirect_uris  # exact match, as real providers do

    def check_client_secret(self, client_secret):
        return secrets.compare_digest(client_secret or "", self.client_secret)

    def check_endpoint_auth_method(self, method, endpoint):
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type == "authorization_code"


@dataclass
class IssuedCode:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: ProviderUser
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time

    def get_acr(self):
        return None

    def get_amr(self):
        return None

    def is_expired(self):
        return self.auth_time + CODE_LIFETIME < time.time()


class EnvironRequest(OAuth2Request):
    """An OAuth2Request from a WSGI environ: the query and the form body, merged."""

    def __init__(self, method: str, url: str, query: dict, form: dict, headers: dict):
        super().__init__(method=method, uri=url, headers=headers)
        self._args, self._form = query, form
        self.payload = BasicOAuth2Payload({**query, **form})

    @property
    def args(self):
        return self._args

    @property
    def form(self):
        return self._form


class CodeGrant(AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def save_authorization_code(self, code, request):
        data = request.payload.data
        self.server.provider.codes[code] = IssuedCode(
            code=code,
            client_id=request.client.client_id,
            redirect_uri=request.payload.redirect_uri,
            scope=request.payload.scope or "",
            user=request.user,
            nonce=data.get("nonce"),
            code_challenge=data.get("code_challenge"),
            code_challenge_method=data.get("code_challenge_method"),
        )

    def query_authorization_code(self, code, client):
        item = self.server.provider.codes.get(code)
        if item and item.client_id == client.client_id and not item.is_expired():
            return item
        return None

    def delete_authorization_code(self, authorization_code):
        # A code works once: a replay finds nothing and gets invalid_grant.
        self.server.provider.codes.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code):
        return authorization_code.user


class IdTokenExtension(OpenIDCode):
    def __init__(self, provider: LocalOIDCProvider):
        super().__init__(require_nonce=False)
        self.provider = provider

    def exists_nonce(self, nonce, request):
        return False

    def resolve_client_private_key(self, client):
        return self.provider.key

    def get_client_algorithm(self, client):
        return "RS256"

    def get_encode_header(self, client):
        return {"alg": "RS256", "kid": self.provider.key.kid, "typ": "JWT"}

    def get_client_claims(self, client):
        return {"iss": self.provider.issuer, "aud": [client.client_id]}

    def generate_user_info(self, user, scope):
        return UserInfo(self.provider.claims(user))


class ProviderServer(AuthorizationServer):
    def __init__(self, provider: LocalOIDCProvider):
        super().__init__(scopes_supported=None)
        self.provider = provider
        self.register_token_generator(
            "default", BearerTokenGenerator(lambda **kwargs: generate_token(42))
        )
        self.register_grant(CodeGrant, [CodeChallenge(required=True), IdTokenExtension(provider)])

    def query_client(self, client_id):
        return self.provider.clients.get(client_id)

    def save_token(self, token, request):
        self.provider.tokens[token["access_token"]] = request.user

    def create_oauth2_request(self, request):
        return request

    def create_json_request(self, request):
        return request

    def handle_response(self, status, body, headers):
        if isinstance(body, dict):
            body = json.dumps(body)
        return status, body, headers

    def send_signal(self, name, *args, **kwargs):
        pass


class PKCERequired(OAuth2Error):
    error = "invalid_request"
    description = "PKCE (code_challenge with S256) is required."
