"""How 003 describes its endpoints: a ViewSet's "Standard CRUD" lines, read-only lists, and
bodies that name the world's site and sector."""

from flowline.contracts.tests.table import Row

TASK_STARTED = ("success", "task_id")


def crud(
    path: str, item: str, create, update, *, who: str = "owner", deleted: int = 200
) -> list[Row]:
    """The five "Standard CRUD" lines of a ViewSet: list, create, get, update, delete."""
    return [
        Row("GET", path, keys=("count", "next", "previous", "results"), who=who),
        Row("POST", path, create, status=201, keys=("success", "data"), who=who),
        Row("GET", f"{path}{{{item}}}/", keys=("success", "data"), who=who),
        Row("PUT", f"{path}{{{item}}}/", update, keys=("success", "data"), who=who),
        Row("DELETE", f"{path}{{{item}}}/", status=deleted, who=who),
    ]


def read_only(path: str, item: str) -> list[Row]:
    return [
        Row("GET", path, keys=("count", "next", "previous", "results")),
        Row("GET", f"{path}{{{item}}}/", keys=("success", "data")),
    ]


def in_sector(**fields):
    return lambda w: {"sector_id": w["sector"], **fields}


def in_site(**fields):
    return lambda w: {"site": w["site"], "sector": w["sector"], **fields}
