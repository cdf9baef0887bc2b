"""Stripe in the sandbox: its API's answers and the Checkout page a payer sees."""

from __future__ import annotations

from django.http import Http404, HttpResponseRedirect, JsonResponse

from flowline.sandbox import providers
from flowline.sandbox.stripe import checkout, server
from flowline.sandbox.views.base import SandboxPage


def stripe_api(request, fake, path: str):
    status, payload = server.answer(
        fake,
        request.method,
        "/" + path,
        request.META.get("QUERY_STRING", ""),
        request.body.decode(errors="replace"),
        dict(request.headers.items()),
    )
    with fake.lock:  # a long-running sandbox keeps only the recent requests
        del fake.requests[:-200]
    providers.save("stripe")
    response = JsonResponse(payload, status=status, safe=False)
    response["Request-Id"] = f"req_sandbox{len(fake.requests)}"
    return response


class CheckoutPage(SandboxPage):
    """Stripe Checkout as the sandbox plays it: the amount, a test card that pays
    (4242 4242 4242 4242) or is declined (4000 0000 0000 0002), and the signed
    `checkout.session.completed` / `.expired` webhooks Stripe would send."""

    template_name = "sandbox/checkout.html"
    title = "Sandbox checkout"

    def open(self, request, **kwargs) -> None:
        self.fake = providers.get("stripe")
        self.session = self.fake.sessions.get(kwargs["session_id"])
        if self.session is None:
            raise Http404

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session = self.session
        context.update(
            session=session,
            items=[_line(item) for item in session.get("line_items_sent") or []],
            total=_money(session.get("amount_total") or 0, session.get("currency")),
            paying_card=checkout.PAYING_CARD,
            declined_card=checkout.DECLINED_CARD,
        )
        return context

    def post(self, request, *args, **kwargs):
        session_id = self.session["id"]
        if request.POST.get("action") == "cancel":
            session = checkout.expire(self.fake, session_id)
            checkout.send_webhook("checkout.session.expired", session)
            providers.save("stripe")  # the session, and the event id sequence
            return HttpResponseRedirect(session.get("cancel_url") or "/")
        try:
            session = checkout.pay(self.fake, session_id, card=request.POST.get("card", ""))
        except checkout.CardDeclined as exc:
            context = self.get_context_data(declined=str(exc))
            return self.render_to_response(context, status=402)
        checkout.send_webhook("checkout.session.completed", session)
        providers.save("stripe")  # the session, and the event id sequence
        return HttpResponseRedirect(
            session["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id)
        )


def _money(minor: int, currency: str | None) -> str:
    return f"{minor / 100:,.2f} {(currency or '').upper()}"


def _line(item: dict) -> dict:
    price = item.get("price_data") or {}
    name = (price.get("product_data") or {}).get("name") or item.get("price") or "Item"
    quantity = int(item.get("quantity") or 1)
    amount = int(price.get("unit_amount") or 0) * quantity
    return {"name": name, "quantity": quantity, "amount": _money(amount, price.get("currency"))}
