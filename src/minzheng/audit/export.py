"""Audit log export as CSV or XLSX, through the one export writer (no cell runs as a formula:
the log holds what strangers typed, such as a username tried at the sign-in page)."""

import json
from collections.abc import Iterator

from django.utils import timezone

from minzheng.audit.actions import label_of
from minzheng.kit.exports import csv_bytes, xlsx_bytes

HEADERS = [
    "序号",
    "时间",
    "操作人",
    "操作",
    "操作说明",
    "对象类型",
    "对象编号",
    "区划代码",
    "变更前",
    "变更后",
    "原因",
    "客户端IP",
    "哈希",
]
MAX_ROWS = 200_000


def _row(event) -> list:
    local = timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S")
    return [
        event.seq,
        local,
        event.actor_name,
        event.action,
        label_of(event.action),
        event.object_type,
        event.object_id,
        event.region_code,
        _json(event.before),
        _json(event.after),
        event.reason,
        event.ip or "",
        event.hash,
    ]


def _json(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _rows(events) -> Iterator[list]:
    yield HEADERS
    for event in events.iterator(chunk_size=2000):
        yield _row(event)


def to_csv(events) -> bytes:
    return csv_bytes(_rows(events))


def to_xlsx(events) -> bytes:
    return xlsx_bytes([("审计日志", _rows(events))])
