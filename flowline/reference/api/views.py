"""003 `auth/industries/` and `auth/seed-keywords/`: public, read-only reference data."""

import django_filters

from flowline.core.filters import FilterSet
from flowline.core.public_views import PublicReadOnlyViewSet
from flowline.reference import selectors
from flowline.reference.api import serializers as s
from flowline.reference.models import SeedKeyword


class IndustryViewSet(PublicReadOnlyViewSet):
    queryset = selectors.industries_for_list()
    serializer_class = s.IndustrySerializer
    search_fields = ["name"]
    filterset_fields = ["slug"]


class SeedKeywordFilterSet(FilterSet):
    industry_slug = django_filters.CharFilter(field_name="industry__slug")
    sector_slug = django_filters.CharFilter(field_name="sector__slug")
    volume_min = django_filters.NumberFilter(field_name="volume", lookup_expr="gte")
    volume_max = django_filters.NumberFilter(field_name="volume", lookup_expr="lte")
    difficulty_min = django_filters.NumberFilter(field_name="difficulty", lookup_expr="gte")
    difficulty_max = django_filters.NumberFilter(field_name="difficulty", lookup_expr="lte")

    class Meta:
        model = SeedKeyword
        fields = ["industry", "sector", "intent"]


class SeedKeywordViewSet(PublicReadOnlyViewSet):
    queryset = selectors.seed_keywords_for_list()
    serializer_class = s.SeedKeywordSerializer
    filterset_class = SeedKeywordFilterSet
    search_fields = ["keyword"]
    ordering_fields = ["keyword", "volume", "difficulty"]
