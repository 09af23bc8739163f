"""How alike two texts are: Jaccard similarity of word-pair shingles, exact or through a MinHash signature.

One measure serves both comparisons: a page against its host's answer for a missing page (both texts at
hand, compared exactly) and a page against its baseline of an earlier run (only a stored signature at
hand: datasketch's MinHash estimates the same Jaccard similarity, within about 0.06 with 64 permutations).
Chinese and Japanese are written without spaces, so each of their characters counts as a word.

The signature is datasketch's MinHash under its `affine32` scheme, computed here with NumPy alone:
importing datasketch loads SciPy, 0.4 s that every crawler paid at start, and drawing its permutations
took longer than hashing a page. tests/test_content_drift.py holds the two to the same values, which
signatures stored by earlier runs are compared with.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import itertools
import re

import numpy as np

PERMUTATIONS = 64
# Stored signatures are only comparable under the scheme that made them: named, never left to a default.
SCHEME = "affine32"
_WORD = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]|[^\W_]+")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def shingles(text: str) -> frozenset[str]:
    """Overlapping word pairs; a text of one word is that word."""
    tokens = words(text)
    if len(tokens) < 2:
        return frozenset(tokens)
    return frozenset(f"{a} {b}" for a, b in itertools.pairwise(tokens))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared shingles over all shingles; two empty texts are alike."""
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def signature(text: str) -> str:
    """A compact fingerprint of the text's shingles, to compare with a later version of it: for each of the
    permutations, the least permuted hash of a shingle (each shingle's hash: SHA-1's first four bytes, mixed
    by MurmurHash3's finalizer)."""
    values = np.full(PERMUTATIONS, 0xFFFFFFFF, dtype=np.uint32)
    found = [hashlib.sha1(shingle.encode()).digest()[:4] for shingle in shingles(text)]
    if found:
        hashes = _mixed(np.frombuffer(b"".join(found), dtype="<u4").astype(np.uint32).reshape(-1, 1))
        a, b = _permutations()
        values = np.minimum(values, (hashes * a + b).min(axis=0))
    return base64.b64encode(values.astype("<u4").tobytes()).decode("ascii")


@functools.cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The scheme's affine permutations `a * h + b` (mod 2^32, `a` odd), drawn as datasketch draws them (seed 1)."""
    draw = np.random.RandomState(1)
    a = draw.randint(0, 1 << 31, PERMUTATIONS, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = draw.randint(0, 1 << 32, PERMUTATIONS, dtype=np.uint32)
    return a, b


def _mixed(hashes: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (multiplications wrap, modulo 2^32)."""
    hashes = hashes ^ (hashes >> np.uint32(16))
    hashes = hashes * np.uint32(0x85EBCA6B)
    hashes = hashes ^ (hashes >> np.uint32(13))
    hashes = hashes * np.uint32(0xC2B2AE35)
    return hashes ^ (hashes >> np.uint32(16))


def signature_similarity(a: str, b: str) -> float:
    """The estimated Jaccard similarity of the texts behind two signatures: the share of equal hash values,
    as datasketch's `MinHash.jaccard` computes it."""
    first, second = (np.frombuffer(base64.b64decode(s), dtype="<u4") for s in (a, b))
    return float(np.count_nonzero(first == second)) / len(first)
