"""Events from a file, for ``factory events import FILE``: CSV with a header, or JSON lines.

CSV columns are the event's fields (``id, type, variant_id, delivery_id, timestamp, value, currency``); a
column ``segment.<key>`` (``segment.placement``, ``segment.locale``) becomes a segment entry; empty cells are
absent. JSON lines hold one event object per line (blank lines skipped). A line that is not JSON is passed
on as text, so the import refuses it like any malformed event, with its line number.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from app.errors import InvalidInput


def read_events(path: Path) -> Iterator[tuple[int, Any]]:
    """``(line number, event)`` for each event in the file; InvalidInput for a missing file or an unknown
    suffix (``.csv``, ``.jsonl``, ``.ndjson`` or ``.json`` lines)."""
    if not path.is_file():
        raise InvalidInput(f"no file {path}")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        yield from _csv(path)
    elif suffix in {".jsonl", ".ndjson", ".json"}:
        yield from _json_lines(path)
    else:
        raise InvalidInput(f"{path.name}: give a .csv file with a header or .jsonl (one JSON event per line)")


def _csv(path: Path) -> Iterator[tuple[int, Any]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            event: dict[str, Any] = {}
            segment: dict[str, str] = {}
            for key, cell in row.items():
                if key is None or cell is None or cell.strip() == "":
                    continue
                if key.startswith("segment."):
                    segment[key.removeprefix("segment.")] = cell.strip()
                elif key == "value":
                    event[key] = _number(cell)
                else:
                    event[key.strip()] = cell.strip()
            if segment:
                event["segment"] = segment
            yield reader.line_num, event


def _number(cell: str) -> float | str:
    try:
        return float(cell)
    except ValueError:
        return cell  # refused by validation, with the field named


def _json_lines(path: Path) -> Iterator[tuple[int, Any]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as err:
                yield number, f"not JSON: {err.msg}"
