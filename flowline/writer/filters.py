"""003 Writer filters: `status`, `site_id`, `sector_id` and each list's own ids and kinds."""

import django_filters

from flowline.core.filters import FilterSet
from flowline.writer.models import Content, Image, Task, Taxonomy


class _SiteSectorFilterSet(FilterSet):
    site_id = django_filters.NumberFilter(field_name="site_id")
    sector_id = django_filters.NumberFilter(field_name="sector_id")


class TaskFilterSet(_SiteSectorFilterSet):
    status = django_filters.ChoiceFilter(choices=Task.Status.choices)
    cluster_id = django_filters.NumberFilter(field_name="cluster_id")
    idea_id = django_filters.NumberFilter(field_name="idea_id")
    content_type = django_filters.ChoiceFilter(choices=Task._meta.get_field("content_type").choices)
    content_structure = django_filters.ChoiceFilter(
        choices=Task._meta.get_field("content_structure").choices
    )

    class Meta:
        model = Task
        fields = [
            "status",
            "cluster_id",
            "idea_id",
            "content_type",
            "content_structure",
            "site_id",
            "sector_id",
        ]


class ContentFilterSet(_SiteSectorFilterSet):
    status = django_filters.ChoiceFilter(choices=Content.Status.choices)
    content_type = django_filters.ChoiceFilter(
        choices=Content._meta.get_field("content_type").choices
    )
    task_id = django_filters.NumberFilter(field_name="task_id")
    taxonomy_id = django_filters.NumberFilter(field_name="taxonomies__id", distinct=True)

    class Meta:
        model = Content
        fields = ["status", "content_type", "task_id", "taxonomy_id", "site_id", "sector_id"]


class ImageFilterSet(_SiteSectorFilterSet):
    image_type = django_filters.ChoiceFilter(choices=Image.Kind.choices)
    status = django_filters.ChoiceFilter(choices=Image.Status.choices)
    content_id = django_filters.NumberFilter(field_name="content_id")
    task_id = django_filters.NumberFilter(field_name="task_id")

    class Meta:
        model = Image
        fields = ["image_type", "status", "content_id", "task_id", "site_id", "sector_id"]


class TaxonomyFilterSet(FilterSet):
    site_id = django_filters.NumberFilter(field_name="site_id")
    taxonomy_type = django_filters.ChoiceFilter(choices=Taxonomy.Type.choices)
    parent_id = django_filters.NumberFilter(field_name="parent_id")

    class Meta:
        model = Taxonomy
        fields = ["site_id", "taxonomy_type", "parent_id"]
