"""Audit log export as CSV (UTF-8 with BOM, so Excel shows Chinese) or XLSX."""

import csv
import io
import json

from django.utils import timezone
from openpyxl import Workbook

from minzheng.audit.actions import label_of

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


def to_csv(events) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for event in events.iterator(chunk_size=2000):
        writer.writerow(_row(event))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(events) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("审计日志")
    sheet.append(HEADERS)
    for event in events.iterator(chunk_size=2000):
        sheet.append(_row(event))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
