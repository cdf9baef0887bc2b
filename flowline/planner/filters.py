"""003's filters on keywords, clusters and ideas, with its parameter names."""

import django_filters
from rest_framework.filters import OrderingFilter

from flowline.core.filters import FilterSet
from flowline.planner.models import Cluster, ContentIdea, Keyword


class SiteSectorFilterSet(FilterSet):
    """`site_id` and `sector_id`, which every planner list takes (003 SiteSectorModelViewSet)."""

    site_id = django_filters.NumberFilter(field_name="site_id")
    sector_id = django_filters.NumberFilter(field_name="sector_id")


class KeywordFilterSet(SiteSectorFilterSet):
    """003 keywords: the seed keyword's intent, volume and difficulty are copied onto the
    keyword, so `seed_keyword__intent` filters the keyword's own intent."""

    status = django_filters.ChoiceFilter(choices=Keyword.Status.choices)
    cluster_id = django_filters.NumberFilter(field_name="cluster_id")
    seed_keyword_id = django_filters.NumberFilter(field_name="seed_keyword_id")
    seed_keyword__intent = django_filters.ChoiceFilter(
        field_name="intent", choices=Keyword.Intent.choices
    )
    intent = django_filters.ChoiceFilter(field_name="intent", choices=Keyword.Intent.choices)
    difficulty_min = django_filters.NumberFilter(field_name="difficulty", lookup_expr="gte")
    difficulty_max = django_filters.NumberFilter(field_name="difficulty", lookup_expr="lte")
    volume_min = django_filters.NumberFilter(field_name="volume", lookup_expr="gte")
    volume_max = django_filters.NumberFilter(field_name="volume", lookup_expr="lte")
    unclustered = django_filters.BooleanFilter(field_name="cluster", lookup_expr="isnull")

    class Meta:
        model = Keyword
        fields = [
            "site_id",
            "sector_id",
            "status",
            "cluster_id",
            "seed_keyword_id",
            "seed_keyword__intent",
            "intent",
            "difficulty_min",
            "difficulty_max",
            "volume_min",
            "volume_max",
            "unclustered",
        ]


class ClusterFilterSet(SiteSectorFilterSet):
    status = django_filters.ChoiceFilter(choices=Cluster.Status.choices)

    class Meta:
        model = Cluster
        fields = ["site_id", "sector_id", "status"]


class ContentIdeaFilterSet(SiteSectorFilterSet):
    status = django_filters.ChoiceFilter(choices=ContentIdea.Status.choices)
    cluster_id = django_filters.NumberFilter(field_name="cluster_id")
    content_type = django_filters.ChoiceFilter(choices=ContentIdea.ContentType.choices)
    content_structure = django_filters.ChoiceFilter(choices=ContentIdea.ContentStructure.choices)

    class Meta:
        model = ContentIdea
        fields = [
            "site_id",
            "sector_id",
            "status",
            "cluster_id",
            "content_type",
            "content_structure",
        ]


class AliasedOrderingFilter(OrderingFilter):
    """DRF ordering that also accepts 003's names for a field (`ordering_aliases` on the
    view: `{"seed_keyword__volume": "volume"}`), so clients written against 003 work."""

    def remove_invalid_fields(self, queryset, fields, view, request):
        aliases = getattr(view, "ordering_aliases", {})
        translated = []
        for term in fields:
            descending = term.startswith("-")
            name = term.lstrip("-")
            name = aliases.get(name, name)
            translated.append(f"-{name}" if descending else name)
        return super().remove_invalid_fields(queryset, translated, view, request)
