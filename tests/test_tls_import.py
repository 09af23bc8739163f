"""Scrapy's TLS modules imported the cheap way (crawler/tls_import.py) name their deprecated aliases as Scrapy
does, and leave `inspect` as it was."""

from __future__ import annotations

import subprocess
import sys

NAMES = (
    "import inspect; stack, getmodule = inspect.stack, inspect.getmodule; import MODULE; "
    "from scrapy.core.downloader import contextfactory, tls; "
    "print(inspect.stack is stack, inspect.getmodule is getmodule, tls.ScrapyClientTLSOptions.__module__, "
    "sorted(f'{name}:{value.__module__}' for name, value in vars(contextfactory).items() "
    "if type(value).__name__ == 'DeprecatedClass'))"
)


def names_after_importing(module: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", NAMES.replace("MODULE", module)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_deprecated_aliases_are_named_as_scrapy_names_them_and_inspect_is_restored():
    cheap = names_after_importing("crawler.tls_import")
    assert cheap == names_after_importing("scrapy.core.downloader.contextfactory")
    assert cheap.startswith("True True scrapy.core.downloader.tls [")
    assert "ScrapyClientContextFactory:scrapy.core.downloader.contextfactory" in cheap
