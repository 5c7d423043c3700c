"""Chinese script: 繁體 and 简体 made one for search, and shown in the reader's script.

Conversion is OpenCC's (the `opencc` package on PyPI: the project's own C++ library and
dictionaries, maintained, ~5 µs per query). Search folds everything to simplified with the
plain character-and-phrase table `t2s`: the regional tables (`tw2sp`) also swap vocabulary, and
turn our 社群 into 社区, which is another word here. Text without Chinese passes through as is.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

Script = Literal["hans", "hant"]

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CONFIGS: dict[str, str] = {"hans": "t2s.json", "hant": "s2t.json"}


@lru_cache(maxsize=2)
def _converter(config: str) -> object:
    import opencc

    return opencc.OpenCC(config)


def has_han(text: str) -> bool:
    """Whether the text holds any Chinese character."""
    return _HAN.search(text) is not None


def to_script(text: str, script: Script = "hans") -> str:
    """The text in simplified (`hans`) or traditional (`hant`) characters."""
    if not text or not has_han(text):
        return text
    converter = _converter(_CONFIGS[script])
    return str(converter.convert(text))  # type: ignore[attr-defined]


def fold(text: str) -> str:
    """The form search compares: simplified characters (繁體 and 简体 become the same string)."""
    return to_script(text, "hans")
