"""Opening an uploaded .xlsx without letting it take the server down.

A workbook is a zip of XML. Two things in it can exhaust the machine before any row limit is
reached: a sparse sheet whose cells span a huge range (A1 and XFD1048576: the reader densifies
it and asks for 512 GiB; calamine then aborts the whole process, which no exception handler can
catch — tafia/calamine#693) and a compression bomb (a few MB that inflate to GBs of rows).

So an upload is checked in two steps:
1. here, in pure Python with bounded memory: the zip's declared sizes and ratios, then the
   first sheet's XML streamed and scanned, counting the real extent from the dimension and
   every row and cell reference, stopping at the first one beyond the limits;
2. the parsing itself runs in a child process with an address-space limit and a time limit
   (`workbook_child`), so that a reader bug we do not know of yet ends that child, not the web
   process, and becomes a refusal.
"""

import io
import json
import re
import subprocess
import sys
import zipfile
from posixpath import dirname, join, normpath

from minzheng.kit.errors import Error, ValidationFailed

MAX_COLUMNS = 200  # forms and department files have tens of columns
MAX_MEMBERS = 1_000
MAX_UNCOMPRESSED = 512 * 1024 * 1024  # all XML of the workbook, inflated
MAX_RATIO = 200  # inflated ÷ compressed, per member: real sheets stay far below
MAX_SMALL_PART = 8 * 1024 * 1024  # workbook.xml and its relations
CHILD_MEMORY = 2 * 1024 * 1024 * 1024
CHILD_SECONDS = 120
_CELL = re.compile(r"([A-Z]{1,3})([0-9]+)$")


class UnreadableFile(ValidationFailed):
    """Raised with one of the kit's file codes (callers catch the class)."""

    code = "unreadable_file"


def workbook_rows(data: bytes, max_rows: int) -> list[list]:
    """The first sheet's cells as Python values, at most `max_rows` rows; refuses a workbook
    whose extent or inflated size is beyond the limits before anything is allocated for it."""
    check_workbook(data, max_rows)
    return _parse_in_child(data, max_rows)


def check_workbook(data: bytes, max_rows: int) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        _check_sizes(archive.infolist())
        sheet = _first_sheet(archive)
        with archive.open(sheet) as stream:
            _check_extent(stream, max_rows)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnreadableFile.of(Error.WORKBOOK_UNREADABLE) from exc


def _check_sizes(members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_MEMBERS:
        raise UnreadableFile.of(Error.WORKBOOK_BOMB)
    if sum(m.file_size for m in members) > MAX_UNCOMPRESSED:
        raise UnreadableFile.of(Error.WORKBOOK_BOMB)
    if any(m.file_size > MAX_RATIO * max(m.compress_size, 1024) for m in members):
        raise UnreadableFile.of(Error.WORKBOOK_BOMB)


def _first_sheet(archive: zipfile.ZipFile) -> str:
    """The part of the workbook's first sheet (the one calamine reads as index 0)."""
    workbook = _small_part(archive, "xl/workbook.xml")
    relations = _small_part(archive, "xl/_rels/workbook.xml.rels")
    first = re.search(rb"<(?:\w+:)?sheet\b[^>]*?\br:id=\"([^\"]+)\"", workbook)
    if first is None:
        raise ValueError("no sheet")
    rel_id = re.escape(first.group(1))
    target = re.search(rb"<Relationship\b[^>]*?Id=\"" + rel_id + rb"\"[^>]*>", relations)
    path = re.search(rb"Target=\"([^\"]+)\"", target.group(0)) if target else None
    if path is None:
        raise ValueError("no sheet target")
    name = path.group(1).decode()
    return name.lstrip("/") if name.startswith("/") else normpath(join(dirname("xl/"), name))


def _small_part(archive: zipfile.ZipFile, name: str) -> bytes:
    if archive.getinfo(name).file_size > MAX_SMALL_PART:
        raise UnreadableFile.of(Error.WORKBOOK_BOMB)
    return archive.read(name)


# An element that places cells, with its attributes: a scan of the raw XML rather than a parser,
# since only positions matter and a document of 100,000 rows must pass in a fraction of a second.
# Markup hidden in comments or CDATA can only add positions, so it errs towards refusing.
_PLACING = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c|dimension)(?=[\s/>])([^>]*)")
_REFERENCE = re.compile(rb"(?:^|\s)(?:r|ref)=\"([^\"]*)\"")
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


class _Extent:
    """Follows the row and column of every cell while the sheet's XML streams past."""

    def __init__(self, max_rows: int) -> None:
        self.max_rows, self.row, self.column = max_rows, 0, 0

    def element(self, tag: bytes, attributes: bytes) -> None:
        found = _REFERENCE.search(attributes)
        reference = found.group(1).decode("ascii", "replace") if found else ""
        if tag == b"c":
            self.column = self._located(reference)[1] if reference else self.column + 1
            self._bounded(self.row, self.column)
        elif tag == b"row":
            self.row = int(reference) if reference else self.row + 1
            self.column = 0
            self._bounded(self.row, 1)
        else:  # the dimension, as the sheet declares it
            self._bounded(*self._located(reference.split(":")[-1] or "A1"))

    def _located(self, reference: str) -> tuple[int, int]:
        found = _CELL.match(reference.replace("$", "").upper())
        if found is None:
            raise ValueError(f"bad cell reference {reference[:20]!r}")
        column = 0
        for letter in found.group(1):
            column = column * 26 + ord(letter) - 64
        return int(found.group(2)), column

    def _bounded(self, row: int, column: int) -> None:
        if row > self.max_rows:
            raise UnreadableFile.of(Error.TOO_MANY_ROWS, limit=self.max_rows - 2)
        if column > MAX_COLUMNS:
            raise UnreadableFile.of(Error.TOO_MANY_COLUMNS, limit=MAX_COLUMNS)


def _check_extent(stream, max_rows: int) -> None:
    """Streams the sheet in 1 MB chunks; an element cut at a chunk's end waits for the next."""
    extent, tail = _Extent(max_rows), b""
    while chunk := stream.read(1 << 20):
        text = tail + chunk
        if _DOCTYPE.search(text):  # OOXML has none; entities could explode in the reader
            raise ValueError("a DOCTYPE in a sheet")
        cut = text.rfind(b"<")
        complete, tail = (text[:cut], text[cut:]) if text.find(b">", cut) < 0 else (text, b"")
        for found in _PLACING.finditer(complete):
            extent.element(found.group(1), found.group(2))
        if len(tail) > 1 << 20:
            raise ValueError("an element longer than 1 MB")


def _parse_in_child(data: bytes, max_rows: int) -> list[list]:
    command = [sys.executable, "-m", "minzheng.kit.workbook_child", str(max_rows)]
    command.append(str(CHILD_MEMORY))
    try:
        # our own module with numbers as arguments; the file goes in on stdin, never the shell
        done = subprocess.run(  # noqa: S603
            command, input=data, capture_output=True, timeout=CHILD_SECONDS
        )
    except subprocess.TimeoutExpired:
        raise UnreadableFile.of(Error.WORKBOOK_TOO_SLOW) from None
    if done.returncode != 0:
        raise UnreadableFile.of(Error.WORKBOOK_UNREADABLE)
    return _decoded(json.loads(done.stdout))


def _decoded(rows: list[list]) -> list[list]:
    from minzheng.kit.workbook_child import decode_cell

    return [[decode_cell(cell) for cell in row] for row in rows]
