"""How alike two texts are: Jaccard similarity of word-pair shingles, exact or through a MinHash signature.

One measure serves both comparisons: a page against its host's answer for a missing page (both texts at
hand, compared exactly) and a page against its baseline of an earlier run (only a stored signature at
hand: datasketch's MinHash estimates the same Jaccard similarity, within about 0.06 with 64 permutations).
Chinese and Japanese are written without spaces, so each of their characters counts as a word.

datasketch is imported only where a signature is made (in the crawler): importing it loads SciPy, 0.4 s
that every command would otherwise pay at start. Comparing two signatures needs no more than NumPy.
"""

from __future__ import annotations

import base64
import functools
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
    """A compact fingerprint of the text's shingles, to compare with a later version of it."""
    from datasketch import MinHash

    minhash = MinHash(num_perm=PERMUTATIONS, scheme=SCHEME, permutations=_permutations())
    minhash.update_batch([shingle.encode() for shingle in shingles(text)])
    return base64.b64encode(minhash.hashvalues.astype("<u4").tobytes()).decode("ascii")


@functools.cache
def _permutations():
    """The scheme's permutations from its seed, drawn once: drawing them took most of the time of a signature."""
    from datasketch import MinHash

    return MinHash(num_perm=PERMUTATIONS, scheme=SCHEME).permutations


def signature_similarity(a: str, b: str) -> float:
    """The estimated Jaccard similarity of the texts behind two signatures: the share of equal hash values,
    as datasketch's `MinHash.jaccard` computes it."""
    first, second = (np.frombuffer(base64.b64decode(s), dtype="<u4") for s in (a, b))
    return float(np.count_nonzero(first == second)) / len(first)
