"""The kind of material a repository's or a document API's type name says.

The World Bank's document types (``docty``: Report, Working Paper, Brief) and the types
repositories write in ``dc:type`` (DSpace's ``Technical Report``, OpenAIRE's
``info:eu-repo/semantics/workingPaper``, EPrints' ``http://purl.org/eprint/type/Report``)
name the same few kinds; a type named nowhere here says none (``Text``, ``Article``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# A type's name, lower-cased, with its words parted (camelCase and URIs as below).
TYPE_KINDS = {
    "brief": "brief",
    "policy brief": "brief",
    "policy note": "brief",
    "working paper": "working_paper",
    "policy research working paper": "working_paper",
    "discussion paper": "working_paper",
    "report": "report",
    "technical report": "report",
    "research report": "report",
    "publication": "report",
    "economic & sector work": "report",
    "presentation": "presentation",
    "lecture": "presentation",
    "slides": "presentation",
    "agenda": "agenda",
    "newsletter": "article",
    "video": "video",
    "moving image": "video",
}
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def type_kind(name: str) -> str | None:
    """The kind a type ``name`` says: by its words in any case (``Working Paper``), and
    for a name in a vocabulary's camelCase or at the end of a URI
    (``info:eu-repo/semantics/workingPaper``, ``http://purl.org/eprint/type/Report``);
    None for a type that names no kind of this program's."""
    last = name.strip().rstrip("/").rpartition("/")[2]
    words = " ".join(_CAMEL.sub(" ", last).lower().split())
    return TYPE_KINDS.get(words)


def first_type_kind(names: Iterable[str]) -> str | None:
    """The kind the first type of ``names`` that says one says, or None."""
    return next(filter(None, map(type_kind, names)), None)
