"""`planner/keywords/import_keywords/` and `planner/keywords/export/`."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from flowline.planner.models import Keyword
from flowline.planner.tests.conftest import API
from flowline.planner.tests.factories import ClusterFactory, KeywordFactory

pytestmark = pytest.mark.django_db
URL = f"{API}/keywords/"


def _upload(owner, sector, text, *, name="keywords.csv", encoding="utf-8"):
    content = text.encode(encoding) if isinstance(text, str) else text
    return owner.client.post(
        f"{URL}import_keywords/",
        {"file": SimpleUploadedFile(name, content, "text/csv"), "sector_id": sector.id},
        format="multipart",
    )


def test_import_reports_bad_rows_by_line_and_keeps_the_good_ones(owner, sector):
    KeywordFactory(account=owner.account, sector=sector, keyword="already here")
    text = (
        "Keyword,Volume,KD,Intent,CPC\n"  # line 1
        "yoga mat,1200,35,commercial,1.20\n"  # 2 ok
        ",10,1,,\n"  # 3 empty keyword
        "yoga blocks,lots,5,,\n"  # 4 bad volume
        "Yoga  Mat,50,3,,\n"  # 5 duplicate of line 2
        "cork yoga mat,300,101,,\n"  # 6 difficulty out of range
        "Already Here,1,1,,\n"  # 7 already in the sector
        'yoga strap,"1,500",20,informational,\n'  # 8 ok (thousands separator)
        "\n"  # 9 blank, ignored
        "yoga wheel,10,10,sideways,\n"  # 10 bad intent
        "yoga bolster,10,10,,$2.5\n"  # 11 ok
    )

    response = _upload(owner, sector, text)

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["imported_count"] == 3
    assert data["duplicate_count"] == 2 and data["error_count"] == 6
    assert sorted((e["line"], e["code"]) for e in data["errors"]) == [
        (3, "invalid"),
        (4, "invalid"),
        (5, "duplicate"),
        (6, "invalid"),
        (7, "duplicate"),
        (10, "invalid"),
    ]
    reasons = {e["line"]: e["reason"] for e in data["errors"]}
    assert "volume" in reasons[4] and "line 2" in reasons[5] and "difficulty" in reasons[6]
    assert "Already" in reasons[7] and "intent" in reasons[10]
    rows = {k.keyword: k for k in Keyword.unscoped.filter(sector=sector)}
    assert set(rows) == {"already here", "yoga mat", "yoga strap", "yoga bolster"}
    assert (rows["yoga mat"].volume, rows["yoga mat"].difficulty) == (1200, 35)
    assert str(rows["yoga bolster"].cpc) == "2.50" and rows["yoga strap"].volume == 1500
    assert rows["yoga strap"].intent == "informational"


def test_import_refuses_files_that_are_not_csv_and_imports_nothing(owner, sector):
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    response = _upload(owner, sector, png, name="keywords.csv")
    assert response.status_code == 400 and response.json()["code"] == "invalid_file"
    response = _upload(owner, sector, "volume,difficulty\n10,10\n")
    assert response.status_code == 400 and "file" in response.json()["errors"]
    assert not Keyword.unscoped.filter(sector=sector).exists()
    # a NUL or other control character is a bad row (PostgreSQL text cannot hold NUL)
    response = _upload(owner, sector, "keyword\nok\nbad\x00row\nbell\x07\n")
    assert [(e["line"], e["code"]) for e in response.json()["data"]["errors"]] == [
        (3, "invalid"),
        (4, "invalid"),
    ]
    assert list(Keyword.unscoped.filter(sector=sector).values_list("keyword", flat=True)) == ["ok"]


def test_oversized_uploads_are_413(owner, sector, settings):
    settings.PLANNER_IMPORT_MAX_BYTES = 100
    response = _upload(owner, sector, "keyword\n" + "a long keyword\n" * 20)
    assert response.status_code == 413 and response.json()["code"] == "payload_too_large"
    settings.PLANNER_IMPORT_MAX_BYTES = 10_000
    settings.PLANNER_IMPORT_MAX_ROWS = 3
    response = _upload(owner, sector, "keyword\na\nb\nc\nd\n")
    assert response.status_code == 413
    assert not Keyword.unscoped.filter(sector=sector).exists()


def test_import_past_the_plan_limit_is_402_and_imports_nothing(owner, sector, plan_limits):
    plan_limits(max_keywords=3)
    response = _upload(owner, sector, "keyword\na\nb\nc\nd\n")
    assert response.status_code == 402 and response.json()["code"] == "plan_limit_exceeded"
    assert not Keyword.unscoped.filter(sector=sector).exists()


def test_import_into_another_accounts_sector_is_400(owner, foreign_sector):
    response = _upload(owner, foreign_sector, "keyword\na\n")
    assert response.status_code == 400 and "sector_id" in response.json()["errors"]
    assert not Keyword.unscoped.filter(sector=foreign_sector).exists()


def _export(owner, query=""):
    response = owner.client.get(f"{URL}export/{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def test_export_escapes_formulas_and_applies_the_list_filters(owner, other_owner, sector):
    cluster = ClusterFactory(account=owner.account, sector=sector, name="=HYPERLINK(evil)")
    for text in ("=1+1", "+cmd", "-2", "@sum", "\tTab", "\rcr", "plain"):
        KeywordFactory(account=owner.account, sector=sector, keyword=text, cluster=cluster)
    KeywordFactory(account=owner.account, sector=sector, keyword="archived one", status="archived")
    KeywordFactory(account=other_owner.account, keyword="not mine")

    rows = _export(owner, "?status=pending")

    keywords = sorted(row["keyword"] for row in rows)
    assert keywords == sorted(["'=1+1", "'+cmd", "'-2", "'@sum", "'\tTab", "'\rcr", "plain"])
    assert {row["cluster"] for row in rows} == {"'=HYPERLINK(evil)"}
    assert {row["sector_id"] for row in rows} == {str(sector.id)}
    assert "not mine" not in keywords and len(_export(owner, "?search=archived")) == 1
    assert _export(other_owner, "")[0]["keyword"] == "not mine"
