"""Reading a people CSV: bytes to text, text to rows with their line numbers, and the file-level checks.

Nothing here touches the database; resolving names to skills, languages and people is in services.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field

from openhelp.platform.lib.spreadsheet import FORMULA_STARTS as FORMULA_STARTS  # read by the tests
from openhelp.platform.lib.spreadsheet import looks_like_formula, safe_cell

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
HEADERS = (
    "email",
    "name",
    "team",
    "manager_email",
    "timezone",
    "languages",
    "skills_offered",
    "skills_wanted",
)
REQUIRED_HEADERS = ("email", "name")
LIST_SEPARATOR = ";"
LEVEL_SEPARATOR = ":"
# A cell starting with one of FORMULA_STARTS is a formula to a spreadsheet; the export prefixes it with a
# quote (lib.spreadsheet, the one guard for every CSV) and the import takes it off, so the round trip is exact.


@dataclass(frozen=True)
class RowError:
    """One problem: the line in the file (1 is the header; None for the file as a whole), the column, why."""

    line: int | None
    column: str
    message: str


class FileRejected(Exception):
    """The file as a whole cannot be read (encoding, size, header): no row is looked at."""

    def __init__(self, message: str, *, line: int | None = None, column: str = "") -> None:
        super().__init__(message)
        self.error = RowError(line=line, column=column, message=message)


@dataclass(frozen=True)
class CsvRow:
    line: int
    cells: dict[str, str]


@dataclass
class ParsedCsv:
    columns: tuple[str, ...]
    rows: list[CsvRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def decode_csv_bytes(data: bytes) -> str:
    """UTF-8 text (a byte-order mark is fine), or a clear reason why not."""
    if len(data) > MAX_BYTES:
        raise FileRejected(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is {MAX_BYTES // 1024 // 1024} MB. "
            "Split it into smaller files."
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileRejected("The file is UTF-16. Save it as “CSV UTF-8” and upload it again.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FileRejected(
            f"Line {line} is not valid UTF-8. Save the file as “CSV UTF-8” and upload it again.", line=line
        ) from error


def normalise_header(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def unescape_cell(value: str) -> str:
    value = value.strip()
    return value[1:] if value.startswith("'") and looks_like_formula(value) else value


def escape_cell(value: str) -> str:
    return safe_cell(value)


def split_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()]


def _check_header(cells: list[str], line: int) -> tuple[str, ...]:
    columns = tuple(normalise_header(cell) for cell in cells)
    expected = ",".join(HEADERS)
    if len(columns) == 1 and LIST_SEPARATOR in cells[0]:
        raise FileRejected(
            f"Separate the columns with commas, not semicolons. The header should be: {expected}",
            line=line,
        )
    unknown = [cells[i].strip() for i, name in enumerate(columns) if name not in HEADERS]
    if unknown:
        raise FileRejected(
            f"Unknown column{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}. "
            f"The columns are: {expected}",
            line=line,
        )
    repeated = sorted({name for name in columns if columns.count(name) > 1})
    if repeated:
        raise FileRejected(f"The column {', '.join(repeated)} appears twice in the header.", line=line)
    missing = [name for name in REQUIRED_HEADERS if name not in columns]
    if missing:
        raise FileRejected(
            f"The header has no {' or '.join(missing)} column. The first line must be the header, "
            f"e.g. {expected}",
            line=line,
        )
    return columns


def read_rows(text: str) -> ParsedCsv:
    """The header's columns and every non-blank row with the line it starts on; raises FileRejected."""
    text = text.removeprefix("\ufeff")
    if len(text) > MAX_BYTES:
        raise FileRejected(
            f"The file is larger than {MAX_BYTES // 1024 // 1024} MB. Split it into smaller files."
        )
    if not text.strip():
        raise FileRejected("The file is empty. The first line must be the header: " + ",".join(HEADERS))
    if "\x00" in text:
        raise FileRejected("The file contains NUL characters: it is not a CSV text file.")
    reader = csv.reader(io.StringIO(text, newline=""))
    parsed: ParsedCsv | None = None
    previous_end = 0
    try:
        for record in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if parsed is None:
                parsed = ParsedCsv(columns=_check_header(record, start))
                continue
            if len(parsed.rows) >= MAX_ROWS:
                raise FileRejected(
                    f"The file has more than {MAX_ROWS:,} people; the limit is {MAX_ROWS:,}. "
                    "Split it into smaller files."
                )
            extra = [cell for cell in record[len(parsed.columns) :] if cell.strip()]
            if extra:
                parsed.errors.append(
                    RowError(
                        start,
                        "",
                        f"This row has {len(record)} cells but the header has {len(parsed.columns)} columns "
                        "(is a comma missing its quotes?).",
                    )
                )
                continue
            cells = {name: unescape_cell(value) for name, value in zip(parsed.columns, record, strict=False)}
            parsed.rows.append(CsvRow(line=start, cells=cells))
    except csv.Error as error:
        raise FileRejected(
            f"Line {reader.line_num} cannot be read as CSV: {error}.", line=reader.line_num
        ) from error
    assert parsed is not None  # the text is not blank, so there was a first record
    if not parsed.rows and not parsed.errors:
        raise FileRejected("The file has a header but no people.", line=None)
    return parsed
