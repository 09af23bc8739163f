"""The layers a reader can rely on: the core package (`linkkeeper/`) stands on its own, and the crawler
builds on the core only. cli.py puts the layers together (check, then archive); the archive step plugs
into the crawl through Scrapy's settings (its WARC pipeline), never through an import in the crawler."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "linkkeeper": {"archive", "crawler", "cli", "dashboard"},
    "crawler": {"archive", "cli", "dashboard"},
}


def imported_packages(path: Path) -> set[str]:
    """The top-level names a module imports, wherever the import stands (in a function too)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.partition(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.partition(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_package_imports_nothing_from_the_layers_above_it(package):
    modules = sorted((ROOT / package).rglob("*.py"))
    assert modules
    reaching_up = {
        str(module.relative_to(ROOT)): sorted(imported_packages(module) & FORBIDDEN[package]) for module in modules
    }
    assert {module: names for module, names in reaching_up.items() if names} == {}


def test_the_check_finds_an_import_inside_a_function(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("def later():\n    from archive.step import run_archive\n    import cli\n")
    assert imported_packages(module) == {"archive", "cli"}
