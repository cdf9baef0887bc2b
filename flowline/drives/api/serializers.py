"""Drive API shapes: connections (tokens never leave), cloud files, saved files."""

from rest_framework import serializers

from flowline.core.serializers import IdField, ModelSerializer, Serializer, StrictInputSerializer
from flowline.drives.models import CloudConnection, Provider, SavedCloudFile


class CloudConnectionSerializer(ModelSerializer):
    class Meta:
        model = CloudConnection
        fields = [
            "id",
            "provider",
            "account_email",
            "status",
            "scope",
            "expires_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CloudFileSerializer(Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    mime_type = serializers.CharField()
    size = serializers.IntegerField(allow_null=True)
    modified_at = serializers.DateTimeField(allow_null=True)
    is_folder = serializers.BooleanField()
    provider = serializers.ChoiceField(choices=Provider.choices)
    parent_id = serializers.CharField(allow_null=True)
    web_url = serializers.CharField(allow_null=True)


class ConnectInitSerializer(Serializer):
    provider = serializers.CharField()
    authorization_url = serializers.URLField()
    state = serializers.CharField()
    expires_in = serializers.IntegerField()


class ConnectCallbackInput(StrictInputSerializer):
    """What the provider sent back: a code, or an `error` (`access_denied` when the person
    pressed Cancel on the consent page), with the state either way."""

    code = serializers.CharField(max_length=4096, required=False)
    state = serializers.CharField(max_length=4096)
    error = serializers.CharField(max_length=200, required=False)
    error_description = serializers.CharField(max_length=1000, required=False, allow_blank=True)

    def validate(self, attrs):
        if not attrs.get("code") and not attrs.get("error"):
            raise serializers.ValidationError({"code": ["This field is required."]})
        return attrs


class FolderQuery(Serializer):
    folder_id = serializers.CharField(required=False, allow_blank=True, max_length=512)


class SavedCloudFileSerializer(ModelSerializer):
    class Meta:
        model = SavedCloudFile
        fields = [
            "id",
            "user",
            "provider",
            "file_id",
            "name",
            "mime_type",
            "process_id",
            "created_at",
        ]
        read_only_fields = fields


class ChosenFileInput(StrictInputSerializer):
    provider = serializers.ChoiceField(choices=Provider.choices)
    file_id = serializers.CharField(max_length=255)
    # an agent process of this account (a label: drives does not import agents)
    process_id = IdField(refers_to="agents.AgentProcess", required=False, allow_null=True)


class SaveCloudFilesInput(StrictInputSerializer):
    files = ChosenFileInput(many=True, allow_empty=False, max_length=100)
