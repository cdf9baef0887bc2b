"""Sandbox pages and the providers' HTTP endpoints, under /sandbox/ (404 outside sandbox mode).

One module a provider or page (`flowline/sandbox/urls.py` routes them; `base` holds the
sandbox-mode check they share):

- `api`: `/sandbox/<provider>/<path>`, the provider's own API (what Flowline's clients
  call), handing Stripe to `stripe`, the sign-in provider to `signin` and WordPress's
  public side (`/sandbox/wordpress/`, what was published) to `wordpress`;
- `stripe`: `/sandbox/checkout/<session>`, Stripe Checkout's page for a session;
- `outbox`: `/sandbox/outbox/`, the e-mails and Web Push notifications Flowline sent;
- `chat`: `/sandbox/customer/`, a customer writing to the shop on Messenger, Instagram,
  WhatsApp;
- `consent`: `/sandbox/consent/<provider>/`, the platform's or drive's consent page, before
  its authorize URL;
- `social`: `/sandbox/feed/`, the posts the social providers received, and the "make the
  next call fail" controls; `/sandbox/feed.json` and `POST /sandbox/control/<provider>/` are
  the same for scripts and tests.
"""
