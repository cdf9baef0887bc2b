"""A Django test client signed in to the console as a member, with the double-submit
CSRF cookie set: post forms with `{"csrf_token": pages.CSRF, ...}`."""

from django.test import Client

from flowline.identity import tokens

CSRF = "csrf-test-token"


def page_client(member) -> Client:
    client = Client()
    pair = tokens.issue_pair(user=member.user, account_id=member.account_id)
    client.cookies["access_token"] = pair["access"]
    client.cookies["csrf_access_token"] = CSRF
    return client
