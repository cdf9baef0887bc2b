"""The account journeys in the console, in real Chromium, as a person does them."""

import re

import pytest
from django.core import mail

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _link(message, path: str) -> str:
    return re.search(rf"http://\S+{path}\S*", message.body).group(0)


def test_new_user_signs_up_verifies_by_the_emailed_link_and_reaches_the_dashboard(console):
    page = console.page
    # given: a visitor on the login page
    console.go("/")
    page.wait_for_url("**/login/**")
    console.shot("login")
    page.get_by_role("link", name="Create an account").click()

    # when: they sign up
    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Company or team").fill("Lovelace Labs")
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Password", exact=True).fill("Analytical-Engine-1843")
    page.get_by_label("Confirm password").fill("Analytical-Engine-1843")
    console.shot("signup")
    page.get_by_role("button", name="Create account").click()

    # then: they are told to check their email, and the link in it confirms the address
    page.get_by_role("heading", name="Check your email").wait_for()
    (message,) = [m for m in mail.outbox if "confirm your email" in m.body]
    page.goto(_link(message, "/verify-email"))
    page.get_by_role("heading", name="Email verified").wait_for()

    # and: they log in and land on their dashboard, in their new account
    page.get_by_role("link", name="Continue").click()
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Password").fill("Analytical-Engine-1843")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name=re.compile("Welcome")).wait_for()
    assert "Lovelace Labs" in page.locator(".account-switcher").inner_text()
    console.shot("dashboard")


def test_a_wrong_password_is_refused_beside_the_form(console, owner):
    page = console.page
    console.go("/login/")
    page.get_by_label("Email").fill(owner.user.email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    page.get_by_text("Invalid email or password.").wait_for()
    assert page.url.endswith("/login/")


def test_forgotten_password_is_reset_by_the_emailed_link(console, owner):
    page = console.page
    console.go("/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill(owner.user.email)
    page.get_by_role("button", name="Send reset link").click()
    page.get_by_text("a reset link is on its way").wait_for()

    (message,) = [m for m in mail.outbox if "reset-password" in m.body]
    page.goto(_link(message, "/reset-password"))
    page.get_by_label("New password").fill("A-brand-new-passphrase-7")
    page.get_by_role("button", name="Set password").click()
    page.get_by_text("Your password has been reset").wait_for()

    page.get_by_label("Email").fill(owner.user.email)
    page.get_by_label("Password").fill("A-brand-new-passphrase-7")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name=re.compile("Welcome")).wait_for()


def test_member_logs_out_and_pages_then_ask_to_log_in(console, owner):
    page = console.page
    console.go("/login/")
    page.get_by_label("Email").fill(owner.user.email)
    page.get_by_label("Password").fill(owner.password)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name=re.compile("Welcome")).wait_for()

    page.get_by_role("button", name="Your profile").click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login/?logged_out=1")
    page.get_by_text("You have been logged out.").wait_for()

    console.go("/profile/")
    page.wait_for_url("**/login/?next=%2Fprofile%2F")
