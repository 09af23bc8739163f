"""The map of the code: which package may import which. The core (`linkkeeper/`) stands on its own, its
packages in layers (health's rules at the bottom, the runs and the repair at the top); the crawler builds
on the core only, and its judging rules import no Scrapy, so the archive step judges an archived copy with
them. cli.py puts the layers together; the archive step plugs into the crawl through Scrapy's settings
(its WARC pipeline), never through an import in the crawler."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

CORE = "linkkeeper"  # its modules at the top (errors, clock, files, quote, urls, json_lines): used by every layer
MAY_IMPORT = {
    "linkkeeper.config": {CORE},
    "linkkeeper.health": {CORE, "linkkeeper.config"},
    "linkkeeper.store": {CORE, "linkkeeper.config", "linkkeeper.health"},
    "linkkeeper.output": {CORE, "linkkeeper.config", "linkkeeper.health", "linkkeeper.store"},
    "linkkeeper.runs": {CORE, "linkkeeper.config", "linkkeeper.health", "linkkeeper.store", "linkkeeper.output",
                        "linkkeeper.domains"},
    "linkkeeper.domains": {CORE, "linkkeeper.config", "linkkeeper.health", "linkkeeper.store"},
    "linkkeeper.importer": {CORE, "linkkeeper.config", "linkkeeper.runs"},
    "linkkeeper.notify": {CORE, "linkkeeper.config", "linkkeeper.health", "linkkeeper.store", "linkkeeper.runs",
                          "linkkeeper.output"},
    "linkkeeper.repair": {CORE, "linkkeeper.config", "linkkeeper.health", "linkkeeper.importer", "linkkeeper.output",
                          "linkkeeper.store"},
    CORE: {CORE},
    "crawler.rules": {CORE, "linkkeeper.config", "linkkeeper.health"},
    "crawler.downloader": {CORE, "linkkeeper.config", "linkkeeper.health", "crawler", "crawler.rules",
                           "scrapy", "twisted"},
    "crawler.spiders": {CORE, "linkkeeper.config", "linkkeeper.health", "linkkeeper.importer", "crawler",
                        "crawler.rules", "crawler.downloader", "scrapy", "twisted"},
    "crawler": {CORE, "linkkeeper.config", "linkkeeper.health", "linkkeeper.runs", "crawler.rules",
                "crawler.downloader", "crawler.spiders", "scrapy", "twisted"},
    "archive": {CORE, "linkkeeper.config", "linkkeeper.health", "linkkeeper.store", "crawler", "crawler.rules"},
    "dashboard": {CORE, "linkkeeper.config", "linkkeeper.health", "linkkeeper.store", "linkkeeper.output",
                  "linkkeeper.runs"},
}
"""Each package (by its folder) and the packages it may import from, besides itself and outside libraries."""
OURS = {"linkkeeper", "crawler", "archive", "dashboard", "cli", "scrapy", "twisted"}


def layer(module: str) -> str:
    """The package a dotted module name belongs to in the map: its folder, or its top for a top-level module."""
    parts = module.split(".")
    for length in range(len(parts), 0, -1):
        if ".".join(parts[:length]) in MAY_IMPORT and (ROOT.joinpath(*parts[:length])).is_dir():
            return ".".join(parts[:length])
    return parts[0]


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def imported_modules(path: Path) -> set[str]:
    """The modules a module imports, wherever the import stands (in a function too), as dotted names."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def reached(path: Path) -> set[str]:
    """The layers of ours (and Scrapy, Twisted) that a module imports, other than its own."""
    own = layer(module_name(path))
    return {layer(name) for name in imported_modules(path) if name.split(".")[0] in OURS} - {own}


@pytest.mark.parametrize("package", sorted(MAY_IMPORT))
def test_a_package_imports_only_what_the_map_allows(package):
    folder = ROOT.joinpath(*package.split("."))
    modules = [path for path in sorted(folder.rglob("*.py")) if layer(module_name(path)) == package]
    assert modules
    beyond = {module_name(path): sorted(reached(path) - MAY_IMPORT[package]) for path in modules}
    assert {module: names for module, names in beyond.items() if names} == {}


def test_every_package_is_on_the_map():
    packages = {module_name(init) for top in ("linkkeeper", "crawler", "archive", "dashboard")
                for init in (ROOT / top).rglob("__init__.py")}
    assert packages <= set(MAY_IMPORT)


def test_every_package_says_what_it_owns_and_may_import():
    for package in MAY_IMPORT:
        docstring = ast.get_docstring(ast.parse((ROOT.joinpath(*package.split(".")) / "__init__.py").read_text()))
        if package.count(".") == 1 and package.split(".")[0] in ("linkkeeper", "crawler"):
            assert docstring and "May import" in docstring, package


def test_the_judging_rules_import_no_scrapy_even_through_another_module():
    """Importing every rule in a fresh interpreter loads neither Scrapy nor Twisted."""
    import subprocess
    import sys

    rules = [module_name(path) for path in sorted((ROOT / "crawler" / "rules").glob("*.py"))]
    script = (
        "import importlib, sys\n"
        f"for name in {rules!r}: importlib.import_module(name)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'scrapy', 'twisted'}))"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_linkkeeper_keeps_at_most_a_dozen_modules_at_its_top():
    assert len(list((ROOT / "linkkeeper").glob("*.py"))) <= 12


def test_the_check_finds_an_import_inside_a_function(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("def later():\n    from archive.step import run_archive\n    import cli\n")
    assert imported_modules(module) == {"archive.step.run_archive", "cli"}
