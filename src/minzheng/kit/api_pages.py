"""The API's page numbers: ninja's PageNumberPagination with an upper bound on `page`, so that
page 10^30 is a 422 on input instead of an OFFSET the database cannot hold (a 500)."""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 1_000_000


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE)
