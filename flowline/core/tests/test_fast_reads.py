"""Core's lean read path renders exactly what DRF renders, on every tenant endpoint.

Generic over the URL router like the tenant isolation test: for each tenant-owned
endpoint, a row made by its factory is read (detail and list) with the lean path and
with DRF's own, and the two bodies must be identical.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from rest_framework import serializers

from config.api_router import router
from flowline.core.serializers import fast_reads
from flowline.core.serializers.fast_reads import fast_read_class
from flowline.core.tenancy import is_tenant_model
from flowline.core.testing.factories import factory_for
from flowline.sites.api.serializers import SiteSerializer
from flowline.sites.models import Site
from flowline.sites.tests.factories import SiteFactory

API = "/api/v1"


def _tenant_routes():
    for prefix, viewset, basename in router.registry:
        model = getattr(viewset, "model", None)
        if model is not None and is_tenant_model(model):
            yield pytest.param(prefix, viewset, basename, id=basename)


def _both(monkeypatch, call):
    """The response with the lean path, then with DRF's own path."""
    fast = call()
    monkeypatch.setattr(fast_reads, "FAST_READS", False)
    slow = call()
    monkeypatch.setattr(fast_reads, "FAST_READS", True)
    return fast, slow


@pytest.mark.django_db
@pytest.mark.parametrize(("prefix", "viewset", "basename"), list(_tenant_routes()))
def test_lean_reads_equal_drf_reads(prefix, viewset, basename, owner, monkeypatch):
    # given: a row of the endpoint's model in the owner's account
    factory = factory_for(basename, viewset.model)
    assert factory is not None, f"No TenantFactory for {viewset.model.__name__} ({basename})"
    obj = factory(account=owner.account)
    lookup = getattr(obj, viewset.lookup_field)

    # when / then
    if hasattr(viewset, "retrieve"):
        fast, slow = _both(monkeypatch, lambda: owner.client.get(f"{API}/{prefix}/{lookup}/"))
        assert fast.status_code == slow.status_code == 200
        assert fast.json() == slow.json()
    if hasattr(viewset, "list"):
        fast, slow = _both(
            monkeypatch, lambda: owner.client.get(f"{API}/{prefix}/", {"page_size": 100})
        )
        assert fast.status_code == slow.status_code == 200
        assert fast.json() == slow.json()


@pytest.mark.django_db
def test_site_rows_take_the_lean_path_and_render_every_kind_of_field(owner):
    # given a site with a password, a logo and an industry, and one without
    from flowline.core.tenancy import tenant_scope
    from flowline.reference.models import Industry

    industry = Industry.objects.create(name="Retail", slug="retail")
    full = SiteFactory(account=owner.account, wp_app_password="s3cret", industry=industry)
    Site.unscoped.filter(pk=full.pk).update(logo="site-logos/x.png")
    bare = SiteFactory(account=owner.account)
    fast_class = fast_read_class(SiteSerializer)
    assert fast_class is not SiteSerializer and fast_class.__name__ == "SiteSerializer"

    with tenant_scope(owner.account_id):
        for site in Site.objects.filter(pk__in=[full.pk, bare.pk]):
            # when
            fast = fast_class(site).data
            slow = SiteSerializer(site).data

            # then
            assert fast == slow
            assert "wp_app_password" not in fast
    assert fast_class(Site.unscoped.get(pk=full.pk)).data["logo"] == "/media/site-logos/x.png"


class _Row(serializers.ModelSerializer):
    class Meta:
        model = Site
        fields = ["id", "name", "created_at"]


@pytest.mark.django_db
def test_datetimes_follow_the_active_timezone_like_drf(owner):
    # given a site, and a timezone other than UTC active for the request
    site = SiteFactory(account=owner.account)
    site.created_at = datetime.datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=datetime.UTC)

    # when / then: both render the same local time with its offset
    with timezone.override(ZoneInfo("Europe/Paris")):
        fast = fast_read_class(_Row)(site).data
        assert fast == _Row(site).data
        assert fast["created_at"] == "2026-01-02T04:04:05.000678+01:00"
    assert fast_read_class(_Row)(site).data["created_at"] == "2026-01-02T03:04:05.000678Z"
    site.created_at = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert fast_read_class(_Row)(site).data == _Row(site).data
    assert fast_read_class(_Row)(site).data["created_at"] == "2026-01-01T18:04:05Z"


class _Customised(serializers.ModelSerializer):
    class Meta:
        model = Site
        fields = ["id", "name"]

    def to_representation(self, instance):
        return {"custom": True}


class _DynamicFields(serializers.ModelSerializer):
    class Meta:
        model = Site
        fields = ["id", "name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("name")


def test_classes_that_customise_rendering_keep_their_own_path():
    assert fast_read_class(_Customised) is _Customised
    assert fast_read_class(_DynamicFields) is _DynamicFields
    assert fast_read_class(serializers.Serializer) is serializers.Serializer


@pytest.mark.django_db
def test_a_dict_instance_falls_back_to_drf(owner):
    row = {"id": 1, "name": "Shop", "created_at": None}
    assert fast_read_class(_Row)(row).data == _Row(row).data
