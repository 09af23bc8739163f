"""JSON between a run's processes goes through linkkeeper/json_lines.py, the one module that imports orjson;
everything people or the database read is written by the standard library's json (see its docstring)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from linkkeeper import json_lines

ROOT = Path(__file__).resolve().parent.parent
OWNER = ROOT / "linkkeeper" / "json_lines.py"


def imports_orjson(path: Path) -> bool:
    return any(
        (isinstance(node, ast.Import) and any(alias.name.partition(".")[0] == "orjson" for alias in node.names))
        or (isinstance(node, ast.ImportFrom) and (node.module or "").partition(".")[0] == "orjson")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path)))
    )


def test_no_module_but_json_lines_imports_orjson():
    modules = [
        path
        for folder in ("linkkeeper", "crawler", "archive", "dashboard", "bench")
        for path in sorted((ROOT / folder).rglob("*.py"))
    ] + [ROOT / "cli.py"]
    assert [str(path.relative_to(ROOT)) for path in modules if imports_orjson(path)] == [
        str(OWNER.relative_to(ROOT))
    ]


RECORD = {
    "type": "CheckItem",
    "target": 7,
    "url": "https://bücher.example/ä?q=1",
    "redirect_chain": [{"url": "http://bücher.example/ä", "status": 301}],
    "elapsed_ms": 12,
    "truncated": False,
    "title": None,
}


def test_a_record_is_one_line_that_any_json_reader_reads_back():
    line = json_lines.line(RECORD)
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    assert json_lines.loads(line) == json.loads(line) == RECORD
    assert json_lines.loads(json_lines.dumps(RECORD).decode()) == RECORD  # Redis hands back text


def test_a_document_that_is_not_json_is_a_decode_error_and_a_value_error():
    with pytest.raises(json_lines.DecodeError):
        json_lines.loads(b'{"settings": {')
    assert issubclass(json_lines.DecodeError, ValueError)
