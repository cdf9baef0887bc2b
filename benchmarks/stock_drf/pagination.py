from rest_framework.pagination import PageNumberPagination


class PageSizePagination(PageNumberPagination):
    """DRF's page-number pagination with the client-chosen page size that its docs show
    (and Flowline's lists take), so `?page_size=25` reads 25 rows on both servers."""

    page_size_query_param = "page_size"
    max_page_size = 100
