from rest_framework.pagination import CursorPagination


class StableCursorPagination(CursorPagination):
    """Cursor pagination: stable under inserts, no COUNT(*) on big tables."""

    page_size = 30
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = "-id"
