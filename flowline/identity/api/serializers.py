"""Request and response bodies of the identity endpoints."""

from rest_framework import serializers

from flowline.core.media import PublicImageField
from flowline.core.roles import INVITABLE_ROLES, Role
from flowline.core.serializers import (
    IdField,
    JSONField,
    ModelSerializer,
    Serializer,
    StrictInputSerializer,
)
from flowline.identity.models import Account, ApiKey, ApiKeyUsage, Invitation, Membership, User

# ---- inputs ---------------------------------------------------------------------------


class RegisterInput(StrictInputSerializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, write_only=True)
    password_confirm = serializers.CharField(max_length=128, write_only=True)
    first_name = serializers.CharField(max_length=150, required=False, default="", allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, default="", allow_blank=True)
    account_name = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )

    def validate(self, attrs):
        if attrs["password"] != attrs.pop("password_confirm"):
            raise serializers.ValidationError({"password_confirm": ["Passwords do not match."]})
        return attrs


class LoginInput(StrictInputSerializer):
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(max_length=128, write_only=True)
    cookie = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Set HttpOnly auth cookies (browser mode) instead of returning the tokens.",
    )


class RefreshInput(StrictInputSerializer):
    refresh = serializers.CharField(required=False, help_text="Omit in cookie mode.")


class SwitchAccountInput(StrictInputSerializer):
    account_id = IdField()


class ChangePasswordInput(StrictInputSerializer):
    old_password = serializers.CharField(max_length=128)
    new_password = serializers.CharField(max_length=128)
    new_password_confirm = serializers.CharField(max_length=128)

    def validate(self, attrs):
        if attrs["new_password"] != attrs.pop("new_password_confirm"):
            raise serializers.ValidationError({"new_password_confirm": ["Passwords do not match."]})
        return attrs


class PasswordResetInput(StrictInputSerializer):
    email = serializers.EmailField(max_length=254)


class PasswordResetConfirmInput(StrictInputSerializer):
    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=128)
    new_password = serializers.CharField(max_length=128)


class TokenInput(StrictInputSerializer):
    token = serializers.CharField(max_length=2048)


class AcceptInvitationInput(StrictInputSerializer):
    token = serializers.CharField(max_length=2048)
    password = serializers.CharField(max_length=128)
    first_name = serializers.CharField(max_length=150, required=False, default="", allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, default="", allow_blank=True)


class InviteInput(StrictInputSerializer):
    email = serializers.EmailField(max_length=254)
    role = serializers.ChoiceField(choices=INVITABLE_ROLES, default=Role.VIEWER)
    site_ids = serializers.ListField(child=IdField(), required=False, default=list, max_length=500)


class ProfileInput(StrictInputSerializer):
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    # Checked by its bytes (PNG, JPEG, WEBP or GIF), without metadata, stored under a
    # random name.
    avatar = PublicImageField(max_bytes=2 * 1024 * 1024, required=False)
    theme = serializers.ChoiceField(choices=User.Theme.choices, required=False)
    onboarding_state = JSONField(required=False)

    def validate_onboarding_state(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError("Must be an object.")
        return value


class ApiKeyInput(StrictInputSerializer):
    name = serializers.CharField(max_length=100)
    scopes = serializers.ListField(
        child=serializers.RegexField(r"^(\*|[a-z_]+):(read|write)$"), min_length=1, max_length=50
    )
    expires_at = serializers.DateTimeField(required=False, allow_null=True)


# ---- outputs --------------------------------------------------------------------------


class AccountSerializer(ModelSerializer):
    class Meta:
        model = Account
        fields = [
            "id",
            "name",
            "status",
            "billing_email",
            "timezone",
            "language",
            "owner",
            "created_at",
        ]
        read_only_fields = ["id", "status", "owner", "created_at"]


class UserSerializer(ModelSerializer):
    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "first_name",
            "last_name",
            "email_verified",
            "avatar",
            "theme",
            "onboarding_state",
            "date_joined",
        ]
        read_only_fields = fields


class MeSerializer(Serializer):
    """The signed-in user with their role in the active account and their sites."""

    id = IdField()
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    email_verified = serializers.BooleanField()
    avatar = serializers.CharField(allow_null=True)
    theme = serializers.CharField()
    onboarding_state = serializers.JSONField()
    is_staff = serializers.BooleanField()
    role = serializers.CharField()
    account = AccountSerializer()
    accounts = serializers.ListField(child=serializers.DictField())
    accessible_sites = serializers.ListField(child=serializers.DictField())


class TokensSerializer(Serializer):
    access = serializers.CharField(required=False)
    refresh = serializers.CharField(required=False)
    access_expires_at = serializers.DateTimeField()
    refresh_expires_at = serializers.DateTimeField()


class LoginOutput(Serializer):
    user = MeSerializer()
    tokens = TokensSerializer()


class MemberSerializer(ModelSerializer):
    """A member of the active account: the user's fields and the membership's."""

    id = serializers.IntegerField(source="user.id", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    first_name = serializers.CharField(source="user.first_name", read_only=True)
    last_name = serializers.CharField(source="user.last_name", read_only=True)
    membership_id = serializers.IntegerField(source="pk", read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "membership_id",
            "email",
            "first_name",
            "last_name",
            "role",
            "is_active",
            "all_sites",
            "created_at",
        ]
        read_only_fields = ["is_active", "created_at"]

    def validate_role(self, value):
        if value == Role.OWNER:
            raise serializers.ValidationError("Ownership cannot be given through this endpoint.")
        return value


class MemberCreateInput(StrictInputSerializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128)
    first_name = serializers.CharField(max_length=150, required=False, default="", allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, default="", allow_blank=True)
    role = serializers.ChoiceField(choices=INVITABLE_ROLES, default=Role.VIEWER)


class InvitationSerializer(ModelSerializer):
    class Meta:
        model = Invitation
        fields = [
            "id",
            "email",
            "role",
            "site_ids",
            "status",
            "invited_by",
            "created_at",
            "accepted_at",
        ]
        read_only_fields = fields


class ApiKeySerializer(ModelSerializer):
    created_by = serializers.EmailField(source="created_by.email", read_only=True)

    class Meta:
        model = ApiKey
        fields = [
            "id",
            "name",
            "prefix",
            "scopes",
            "created_by",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "created_at",
        ]
        read_only_fields = fields


class IssuedApiKeySerializer(ApiKeySerializer):
    key = serializers.CharField(read_only=True, help_text="Shown once. Store it now.")

    class Meta(ApiKeySerializer.Meta):
        fields = [*ApiKeySerializer.Meta.fields, "key"]
        read_only_fields = fields


class ApiKeyUsageSerializer(ModelSerializer):
    class Meta:
        model = ApiKeyUsage
        fields = ["id", "method", "path", "status_code", "ip_address", "created_at"]
        read_only_fields = fields
