from rest_framework import serializers

from flowline.core.serializers import ModelSerializer
from flowline.reference.models import Industry, IndustrySector, SeedKeyword


class IndustrySectorSerializer(ModelSerializer):
    class Meta:
        model = IndustrySector
        fields = ["id", "name", "slug", "description"]


class IndustrySerializer(ModelSerializer):
    sectors = IndustrySectorSerializer(many=True, read_only=True)

    class Meta:
        model = Industry
        fields = ["id", "name", "slug", "description", "sectors"]


class SeedKeywordSerializer(ModelSerializer):
    industry_slug = serializers.CharField(source="industry.slug", read_only=True)
    sector_slug = serializers.CharField(source="sector.slug", read_only=True)

    class Meta:
        model = SeedKeyword
        fields = [
            "id",
            "keyword",
            "industry",
            "industry_slug",
            "sector",
            "sector_slug",
            "volume",
            "difficulty",
            "intent",
        ]
