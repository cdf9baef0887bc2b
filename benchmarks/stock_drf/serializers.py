from rest_framework import serializers

from benchmarks.stock_drf.models import Account, Membership, Site, User


class SiteSerializer(serializers.ModelSerializer):
    industry = serializers.IntegerField(source="industry_id", read_only=True, allow_null=True)
    wp_app_password_set = serializers.SerializerMethodField()

    class Meta:
        model = Site
        fields = [
            "id", "name", "slug", "url", "description", "logo", "voice", "industry", "status",
            "wp_url", "wp_username", "wp_app_password_set", "created_at", "updated_at",
        ]  # fmt: skip

    def get_wp_app_password_set(self, obj) -> bool:
        return bool(obj.wp_app_password)


class SiteBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Site
        fields = ["id", "name", "slug", "url", "status"]


class AccountSerializer(serializers.ModelSerializer):
    class Meta:
        model = Account
        fields = [
            "id", "name", "status", "billing_email", "timezone", "language", "owner", "created_at",
        ]  # fmt: skip


class MembershipSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="account_id")
    name = serializers.CharField(source="account.name")

    class Meta:
        model = Membership
        fields = ["id", "name", "role"]


class MeSerializer(serializers.ModelSerializer):
    role = serializers.SerializerMethodField()
    account = serializers.SerializerMethodField()
    accounts = serializers.SerializerMethodField()
    accessible_sites = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id", "email", "first_name", "last_name", "email_verified", "avatar", "theme",
            "onboarding_state", "is_staff", "role", "account", "accounts", "accessible_sites",
        ]  # fmt: skip

    def get_role(self, user) -> str:
        return self.context["membership"].role

    def get_account(self, user) -> dict:
        return AccountSerializer(self.context["membership"].account).data

    def get_accounts(self, user) -> list:
        memberships = user.memberships.filter(is_active=True).select_related("account")
        return MembershipSerializer(memberships, many=True).data

    def get_accessible_sites(self, user) -> list:
        sites = Site.objects.filter(account_id=self.context["membership"].account_id)
        return SiteBriefSerializer(sites.order_by("id"), many=True).data
