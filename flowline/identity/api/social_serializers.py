"""Request and response bodies of the social login endpoints."""

from rest_framework import serializers

from flowline.core.serializers import Serializer, StrictInputSerializer


def _relative_path(value: str) -> str:
    # Only a path on the frontend: never another site (an open redirect).
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        raise serializers.ValidationError("Give a path on this site, starting with /.")
    return value


class SocialInitInput(StrictInputSerializer):
    cookie = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Answer the callback with HttpOnly auth cookies (browser mode), as login does.",
    )
    next = serializers.CharField(
        required=False,
        default="/",
        max_length=500,
        validators=[_relative_path],
        help_text="Frontend path to land on when the provider redirects to the API itself.",
    )
    redirect = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Answer 302 to the provider instead of the JSON body.",
    )


class SocialInitOutput(Serializer):
    provider = serializers.CharField()
    authorization_url = serializers.URLField()
    state = serializers.CharField()
    expires_in = serializers.IntegerField(help_text="Seconds the attempt stays valid.")


class SocialCallbackInput(Serializer):
    """What the provider sent to the redirect URI (other parameters are ignored)."""

    state = serializers.CharField(max_length=200)
    code = serializers.CharField(max_length=2000, required=False)
    error = serializers.CharField(max_length=200, required=False)
    error_description = serializers.CharField(max_length=2000, required=False)

    def validate(self, attrs):
        if not attrs.get("code") and not attrs.get("error"):
            raise serializers.ValidationError({"code": ["This field is required."]})
        return attrs


class SocialProviderSerializer(Serializer):
    id = serializers.CharField()
    name = serializers.CharField()


class SocialConnectionSerializer(Serializer):
    provider = serializers.CharField()
    connected_at = serializers.DateTimeField(source="date_joined")
    last_login = serializers.DateTimeField()


class SocialDisconnectOutput(Serializer):
    provider = serializers.CharField()
    connected = serializers.ListField(child=serializers.CharField())
