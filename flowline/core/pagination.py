"""Page-number pagination in the list envelope (003: page, page_size default 10, max 100).

A `page_size` that is not a whole number of at least 1 (`0`, `-5`, `2.5`, `lots`) is
ignored, so the default applies; above 100 it is clamped to 100 (DRF's rules, kept because
clients written against 003 send such values). A `page` that is not a page is a 404.
"""

from rest_framework.pagination import PageNumberPagination

from flowline.core.envelope import EnvelopedResponse


class EnvelopePagination(PageNumberPagination):
    page_size = 10
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_paginated_response(self, data):
        return EnvelopedResponse(
            {
                "success": True,
                "count": self.page.paginator.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["success", "count", "results"],
            "properties": {
                "success": {"type": "boolean", "example": True},
                "count": {"type": "integer", "example": 123},
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }
