"""Shape adapters a contract row may name. Each one changes a request before the view sees
it or a successful response after the view built it, and says what it does to the
operation's OpenAPI schema, so the schema shows what the seed's path really accepts and
answers. Errors keep Flowline's error envelope, unless a contract names how its frontend
reads them (`Contract.errors`, an adapter with `error` and `schema_error`: Elinara's
`RawError`); IGNY8 documents the envelope itself.

Responses arrive here as the envelope `{"success", "data", "message"}` (or the list
envelope `{"success", "count", "next", "previous", "results"}`).
"""

from flowline.contracts.adapters.base import Adapter, deep
from flowline.contracts.adapters.request_shapes import (
    Confirmed,
    CopyField,
    Defaults,
    PathToBody,
    PathValues,
    Query,
    Rename,
    Username,
)
from flowline.contracts.adapters.response_shapes import Bare, Lift, Nest, RawError, Redirect

__all__ = [
    "Adapter",
    "Bare",
    "Confirmed",
    "CopyField",
    "Defaults",
    "Lift",
    "Nest",
    "PathToBody",
    "PathValues",
    "Query",
    "RawError",
    "Redirect",
    "Rename",
    "Username",
    "deep",
]
