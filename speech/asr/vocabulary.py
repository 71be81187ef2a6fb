"""Where a Vosk model keeps its words, read without loading the model.

Big models ship `graph/words.txt`; small "lookahead" models (HCLr.fst + Gr.fst, the ones that take a
grammar at run time) may ship only `Gr.fst`, whose OpenFst header carries the word symbol table
(the Korean model's is named 'exp/chain/tdnn1a/lgraph/words.txt' inside Gr.fst). Both are read here.
"""

from __future__ import annotations

import struct
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from speech.errors import ModelError

__all__ = ["vosk_vocabulary", "vosk_takes_grammar"]

_FST_MAGIC = 2125659606
_SYMTAB_MAGIC = 2125658996


def vosk_takes_grammar(model_dir: Path) -> bool:
    """Small lookahead models (Gr.fst + HCLr.fst) accept a phrase list at run time; HCLG models do not."""
    graph = Path(model_dir) / "graph"
    return (graph / "Gr.fst").is_file() and (graph / "HCLr.fst").is_file()


@lru_cache(maxsize=4)
def vosk_vocabulary(model_dir: Path) -> frozenset[str]:
    """Every word the model can output."""
    model_dir = Path(model_dir)
    for cand in (model_dir / "graph" / "words.txt", model_dir / "words.txt"):
        if cand.is_file():
            return frozenset(
                line.split()[0] for line in cand.read_text(encoding="utf-8").splitlines() if line.strip()
            )
    gr = model_dir / "graph" / "Gr.fst"
    if not gr.is_file():
        raise ModelError(f"{model_dir}: no words.txt and no graph/Gr.fst: cannot tell the vocabulary")
    with gr.open("rb") as f:
        return frozenset(_fst_input_symbols(f, gr))


def _read_int(f: BinaryIO, fmt: str) -> int:
    size = struct.calcsize(fmt)
    data = f.read(size)
    if len(data) != size:
        raise EOFError
    return int(struct.unpack(fmt, data)[0])


def _read_str(f: BinaryIO) -> bytes:
    n = _read_int(f, "<i")
    if n < 0 or n > 1 << 20:
        raise ValueError(f"bad string length {n}")
    return f.read(n)


def _fst_input_symbols(f: BinaryIO, path: Path) -> list[str]:
    """The input symbol table of an OpenFst binary file (header, then the table when flagged)."""
    try:
        if _read_int(f, "<i") != _FST_MAGIC:
            raise ModelError(f"{path}: not an OpenFst file")
        _read_str(f)  # fst type, e.g. 'ngram' or 'const'
        _read_str(f)  # arc type
        _read_int(f, "<i")  # version
        flags = _read_int(f, "<i")
        f.read(8 + 8 + 8 + 8)  # properties, start, numstates, numarcs
        if not flags & 1:
            raise ModelError(f"{path}: the graph carries no symbol table and the model has no words.txt")
        if _read_int(f, "<i") != _SYMTAB_MAGIC:
            raise ModelError(f"{path}: unexpected symbol table header")
        _read_str(f)  # table name
        _read_int(f, "<q")  # available key
        size = _read_int(f, "<q")
        words = []
        for _ in range(size):
            words.append(_read_str(f).decode("utf-8", errors="replace"))
            f.read(8)  # key
        return words
    except (EOFError, ValueError, struct.error) as exc:
        raise ModelError(f"{path}: cannot read the word list: {exc}") from exc
