"""Serializer building blocks: strict input, id lists, tenant-scoped relations."""

from rest_framework import serializers


class StrictInputSerializer(serializers.Serializer):
    """Input serializer that refuses fields it does not declare (typos fail loudly)."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: ["Unknown field."] for name in unknown}, code="unknown_field"
                )
        return super().to_internal_value(data)


class IdsInputSerializer(StrictInputSerializer):
    """`{"ids": [...]}`, the body of every bulk action."""

    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1, max_length=1000
    )


class BulkResultSerializer(serializers.Serializer):
    """What a bulk action answers: how many rows it touched."""

    deleted_count = serializers.IntegerField(required=False)
    updated_count = serializers.IntegerField(required=False)
