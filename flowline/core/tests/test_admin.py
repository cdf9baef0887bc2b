"""The admin loads for every registered model; only staff get in."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from flowline.identity.models import User
from flowline.sites.tests.factories import SectorFactory, SiteFactory

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.fixture
def staff_client(owner) -> Client:
    superuser = User.objects.create_superuser("root@example.com", "Admin-pass-123456")
    client = Client()
    client.force_login(superuser)
    # some rows so changelists render real data, not only empty tables
    SectorFactory(account=owner.account, site=SiteFactory(account=owner.account))
    return client


def _admin_url(model, view: str) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}")


@pytest.mark.parametrize(
    ("model", "model_admin"), REGISTERED, ids=[m._meta.label for m, _ in REGISTERED]
)
def test_staff_can_load_changelist_with_a_search(staff_client, model, model_admin):
    # when
    response = staff_client.get(_admin_url(model, "changelist"), {"q": "site"})

    # then
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("model", "model_admin"), REGISTERED, ids=[m._meta.label for m, _ in REGISTERED]
)
def test_staff_can_load_the_add_page(staff_client, model, model_admin, rf):
    # given: logs kept by third-party apps (axes, token blacklist) are not added by hand
    request = rf.get("/admin/")
    request.user = User.objects.get(email="root@example.com")
    addable = model_admin.has_add_permission(request)

    # when
    response = staff_client.get(_admin_url(model, "add"))

    # then
    assert response.status_code == (200 if addable else 403)


def test_staff_can_open_a_tenant_owned_row(staff_client, owner):
    # given
    site = SiteFactory(account=owner.account, name="Visible to staff")

    # when
    response = staff_client.get(reverse("admin:sites_site_change", args=[site.pk]))

    # then
    assert response.status_code == 200
    assert "Visible to staff" in response.content.decode()


def test_non_staff_user_is_redirected_to_login(owner):
    # given
    client = Client()
    client.force_login(owner.user)

    # when
    response = client.get("/admin/sites/site/")

    # then
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_anonymous_visitor_is_redirected_to_login():
    # when
    response = Client().get("/admin/")

    # then
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
