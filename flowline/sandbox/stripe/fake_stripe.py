"""A local fake of the part of Stripe's HTTP API Flowline uses, for tests and sandbox mode.

This module is the fake's state and what each API call does: the official SDK runs
unchanged against it (Bearer auth, idempotency keys where a replayed key returns the first
answer, list objects, errors in Stripe's shape `{"error": {"type", "code", "message",
"param"}}`). Every request is recorded so tests can check what the adapter sent. Serving it
over HTTP is `flowline.sandbox.stripe.server`; the signed webhooks Stripe sends are
`flowline.sandbox.stripe.webhooks`.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field

from flowline.sandbox.server import Sequence

API_KEY = "sk_test_flowline_fake"


@dataclass
class RecordedRequest:
    method: str
    path: str
    params: dict
    headers: dict


@dataclass
class FakeStripe:
    """State and behaviour of the fake; `server.url` is the SDK's api base."""

    api_key: str = API_KEY
    # Where a Checkout Session's `url` sends the payer (the sandbox mounts its own page).
    checkout_root: str = "https://checkout.stripe.test/c/pay"
    customers: dict = field(default_factory=dict)
    sessions: dict = field(default_factory=dict)
    payment_methods: dict = field(default_factory=dict)
    charges: dict = field(default_factory=dict)
    requests: list[RecordedRequest] = field(default_factory=list)
    _answers: dict = field(default_factory=dict)
    _failures: list = field(default_factory=list)
    _ids: Sequence = field(default_factory=lambda: Sequence(1))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        with self.lock:
            for store in (
                self.customers,
                self.sessions,
                self.payment_methods,
                self.charges,
                self._answers,
            ):
                store.clear()
            self.requests.clear()
            self._failures.clear()

    def snapshot(self) -> dict:
        """What Stripe keeps (customers, sessions, cards, charges), to `restore` later."""
        with self.lock:
            return {
                "customers": self.customers,
                "sessions": self.sessions,
                "payment_methods": self.payment_methods,
                "charges": self.charges,
                "_ids": self._ids,
            }

    def restore(self, state: dict) -> None:
        with self.lock:
            for key, value in state.items():
                setattr(self, key, value)

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_fake{next(self._ids):06d}"

    def requests_to(self, method: str, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method == method and r.path == path]

    def fail_next(self, status: int, *, type_: str = "api_error", code: str = "") -> None:
        """The next API call answers this error (and tells the SDK not to retry)."""
        self._failures.append((status, type_, code))

    def add_card(self, *, brand: str = "visa", last4: str = "4242", exp=(12, 2030)) -> str:
        """A card as Stripe.js would have collected it (not attached yet); returns pm_..."""
        method_id = self.new_id("pm")
        self.payment_methods[method_id] = _card(method_id, brand, last4, exp)
        return method_id

    def complete_session(self, session_id: str, **changes) -> dict:
        """The session as Stripe sends it in checkout.session.completed once paid."""
        session = dict(self.sessions[session_id])
        session.update(status="complete", payment_status="paid")
        if session["mode"] == "subscription":
            session["subscription"] = self.new_id("sub")
        else:
            session["payment_intent"] = self.new_id("pi")
        session.update(changes)
        self.sessions[session_id] = session
        return session

    def refund(self, session_id: str, amount: int | None = None) -> dict:
        """Refund `amount` (minor units; all of it by default) of a paid session's charge:
        the charge as Stripe sends it in charge.refunded, with the running total refunded."""
        session = self.sessions[session_id]
        charge = self.charges.setdefault(
            session["payment_intent"],
            {
                "id": self.new_id("ch"),
                "object": "charge",
                "payment_intent": session["payment_intent"],
                "amount": session["amount_total"],
                "amount_refunded": 0,
                "currency": session["currency"],
                "refunded": False,
            },
        )
        left = charge["amount"] - charge["amount_refunded"]
        charge["amount_refunded"] += left if amount is None else min(amount, left)
        charge["refunded"] = charge["amount_refunded"] >= charge["amount"]
        return dict(charge)

    # -- request handling -----------------------------------------------------------------

    def handle(self, method: str, path: str, params: dict, headers: dict):
        self.requests.append(RecordedRequest(method, path, params, headers))
        if headers.get("authorization") != f"Bearer {self.api_key}":
            return 401, _error("invalid_request_error", "Invalid API Key provided.", "")
        if self._failures:
            status, type_, code = self._failures.pop(0)
            return status, _error(type_, "Injected failure.", code)
        key = headers.get("idempotency-key")
        if method == "POST" and key and key in self._answers:
            return self._answers[key]
        answer = self._route(method, path, params)
        if method == "POST" and key and answer[0] < 500:
            self._answers[key] = answer
        return answer

    def _route(self, method: str, path: str, params: dict):
        routes = [
            ("POST", r"/v1/customers", self._customer_create),
            ("GET", r"/v1/customers/(?P<id>[\w]+)", self._customer_get),
            ("POST", r"/v1/checkout/sessions", self._session_create),
            ("GET", r"/v1/checkout/sessions/(?P<id>[\w]+)", self._session_get),
            ("GET", r"/v1/payment_methods", self._methods_list),
            ("POST", r"/v1/payment_methods/(?P<id>[\w]+)/attach", self._method_attach),
            ("POST", r"/v1/payment_methods/(?P<id>[\w]+)/detach", self._method_detach),
        ]
        for verb, pattern, handler in routes:
            match = re.fullmatch(pattern, path)
            if verb == method and match:
                return handler(params, **match.groupdict())
        return 404, _error("invalid_request_error", f"Unrecognized request URL ({path}).", "")

    def _customer_create(self, params):
        customer = {
            "id": self.new_id("cus"),
            "object": "customer",
            "name": params.get("name"),
            "email": params.get("email"),
            "metadata": params.get("metadata", {}),
            "created": int(time.time()),
        }
        self.customers[customer["id"]] = customer
        return 200, customer

    def _customer_get(self, params, id):
        if id not in self.customers:
            return _missing("customer", id)
        return 200, self.customers[id]

    def _session_create(self, params):
        for name in ("mode", "line_items", "success_url"):
            if not params.get(name):
                return 400, _error(
                    "invalid_request_error",
                    f"Missing required param: {name}.",
                    "parameter_missing",
                    name,
                )
        if params.get("customer") and params["customer"] not in self.customers:
            return _missing("customer", params["customer"])
        session_id = self.new_id("cs_test")
        currency, total = _total(params["line_items"])
        session = {
            "id": session_id,
            "object": "checkout.session",
            "mode": params["mode"],
            "customer": params.get("customer"),
            "client_reference_id": params.get("client_reference_id"),
            "metadata": params.get("metadata", {}),
            "amount_total": total,
            "currency": currency,
            "status": "open",
            "payment_status": "unpaid",
            "subscription": None,
            "url": f"{self.checkout_root}/{session_id}",
            "success_url": params["success_url"],
            "cancel_url": params.get("cancel_url"),
            "line_items_sent": params["line_items"],
        }
        self.sessions[session_id] = session
        return 200, session

    def _session_get(self, params, id):
        if id not in self.sessions:
            return _missing("checkout.session", id)
        return 200, self.sessions[id]

    def _methods_list(self, params):
        customer = params.get("customer")
        data = [
            m
            for m in self.payment_methods.values()
            if m["customer"] == customer and m["type"] == params.get("type", "card")
        ]
        return 200, {
            "object": "list",
            "data": data,
            "has_more": False,
            "url": "/v1/payment_methods",
        }

    def _method_attach(self, params, id):
        method = self.payment_methods.get(id)
        if method is None:
            return _missing("payment_method", id)
        if method["card"]["last4"] == "0002":
            return 402, _error("card_error", "Your card was declined.", "card_declined")
        if params.get("customer") not in self.customers:
            return _missing("customer", params.get("customer"))
        method["customer"] = params["customer"]
        return 200, method

    def _method_detach(self, params, id):
        method = self.payment_methods.get(id)
        if method is None:
            return _missing("payment_method", id)
        method["customer"] = None
        return 200, method


def _card(method_id: str, brand: str, last4: str, exp) -> dict:
    return {
        "id": method_id,
        "object": "payment_method",
        "type": "card",
        "customer": None,
        "card": {"brand": brand, "last4": last4, "exp_month": exp[0], "exp_year": exp[1]},
    }


def _total(line_items: list) -> tuple[str | None, int]:
    currency, total = None, 0
    for item in line_items:
        price = item.get("price_data") or {}
        currency = price.get("currency", currency)
        total += int(price.get("unit_amount", 0)) * int(item.get("quantity", 1))
    return currency, total


def _error(type_: str, message: str, code: str, param: str | None = None) -> dict:
    error = {"type": type_, "message": message, "code": code or None}
    if param:
        error["param"] = param
    return {"error": error}


def _missing(kind: str, object_id) -> tuple[int, dict]:
    return 404, _error(
        "invalid_request_error", f"No such {kind}: '{object_id}'", "resource_missing", "id"
    )
