"""The team and API keys in the console: inviting (the invitee joins by the e-mailed
link), roles, removing, revoking; keys shown once, their log, revoking; over HTTP and in
Chromium."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from flowline.core.roles import Role
from flowline.core.testing.pages import CSRF, page_client
from flowline.identity.models import ApiKey, Invitation, Membership


@pytest.mark.django_db
def test_an_editor_cannot_open_the_team_page(owner, member_factory):
    editor = member_factory(owner, Role.EDITOR)
    assert page_client(editor).get("/team/").status_code == 403


@pytest.mark.django_db
def test_an_admin_cannot_make_someone_owner_and_the_page_says_why(owner, member_factory):
    admin = member_factory(owner, Role.ADMIN)
    editor = member_factory(owner, Role.EDITOR)
    page = page_client(admin).post(
        "/team/", {"csrf_token": CSRF, "action": "role", "id": editor.user.id, "role": "owner"}
    )
    assert page.status_code in (400, 403)
    assert Membership.unscoped.get(user=editor.user, account=owner.account).role == Role.EDITOR


@pytest.mark.django_db
def test_removing_another_accounts_member_is_not_found(owner, other_owner):
    page = page_client(owner).post(
        "/team/", {"csrf_token": CSRF, "action": "remove", "id": other_owner.user.id}
    )
    assert page.status_code == 404
    assert Membership.unscoped.filter(user=other_owner.user, is_active=True).exists()


@pytest.mark.django_db
def test_a_new_api_key_is_shown_once_and_listed_by_prefix(owner):
    client = page_client(owner)
    created = client.post(
        "/api-keys/", {"csrf_token": CSRF, "name": "Server", "scopes": "planner:read, writer:write"}
    )
    key = ApiKey.unscoped.get(account=owner.account)
    assert created.status_code == 201 and key.scopes == ["planner:read", "writer:write"]
    secret = re.search(rb'value="([^"]+)" aria-label="The new API key"', created.content).group(1)
    listed = client.get("/api-keys/")
    assert key.prefix.encode() in listed.content and secret not in listed.content


@pytest.mark.django_db
def test_a_bad_scope_is_refused_beside_the_field(owner):
    page = page_client(owner).post(
        "/api-keys/", {"csrf_token": CSRF, "name": "Server", "scopes": "everything"}
    )
    assert page.status_code == 400 and b"is-invalid" in page.content
    assert not ApiKey.unscoped.filter(account=owner.account).exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_member_invited_by_email_can_join_and_is_then_given_a_role(console, owner):
    console.sign_in(owner)
    page = console.page
    console.go("/team/")
    page.get_by_role("heading", name="Team", exact=True).wait_for()

    # when: the owner invites a new editor
    page.get_by_label("Email").fill("grace@example.com")
    page.get_by_label("Role", exact=True).select_option("editor")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent.")).to_be_visible()
    expect(page.locator("#invitations")).to_contain_text("grace@example.com")
    console.shot("team")

    # then: the invitee follows the e-mailed link, chooses a password and is in
    (message,) = [m for m in mail.outbox if "grace@example.com" in m.to]
    link = re.search(r"http://\S+/accept-invitation\S*", message.body).group(0)
    page.context.clear_cookies()
    page.goto(link)
    page.get_by_label("Password", exact=False).first.fill("Quiet-Harbour-81-lamp")
    page.get_by_role("button", name=re.compile("Join|Accept")).click()
    expect(page.get_by_text("Welcome! You have joined the account.")).to_be_visible()
    grace = Membership.unscoped.get(user__email="grace@example.com", account=owner.account)
    assert grace.role == Role.EDITOR
    assert Invitation.unscoped.get(email="grace@example.com").status == "accepted"

    # when: the owner makes her an admin, then removes her
    page.context.clear_cookies()
    console.sign_in(owner)
    console.go("/team/")
    page.get_by_label("Role of grace@example.com", exact=True).select_option("admin")
    page.get_by_role("button", name="Save the role of grace@example.com").click()
    expect(page.get_by_label("Role of grace@example.com", exact=True)).to_have_value("admin")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Remove grace@example.com").click()
    expect(page.locator("#members")).not_to_contain_text("grace@example.com")
    assert not Membership.unscoped.filter(id=grace.id, is_active=True).exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_admin_creates_an_api_key_sees_it_once_and_revokes_it(console, owner):
    console.sign_in(owner)
    page = console.page
    console.go("/api-keys/")
    page.get_by_label("Name").fill("WordPress plugin")
    page.get_by_label("Scopes").fill("integration:write")
    page.get_by_role("button", name="Create key").click()
    shown = page.get_by_label("The new API key")
    expect(shown).to_have_value(re.compile(r".{20,}"))
    console.shot("api-keys")
    console.go("/api-keys/")
    expect(page.get_by_label("The new API key")).to_have_count(0)
    page.get_by_role("button", name="Revoke WordPress plugin").click()
    expect(page.locator("#api-keys")).to_contain_text("Revoked")
    assert ApiKey.unscoped.get(account=owner.account).revoked_at is not None


@pytest.mark.django_db
def test_an_admin_renames_the_account_in_settings(owner):
    from flowline.identity.models import Account

    client = page_client(owner)
    assert b"Account name" in client.get("/settings/").content
    response = client.post(
        "/settings/",
        {
            "csrf_token": CSRF,
            "name": "Calm Studio",
            "billing_email": "",
            "timezone": "UTC",
            "language": "en",
        },
    )
    assert response.status_code == 302
    assert Account.objects.get(id=owner.account_id).name == "Calm Studio"


@pytest.mark.django_db
def test_an_editor_cannot_open_settings(owner, member_factory):
    editor = member_factory(owner, Role.EDITOR)
    assert page_client(editor).get("/settings/").status_code == 403


@pytest.mark.django_db
def test_an_admin_gives_a_member_access_to_a_site_then_revokes_it(owner, member_factory):
    from flowline.sites.models import SiteUserAccess
    from flowline.sites.tests.factories import SiteFactory

    # given
    editor = member_factory(owner, Role.EDITOR)
    site = SiteFactory(account=owner.account, name="Yoga Studio")
    client = page_client(owner)
    # when
    granted = client.post(
        "/team/", {"csrf_token": CSRF, "action": "grant", "user": editor.user.id, "site": site.id}
    )
    # then
    assert granted.status_code == 302
    access = SiteUserAccess.unscoped.get(user=editor.user, site=site)
    listed = client.get("/team/").content.decode()
    assert f"Revoke {editor.user.email}'s access to Yoga Studio" in listed
    revoked = client.post("/team/", {"csrf_token": CSRF, "action": "revoke_site", "id": access.id})
    assert revoked.status_code == 302
    assert not SiteUserAccess.unscoped.filter(id=access.id).exists()


@pytest.mark.django_db
def test_access_to_another_accounts_site_is_refused(owner, other_owner, member_factory):
    from flowline.sites.models import SiteUserAccess
    from flowline.sites.tests.factories import SiteFactory

    editor = member_factory(owner, Role.EDITOR)
    SiteFactory(account=owner.account)
    theirs = SiteFactory(account=other_owner.account)
    page = page_client(owner).post(
        "/team/", {"csrf_token": CSRF, "action": "grant", "user": editor.user.id, "site": theirs.id}
    )
    assert page.status_code in (400, 404) and b"is-invalid" in page.content
    assert not SiteUserAccess.unscoped.filter(site=theirs).exists()


@pytest.mark.django_db
def test_revoking_another_accounts_site_access_is_not_found(owner, other_owner, member_factory):
    from flowline.sites.models import SiteUserAccess
    from flowline.sites.tests.factories import SiteUserAccessFactory

    theirs = SiteUserAccessFactory(account=other_owner.account)
    page = page_client(owner).post(
        "/team/", {"csrf_token": CSRF, "action": "revoke_site", "id": theirs.id}
    )
    assert page.status_code == 404
    assert SiteUserAccess.unscoped.filter(id=theirs.id).exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_admin_gives_an_editor_one_site_then_takes_it_back(console, owner, member_factory):
    from flowline.sites.tests.factories import SiteFactory

    editor = member_factory(owner, Role.EDITOR, email="ed@example.com")
    SiteFactory(account=owner.account, name="Yoga Studio")
    console.sign_in(owner)
    page = console.page
    console.go("/team/")
    form = page.locator("#grant-site")
    form.get_by_label("Member").select_option(label="ed@example.com")
    form.get_by_label("Site").select_option(label="Yoga Studio")
    form.get_by_role("button", name="Give access").click()
    expect(page.get_by_text("Access granted.")).to_be_visible()
    expect(page.locator("#site-access")).to_contain_text("Yoga Studio")
    console.shot("team-site-access")
    page.get_by_role("button", name=f"Revoke {editor.user.email}'s access to Yoga Studio").click()
    expect(page.locator("#site-access")).to_contain_text("No one has been given access")
