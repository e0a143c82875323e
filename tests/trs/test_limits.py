"""What a file may be: an overall upload limit, rows, a spreadsheet's unpacked size; errors
that name files as people know them and never keep a whole line of the file."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.engine.trs.test_runner import _bomb
from tests.trs.conftest import TrsWorld
from waypoint.core.errors import InvalidInput
from waypoint.core.middleware import STALE_UPLOAD_SECONDS
from waypoint.trs import services
from waypoint.trs.models import Dataset, DatasetStatus

CSV = (
    "declaration_id,milestone,timestamp\n"
    "D1,arrival,2012-01-01T08:00:00Z\nD1,lodgement,2012-01-01T09:00:00Z\n"
    "D1,registration,2012-01-01T09:10:00Z\nD1,release,2012-01-01T10:00:00Z\n"
)


def _upload(trs: TrsWorld, name: str, content: bytes) -> Dataset:
    return services.dataset_upload(
        actor=None, administration=trs.world.unit("ADM"), name=name, upload=SimpleUploadedFile(name, content)
    )


def test_a_spreadsheet_bomb_is_refused_before_it_is_read_with_a_clear_message(
    trs: TrsWorld, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openpyxl

    bomb = _bomb(tmp_path, 150)  # 150 MB of sheet XML in a file of a few hundred kilobytes

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the spreadsheet was opened")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    dataset = _upload(trs, "bomb.xlsx", bomb.read_bytes())
    assert dataset.status == DatasetStatus.FAILED
    assert "bomb.xlsx: the spreadsheet unpacks to 150 MB, more than the 100 MB allowed" in dataset.error
    assert not dataset.study_file.exists()


def test_a_file_named_xlsx_that_is_not_a_spreadsheet_fails_clearly(trs: TrsWorld) -> None:
    dataset = _upload(trs, "export.xlsx", CSV.encode())
    assert dataset.status == DatasetStatus.FAILED
    assert "export.xlsx: not an XLSX spreadsheet" in dataset.error


def test_csv_and_spreadsheet_rows_are_limited(trs: TrsWorld, settings: Any) -> None:
    settings.WAYPOINT_TRS_MAX_ROWS = 3
    dataset = _upload(trs, "four.csv", CSV.encode())
    assert dataset.status == DatasetStatus.FAILED
    assert "more than 3 rows" in dataset.error


def test_errors_name_files_relative_to_the_data_directory_and_cut_quoted_lines(trs: TrsWorld) -> None:
    folder = trs.root / "exports" / "2012"
    folder.mkdir(parents=True)
    good = "D1,arrival,2012-01-01T08:00:00Z\n" * 30_000
    (folder / "ragged.csv").write_text(
        "declaration_id,milestone,timestamp\n" + good + "D2,arrival,2012," + "x" * 10_000 + ",y\n"
    )
    dataset = services.dataset_register(
        actor=None, administration=trs.world.unit("ADM"), name="Ragged", server_path="exports/2012/ragged.csv"
    )
    assert dataset.status == DatasetStatus.FAILED
    assert dataset.error.startswith("exports/2012/ragged.csv: cannot be read")
    assert str(trs.root) not in dataset.error and str(trs.root.resolve()) not in dataset.error
    assert "x" * 300 not in dataset.error
    assert len(dataset.error) <= services.ERROR_LENGTH
    with pytest.raises(InvalidInput) as caught:
        services.dataset_register(actor=None, administration=trs.world.unit("ADM"), name="x", server_path="none.csv")
    assert str(trs.root.resolve()) not in caught.value.message
    assert "none.csv" in caught.value.message


def test_an_upload_above_the_limit_is_refused_before_it_is_read(
    client: Client, trs: TrsWorld, settings: Any, tmp_path: Path
) -> None:
    settings.WAYPOINT_MAX_UPLOAD_MB = 1
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # larger files go to a temporary file
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    (tmp_path / "uploads").mkdir()
    client.force_login(trs.world.users["planner"])
    big = SimpleUploadedFile("big.csv", CSV.encode() + b"#" * (2 * 1024 * 1024))
    refused = client.post(reverse("trs-dataset-create"), {"name": "Big", "file": big})
    assert refused.status_code == 413
    assert "larger than the 1 MB this server accepts" in refused.content.decode()
    api = client.post("/api/trs/datasets", {"file": SimpleUploadedFile("big.csv", b"#" * (2 * 1024 * 1024))})
    assert api.status_code == 413 and api.json()["code"] == "too_large"
    assert not Dataset.objects.filter(name="Big").exists()
    assert list((tmp_path / "uploads").iterdir()) == []


def test_the_service_refuses_a_file_above_the_limit(trs: TrsWorld, settings: Any) -> None:
    settings.WAYPOINT_MAX_UPLOAD_MB = 1
    with pytest.raises(InvalidInput) as caught:
        _upload(trs, "big.csv", CSV.encode() + b"#" * (2 * 1024 * 1024))
    assert caught.value.problems[0].location == "file"
    assert "larger than 1 MB" in caught.value.message


class Dropping(io.RawIOBase):
    """A request body whose connection drops after ``cut`` bytes."""

    def __init__(self, data: bytes, cut: int) -> None:
        self.data, self.cut, self.position = data, cut, 0

    def read(self, size: int | None = -1) -> bytes:
        if self.position >= self.cut:
            raise OSError("connection reset by peer")
        size = self.cut - self.position if size is None or size < 0 else min(size, self.cut - self.position)
        chunk = self.data[self.position : self.position + size]
        self.position += len(chunk)
        return chunk

    def readline(self, size: int | None = -1) -> bytes:
        return self.read(size)


def test_a_broken_off_upload_leaves_no_temporary_file(
    client: Client, trs: TrsWorld, settings: Any, tmp_path: Path
) -> None:
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    (tmp_path / "uploads").mkdir()
    client.force_login(trs.world.users["planner"])
    boundary = "XyZ"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nCut\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + CSV.encode()
        + b"D9,arrival,2012-01-01T08:00:00Z\n" * 2000
        + f"\r\n--{boundary}--\r\n".encode()
    )
    environ: dict[str, Any] = {"wsgi.input": Dropping(body, len(body) // 2), "CONTENT_LENGTH": str(len(body))}
    client.generic(
        "POST", reverse("trs-dataset-create"), b"", content_type=f"multipart/form-data; boundary={boundary}", **environ
    )
    assert not Dataset.objects.filter(name="Cut").exists()
    assert list((tmp_path / "uploads").iterdir()) == []


def test_files_left_by_a_killed_upload_are_swept_away(
    client: Client, trs: TrsWorld, settings: Any, tmp_path: Path
) -> None:
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    (tmp_path / "uploads").mkdir()
    left = tmp_path / "uploads" / "tmpk1ll3d.upload.csv"  # what Django names a spooled upload
    left.write_bytes(b"x" * 4096)
    old = time.time() - STALE_UPLOAD_SECONDS - 60
    os.utime(left, (old, old))
    arriving = tmp_path / "uploads" / "tmpl1ve.upload.csv"  # an upload still arriving
    arriving.write_bytes(b"x")
    client.force_login(trs.world.users["planner"])
    client.post(
        reverse("trs-dataset-create"), {"name": "Next", "file": SimpleUploadedFile("n.csv", CSV.encode() * 100)}
    )
    assert not left.exists()
    assert arriving.exists()
    assert Dataset.objects.filter(name="Next").exists()
