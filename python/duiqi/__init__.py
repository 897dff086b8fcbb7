"""duiqi (对齐): align a text with its translation, sentence by sentence (Chinese–English),
offline on a CPU.

>>> import duiqi
>>> aligner = duiqi.Aligner()
>>> alignment = aligner.align("我没走掉。陈清扬把我拽住了。", "I did not leave. Chen Qingyang caught me.")
>>> [(bead.src, bead.tgt) for bead in alignment]
[([0], [0]), ([1], [1])]
"""

from ._duiqi import (
    Aligner,
    Alignment,
    Bead,
    CorpusCounts,
    CorpusLexicon,
    DuiqiError,
    EncodingError,
    InputError,
    LanguageError,
    ModelError,
    OptionError,
    Records,
    split,
)

__all__ = [
    "Aligner",
    "Alignment",
    "Bead",
    "CorpusCounts",
    "CorpusLexicon",
    "DuiqiError",
    "EncodingError",
    "InputError",
    "LanguageError",
    "ModelError",
    "OptionError",
    "Records",
    "split",
]
