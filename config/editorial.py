"""Settings of the editors' work: ``[editorial]`` and the overrides file it names."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator

from tdlc_syndication.config.base import Slug, Strict, resolve_path


class EditorialConfig(Strict):
    """``[editorial]``: where the editors' overrides live."""

    overrides: Path | None = Field(
        default=None,
        description="TOML file of per-item overrides (hide, pin, title, summary, kind, "
        "topics, places), relative to the config file; applied at publish time.",
    )

    _path = field_validator("overrides")(resolve_path)


class Override(Strict):
    """One ``[[items]]`` entry of the overrides file."""

    id: str = Field(min_length=1, description="Item id as `syndicate items` shows it.")
    hide: bool = Field(default=False, description="Leave the item out of every output.")
    pin: bool = Field(default=False, description="Show the item first on the front page.")
    title: str | None = Field(default=None, description="Replacement title.")
    summary: str | None = Field(default=None, description="Replacement summary.")
    kind: Slug | None = Field(default=None, description="Replacement kind.")
    topics: list[Slug] | None = Field(default=None, description="Replacement topics.")
    places: list[Slug] | None = Field(default=None, description="Replacement places.")
    note: str = Field(default="", description="Why (for editors; never published).")

    @field_validator("title")
    @classmethod
    def _title(cls, value: str | None) -> str | None:
        if value is not None and not "".join(ch for ch in value if ch.isprintable()).strip():
            raise ValueError("is blank; remove the line to keep the item's own title")
        return value


class OverridesFile(Strict):
    """The overrides file: a list of ``[[items]]``."""

    items: list[Override] = Field(default_factory=list, description="Per-item overrides.")
