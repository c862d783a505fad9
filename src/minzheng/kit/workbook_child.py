"""The child process that parses one workbook (kit.workbooks): the file on stdin, its first
sheet's rows as JSON on stdout. It limits its own address space first, so that a reader that
asks for too much memory fails here (the parent sees a non-zero exit) instead of in the web
process. JSON rather than pickle: the parent never unpickles what a hostile file produced."""

import datetime as dt
import io
import json
import resource
import sys

_TAGS = {dt.datetime: "datetime", dt.date: "date", dt.time: "time"}


def encode_cell(value):
    if isinstance(value, dt.timedelta):
        return {"timedelta": value.total_seconds()}
    for kind, tag in _TAGS.items():
        if isinstance(value, kind):
            return {tag: value.isoformat()}
    return value


def decode_cell(value):
    if not isinstance(value, dict):
        return value
    (tag, text), *_ = value.items()
    if tag == "timedelta":
        return dt.timedelta(seconds=text)
    return {"datetime": dt.datetime, "date": dt.date, "time": dt.time}[tag].fromisoformat(text)


def main(max_rows: int, memory: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    import python_calamine

    data = sys.stdin.buffer.read()
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False, nrows=max_rows)
    out = [[encode_cell(cell) for cell in row] for row in rows]
    sys.stdout.buffer.write(json.dumps(out, ensure_ascii=False).encode("utf-8"))


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
