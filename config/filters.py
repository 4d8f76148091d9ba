"""``[sources.filter]``: which of a broad source's items to keep, by phrases and regular
expressions (``pipeline.filters`` applies them, with a time limit on each search)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field, field_validator

from tdlc_syndication.config.base import Strict

if TYPE_CHECKING:
    import regex

FilterField = Literal["title", "summary", "categories", "url"]


class ItemFilter(Strict):
    """``[sources.filter]``: which of a broad source's items to keep. A term is a
    case-insensitive phrase, or a regular expression after ``re:``."""

    include: list[str] = Field(
        default_factory=list,
        description="Keep only items where one of these matches (all items when empty).",
    )
    exclude: list[str] = Field(
        default_factory=list, description="Drop items where one of these matches."
    )
    fields: list[FilterField] = Field(
        default_factory=lambda: list[FilterField](["title", "summary", "categories", "url"]),
        min_length=1,
        description="Where the terms are looked for: title, summary, categories, url.",
    )

    @field_validator("include", "exclude")
    @classmethod
    def _terms(cls, values: list[str]) -> list[str]:
        for term in values:
            if not term.strip():
                raise ValueError("an empty term matches everything; remove it")
            if term.startswith("re:"):
                import regex

                try:
                    compile_term(term)
                except regex.error as exc:
                    raise ValueError(
                        f"{term[:80]!r} is not a valid regular expression ({exc})"
                    ) from None
                except RecursionError:
                    raise ValueError(
                        f"{term[:80]!r}: the regular expression nests too deeply to compile; "
                        "write it with fewer groups"
                    ) from None
        return values


def compile_term(term: str) -> regex.Pattern[str]:
    """The pattern of a filter term ``re:...``: case-insensitive, with the ``regex`` module
    (``re``'s syntax, and a time limit on each search: ``pipeline.filters``).

    Raises:
        regex.error: the pattern is not valid.
    """
    import regex

    return regex.compile(term.removeprefix("re:"), regex.IGNORECASE | regex.VERSION0)
