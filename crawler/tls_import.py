"""Scrapy's TLS modules, imported (by importing this, first) without `inspect`'s costly way of naming the module of
their deprecated names.

Scrapy's `create_deprecated_class` names the module a deprecated alias is made in with `inspect.stack()`, which
reads the source lines of every frame on the stack, and `inspect.getmodule()`, which the first time maps the file
of every module imported (some 670 by then). `scrapy.core.downloader.tls` and `.contextfactory` make three such
aliases: 0.1 to 0.2 s of a crawler's start, the last thing a `check-links` run waits for before its first
request. For this one import the two give the same answer the cheap way: the frames without their lines, a
frame's module by its globals' `__name__`.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import sys
from collections.abc import Iterator
from types import FrameType, ModuleType


@contextlib.contextmanager
def _frames_named_cheaply() -> Iterator[None]:
    stack, getmodule = inspect.stack, inspect.getmodule

    def module_of(thing: object, _filename: str | None = None) -> ModuleType | None:
        if isinstance(thing, FrameType):
            return sys.modules.get(thing.f_globals.get("__name__", ""))
        return getmodule(thing, _filename)

    inspect.stack, inspect.getmodule = functools.partial(stack, context=0), module_of
    try:
        yield
    finally:
        inspect.stack, inspect.getmodule = stack, getmodule


with _frames_named_cheaply():
    import scrapy.core.downloader.contextfactory  # noqa: F401
