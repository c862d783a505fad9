"""URL converters. `<id:pk>` is a database id: at most 18 digits, so that a 20-digit number in
a path is a plain 404 instead of a number the database cannot hold."""

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")
