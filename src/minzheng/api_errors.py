"""The shape of every API refusal, declared in the OpenAPI schema of each operation.

minzheng/api.py answers every refusal as {"code", "message", "field"} (plus pydantic's `errors`
for malformed input); the routes declare which statuses they may answer so, so that the schema
describes every answer a client can get. Kept apart from minzheng/api.py, which imports the
routers: the routers of the lower layers (registry, rules) import this module instead.
"""

from ninja import Field, Schema


class ErrorOut(Schema):
    """Every refusal: a stable code, a Chinese message and the field it concerns, if any."""

    code: str
    message: str
    field: str | None = None
    errors: list[dict] | None = Field(None, description="pydantic's details, for malformed input")


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The refusals an operation may answer: 400 a body that cannot be parsed, 401 not signed
    in, 403 no permission or a failed CSRF check, 404 not found or outside the user's region,
    409 a conflict, 422 malformed input or a refusal of the service."""
    return dict.fromkeys(statuses, ErrorOut)


READ_ERRORS = errors(401, 403, 404, 422)
WRITE_ERRORS = errors(400, 401, 403, 404, 409, 422)
