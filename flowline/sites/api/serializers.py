"""Request and response bodies of sites (brands), sectors and site access."""

from rest_framework import serializers

from flowline.core import tenancy
from flowline.core.media import PublicImageField
from flowline.core.serializers import ModelSerializer, StrictInputSerializer
from flowline.identity.models import User
from flowline.sites.models import Sector, Site, SiteUserAccess


class SiteSerializer(ModelSerializer):
    """A site/brand. The WordPress application password is write-only."""

    wp_app_password = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=200
    )
    wp_app_password_set = serializers.SerializerMethodField()
    slug = serializers.SlugField(required=False, max_length=200)
    # Checked by its bytes (PNG, JPEG, WEBP or GIF), stored under a random name; null
    # removes it.
    logo = PublicImageField(max_bytes=2 * 1024 * 1024, required=False, allow_null=True)

    class Meta:
        model = Site
        fields = [
            "id",
            "name",
            "slug",
            "url",
            "description",
            "logo",
            "voice",
            "industry",
            "status",
            "wp_url",
            "wp_username",
            "wp_app_password",
            "wp_app_password_set",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    def get_wp_app_password_set(self, obj) -> bool:
        return bool(obj.wp_app_password)


class SectorSerializer(ModelSerializer):
    slug = serializers.SlugField(required=False, max_length=120)

    class Meta:
        model = Sector
        fields = ["id", "site", "industry_sector", "name", "slug", "is_active", "created_at"]
        read_only_fields = ["id", "created_at"]
        # The service derives a missing slug and reports a taken one on the `slug` field.
        validators = []


class SelectSectorsInput(StrictInputSerializer):
    industry_slug = serializers.SlugField()
    sector_slugs = serializers.ListField(child=serializers.SlugField(), max_length=50)


class AccountMemberField(serializers.PrimaryKeyRelatedField):
    """A user id, looked up among the active account's members only.

    Another account's user is "does not exist", exactly like an unknown id, so the
    field cannot be used to find out which user ids exist elsewhere.
    """

    def get_queryset(self):
        ctx = tenancy.current()
        if ctx is None:
            return User.objects.none()
        return User.objects.filter(
            memberships__account_id=ctx.account_id, memberships__is_active=True
        )


class SiteAccessSerializer(ModelSerializer):
    user = AccountMemberField()

    class Meta:
        model = SiteUserAccess
        fields = ["id", "user", "site", "granted_by", "created_at"]
        read_only_fields = ["id", "granted_by", "created_at"]
        # Granting twice is not an error: the service answers the existing grant.
        validators = []
