"""A fake Web Push service on 127.0.0.1 and a fake browser, for tests.

The service checks what a real one checks (RFC 8292 VAPID: `vapid t=<JWT>,k=<key>`, an
ES256 JWT signed by that key with our audience and a future expiry) and decrypts the
RFC 8291 aes128gcm body with the browser's private key, independently of pywebpush.
It answers 201, or 410 for endpoints the test marks gone.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from flowline.core.testing.outbound import allow_private_host


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


@dataclass
class FakeBrowser:
    """A browser's push keys: an ECDH P-256 pair and a 16-byte auth secret."""

    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))

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
        sender = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), sender_key)
        shared = self.private_key.exchange(ec.ECDH(), sender)
        key_info = b"WebPush: info\x00" + _point(self.private_key.public_key()) + sender_key
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


class FakePushService:
    """Records what it accepted and what it refused; `gone` holds paths that answer 410."""

    def __init__(self, browsers: dict[str, FakeBrowser]):
        self.browsers = browsers
        self.gone: set[str] = set()
        self.deliveries: list[Delivery] = []
        self.refusals: list[str] = []
        self.base_url = ""

    def endpoint(self, name: str) -> str:
        return f"{self.base_url}/push/{name}"

    def handle(self, path: str, headers: dict, body: bytes) -> int:
        if path in self.gone:
            return 410
        try:
            assert headers.get("content-encoding") == "aes128gcm", "content-encoding"
            assert "ttl" in headers, "TTL header"
            key, claims = verify_vapid(headers.get("authorization", ""), self.base_url)
            browser = self.browsers[path.rsplit("/", 1)[-1]]
            message = json.loads(browser.decrypt(body))
        except Exception as exc:  # refused: the test reads why
            self.refusals.append(f"{path}: {exc!r}")
            return 400
        self.deliveries.append(Delivery(path, key, claims, headers, message))
        return 201


@contextmanager
def fake_push_service(browsers: dict[str, FakeBrowser], settings):
    """Serve a FakePushService on 127.0.0.1 in a thread: `/push/<browser name>`, its
    address allow-listed in pytest-django's `settings` for the test."""
    service = FakePushService(browsers)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {name.lower(): value for name, value in self.headers.items()}
            status = service.handle(self.path, headers, body)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    service.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    allow_private_host(settings, service.base_url)
    thread = threading.Thread(target=server.serve_forever, daemon=True, name="fake-push")
    thread.start()
    try:
        yield service
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
