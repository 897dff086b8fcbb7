"""Type stubs of duiqi's Rust extension (see python/src/lib.rs for the documentation)."""

from os import PathLike
from typing import Callable, Iterator, Optional, Sequence, Tuple, Union

Text = Union[str, bytes]

class DuiqiError(ValueError): ...
class InputError(DuiqiError): ...
class EncodingError(InputError): ...
class LanguageError(InputError): ...
class OptionError(DuiqiError): ...
class ModelError(DuiqiError): ...

class Bead:
    """Consecutive source sentences and the target sentences they correspond to."""

    src: list[int]
    tgt: list[int]
    src_text: str
    tgt_text: str
    score: float
    src_span: Optional[Tuple[int, int]]
    tgt_span: Optional[Tuple[int, int]]

class Alignment:
    """Beads covering every sentence of both texts once, in order."""

    beads: list[Bead]
    src_sentences: list[str]
    tgt_sentences: list[str]
    source_text: str
    target_text: str
    def __len__(self) -> int: ...
    def __getitem__(self, index: int) -> Bead: ...
    def __iter__(self) -> Iterator[Bead]: ...
    def to_align(self) -> str: ...
    def to_tsv(self) -> str: ...
    def to_jsonl(self) -> str: ...
    def to_tmx(self) -> str: ...

class Aligner:
    """Aligns texts with their translations; build one and reuse it."""

    has_model: bool
    def __init__(
        self,
        max_bead: int = 5,
        passes: int = 2,
        model: Optional[Union[str, PathLike[str]]] = None,
        neural_share: float = 0.7,
        progress: Optional[Callable[[int, int, int, int], object]] = None,
        muse: Optional[Union[str, PathLike[str]]] = None,
        both_encoders: bool = False,
    ) -> None: ...
    def align(
        self,
        src: Text,
        tgt: Text,
        *,
        presplit: bool = False,
        src_lang: Optional[str] = None,
        tgt_lang: Optional[str] = None,
        encoding: Optional[str] = None,
    ) -> Alignment: ...
    def align_many(
        self,
        pairs: Sequence[Tuple[Text, Text]],
        *,
        presplit: bool = False,
        src_lang: Optional[str] = None,
        tgt_lang: Optional[str] = None,
        encoding: Optional[str] = None,
    ) -> list[Alignment]: ...
    def glossary(self, alignment: Alignment, *, all_words: bool = False) -> list[dict]: ...
    def count_records(self, records: Records, lexicons: Sequence[CorpusLexicon] = ()) -> CorpusCounts: ...
    def align_records(
        self, records: Records, lexicons: Sequence[CorpusLexicon] = (), *, glossary: bool = False
    ) -> Tuple[dict, dict]: ...

class Records:
    def __init__(
        self,
        ids: list[str],
        srcs: list[str],
        tgts: list[str],
        *,
        presplit: bool = False,
        src_lang: Optional[str] = None,
        tgt_lang: Optional[str] = None,
    ) -> None: ...
    def __len__(self) -> int: ...

class CorpusCounts:
    """Word counts of a corpus's aligned records; merge them, then learn the lexicon."""

    beads: int
    def __init__(self) -> None: ...
    @staticmethod
    def from_bytes(data: bytes) -> CorpusCounts: ...
    def to_bytes(self) -> bytes: ...
    def merge(self, other: CorpusCounts) -> None: ...
    def lexicon(self) -> CorpusLexicon: ...

class CorpusLexicon:
    """The lexicon a corpus teaches: source units with the target units they translate."""

    @staticmethod
    def from_bytes(data: bytes) -> CorpusLexicon: ...
    def to_bytes(self) -> bytes: ...
    def partners(self, unit: str) -> list[str]: ...
    def __len__(self) -> int: ...

def split(text: Text, *, lang: Optional[str] = None, encoding: Optional[str] = None) -> list[str]: ...
