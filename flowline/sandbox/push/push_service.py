"""A Web Push service (RFC 8030) and the browsers subscribed to it: the tests' and the
sandbox's one fake of the protocol `flowline.notifications.services.push` speaks.

It checks what a real push service checks (RFC 8292 VAPID: `vapid t=<JWT>,k=<key>`, an
ES256 JWT signed by that key, for this service's origin, not expired) and, holding the
subscribed browsers' private keys, decrypts the RFC 8291 aes128gcm body independently of
pywebpush. `POST /push/<name>` answers 201, 404 for a subscription it never issued and
410 for one marked gone (Flowline forgets both); mounted in sandbox mode,
`POST /subscription` issues a new browser's PushSubscription (what `pushManager.subscribe()`
gives a page) and `/sandbox/outbox/` shows what was delivered.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from flowline.sandbox.server import FakeServer


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _point(key: ec.EllipticCurvePublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


def _hkdf(salt: bytes, ikm: bytes, info: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


def _new_private_value() -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_numbers().private_value.to_bytes(32, "big")


@dataclass
class FakeBrowser:
    """A browser's push keys: an ECDH P-256 pair (kept as its raw private value, so the
    sandbox can save it) and a 16-byte auth secret."""

    private_value: bytes = field(default_factory=_new_private_value)
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def private_key(self) -> ec.EllipticCurvePrivateKey:
        return ec.derive_private_key(int.from_bytes(self.private_value, "big"), ec.SECP256R1())

    @property
    def p256dh(self) -> str:
        return b64url(_point(self.private_key.public_key()))

    @property
    def auth(self) -> str:
        return b64url(self.auth_secret)

    def subscription(self, endpoint: str) -> dict:
        """What `PushSubscription.toJSON()` gives in a browser."""
        return {
            "endpoint": endpoint,
            "expirationTime": None,
            "keys": {"p256dh": self.p256dh, "auth": self.auth},
        }

    def decrypt(self, body: bytes) -> bytes:
        """RFC 8291 / RFC 8188 aes128gcm, one record."""
        salt, record_size, id_length = body[:16], int.from_bytes(body[16:20], "big"), body[20]
        sender_key = body[21 : 21 + id_length]
        ciphertext = body[21 + id_length :]
        assert len(ciphertext) <= record_size, "more than one record"
        private_key = self.private_key
        sender = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), sender_key)
        shared = private_key.exchange(ec.ECDH(), sender)
        key_info = b"WebPush: info\x00" + _point(private_key.public_key()) + sender_key
        ikm = _hkdf(self.auth_secret, shared, key_info, 32)
        cek = _hkdf(salt, ikm, b"Content-Encoding: aes128gcm\x00", 16)
        nonce = _hkdf(salt, ikm, b"Content-Encoding: nonce\x00", 12)
        padded = AESGCM(cek).decrypt(nonce, ciphertext, None).rstrip(b"\x00")
        assert padded.endswith(b"\x02"), "not the last record"
        return padded[:-1]


@dataclass
class Delivery:
    path: str
    vapid_key: str
    claims: dict
    headers: dict
    message: dict
    received_at: datetime = field(default_factory=lambda: datetime.now(UTC))


def verify_vapid(authorization: str, audience: str) -> tuple[str, dict]:
    """(public key, claims) of a valid `vapid t=...,k=...` header; AssertionError if not."""
    scheme, _, params = authorization.partition(" ")
    assert scheme == "vapid", f"scheme {scheme!r}"
    values = dict(part.strip().split("=", 1) for part in params.split(","))
    token, key = values["t"], values["k"]
    header_b64, claims_b64, signature_b64 = token.split(".")
    assert json.loads(unb64url(header_b64))["alg"] == "ES256"
    signature = unb64url(signature_b64)
    assert len(signature) == 64, "ES256 signatures are raw r||s"
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
    public.verify(
        encode_dss_signature(
            int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        ),
        f"{header_b64}.{claims_b64}".encode(),
        ec.ECDSA(hashes.SHA256()),
    )
    claims = json.loads(unb64url(claims_b64))
    assert claims["aud"] == audience, f"aud {claims['aud']!r} != {audience!r}"
    assert claims["exp"] > time.time(), "expired"
    assert claims["sub"].startswith(("mailto:", "https:")), "sub"
    return key, claims


class FakePushService(FakeServer):
    """Records what it accepted (`deliveries`) and refused (`refusals`, with why); `gone`
    holds paths that answer 410. `browsers` are the subscriptions it issued, by name."""

    def __init__(self, browsers: dict[str, FakeBrowser] | None = None) -> None:
        super().__init__()
        self.browsers: dict[str, FakeBrowser] = dict(browsers or {})
        self.gone: set[str] = set()
        self.deliveries: list[Delivery] = []
        self.refusals: list[str] = []

    @property
    def base_url(self) -> str:
        return self.root

    @property
    def audience(self) -> str:
        """VAPID's `aud`: the origin of the push service's endpoints."""
        parts = urlsplit(self.root)
        return f"{parts.scheme}://{parts.netloc}"

    def endpoint(self, name: str) -> str:
        return f"{self.root}/push/{name}"

    def subscribe(self) -> dict:
        """A new browser's subscription here, as `pushManager.subscribe()` gives it."""
        name = secrets.token_urlsafe(12)
        with self._lock:
            browser = self.browsers[name] = FakeBrowser()
        return browser.subscription(self.endpoint(name))

    def handle(self, request: dict, reply) -> None:
        path = request["path"].split("?", 1)[0]
        if request["method"] == "POST" and path == "/subscription":
            return reply.json(201, self.subscribe())
        if request["method"] != "POST" or not path.startswith("/push/"):
            return reply.json(404, {"error": "not found"})
        if path in self.gone:
            return reply.raw(410, b"", "text/plain")
        browser = self.browsers.get(path.removeprefix("/push/"))
        if browser is None:
            return reply.raw(404, b"", "text/plain")
        headers = request["headers"]
        try:
            assert headers.get("content-encoding") == "aes128gcm", "content-encoding"
            assert "ttl" in headers, "TTL header"
            key, claims = verify_vapid(headers.get("authorization", ""), self.audience)
            message = json.loads(browser.decrypt(request["body"]))
        except Exception as exc:  # refused: the test (or the outbox page) shows why
            with self._lock:
                self.refusals.append(f"{path}: {exc!r}")
            return reply.raw(400, b"", "text/plain")
        with self._lock:
            self.deliveries.append(Delivery(path, key, claims, headers, message))
            if self._mounted_root:  # a long-running sandbox keeps the recent ones
                del self.deliveries[: -self.mounted_history]
                del self.refusals[: -self.mounted_history]
        return reply.raw(201, b"", "text/plain")
