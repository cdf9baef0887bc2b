"""core.uploads: documents checked by their bytes, names that cannot be paths."""

import io
import zipfile

import pytest

from flowline.core import uploads
from flowline.core.uploads import FileRefused, check_file, display_name

KINDS = ("csv", "xlsx", "pdf", "txt", "md")


def _refusal(data: bytes, name: str) -> FileRefused:
    with pytest.raises(FileRefused) as caught:
        check_file(data, kinds=KINDS, max_bytes=1024 * 1024, name=name)
    return caught.value


@pytest.mark.parametrize(
    "name", ["../a.csv", "dir/a.csv", "a\\b.csv", "a\x00.csv", "..", " ", "a\n.csv"]
)
def test_names_with_a_path_or_control_characters_are_refused(name):
    with pytest.raises(FileRefused) as caught:
        display_name(name)

    assert caught.value.code == "invalid_file_name"


def test_a_workbook_that_unpacks_to_too_much_is_refused(monkeypatch):
    # given: a small ZIP whose entries claim more than the bound
    monkeypatch.setattr(uploads, "MAX_UNZIPPED_BYTES", 1000)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>" + " " * 5000)

    # when
    refused = _refusal(out.getvalue(), "big.xlsx")

    # then
    assert refused.reason == "unreadable"


def test_a_byte_order_mark_does_not_hide_markup():
    assert _refusal(b"\xef\xbb\xbf<svg onload=alert(1)>", "a.csv").reason == "mismatch"


def test_a_csv_of_any_single_byte_encoding_passes():
    checked = check_file("name\nJosé\n".encode("latin-1"), kinds=KINDS, max_bytes=100, name="a.CSV")

    assert checked.kind.extension == "csv" and checked.content_type == "text/csv"


def test_too_large_is_413():
    refused = _refusal(b"x" * (1024 * 1024 + 1), "a.txt")

    assert (refused.status, refused.code) == (413, "payload_too_large")
