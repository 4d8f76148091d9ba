"""What every ``[[sources]]`` entry has, whatever its kind (``SourceBase``), and how an
origin's label is keyed for ``kind_map``. Each kind's own settings: ``config.sources``."""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from tdlc_syndication.config.base import (
    Slug,
    Strict,
    check_language,
    check_timezone,
)
from tdlc_syndication.config.credentials import check_headers, check_login
from tdlc_syndication.config.filters import ItemFilter
from tdlc_syndication.config.forms import searchable
from tdlc_syndication.config.schedules import check_schedule


def label_key(label: str) -> str:
    """An origin's label (a category, a document type) as ``kind_map`` looks it up: in
    any case, width and accents (``searchable``: ``ＥＶＥＮＴＳ`` and ``ｲﾍﾞﾝﾄ`` as ``events``
    and ``イベント``), without the blanks around it."""
    return searchable(label).strip()


class SourceBase(Strict):
    """Fields every ``[[sources]]`` entry has, whatever its kind."""

    id: Slug = Field(description="Unique slug of the source; part of every item id. Never change.")
    name: str | None = Field(default=None, description="Display name of the source.")
    enabled: bool = Field(default=True, description="Set false to skip the source.")
    schedule: str = Field(
        default="every 6h",
        description="When the daemon syncs it: 'every 30m', 'every 6 hours', 'every 1h30m' "
        "(10 s to 365 d), a five-field cron line, or 'hourly', 'daily', 'weekly', 'monthly'.",
    )
    default_kind: Slug = Field(
        default="article", description="Kind of its items when nothing else says."
    )
    kind_map: dict[str, Slug] = Field(
        default_factory=dict,
        description="Origin category or document type (any case, width or accents) mapped to "
        "an item kind.",
    )
    topics: list[Slug] = Field(default_factory=list, description="Topics every item gets.")
    filter: ItemFilter | None = Field(
        default=None, description="Keep only some of the items (a broad source)."
    )
    places: list[Slug] = Field(default_factory=list, description="Places every item gets.")
    language: str | None = Field(
        default=None,
        description=(
            "Language of its items when they say none (an ISO 639 code such as 'ja'); it "
            "also says how their dates in numbers read (26/11/2026: day first in 'id')."
        ),
    )
    timezone: str | None = Field(
        default=None, description="Zone of naive dates in this source (default: site's)."
    )
    max_items: int = Field(
        default=500, ge=1, le=100_000, description="Most items taken from one fetch."
    )
    allow_private: bool = Field(
        default=False,
        description="Allow URLs that resolve to loopback or private addresses (tests, intranet).",
    )
    browser_user_agent: bool = Field(
        default=False,
        description="Send a browser-like User-Agent, for sites that refuse others.",
    )
    headers: dict[str, str] = Field(
        default_factory=dict,
        description="Request headers sent to the source's own site only (the origin of its "
        'url), e.g. an API key: { "X-API-Key" = "${CITY_API_KEY}" }. ${NAME} is read from '
        "the environment at each request, so secrets stay out of this file.",
    )
    username: str | None = Field(
        default=None, description="HTTP Basic user name for the source's own site."
    )
    password: str | None = Field(
        default=None, description='HTTP Basic password: write it as "${NAME}" (the environment).'
    )

    _tz = field_validator("timezone")(check_timezone)
    _language = field_validator("language")(check_language)
    _headers = field_validator("headers")(check_headers)

    @model_validator(mode="after")
    def _login(self) -> SourceBase:
        check_login(self.username, self.password, self.headers)
        return self

    @field_validator("schedule")
    @classmethod
    def _schedule(cls, value: str) -> str:
        return check_schedule(value)

    @field_validator("kind_map")
    @classmethod
    def _kind_map(cls, value: dict[str, str]) -> dict[str, str]:
        keyed: dict[str, str] = {}
        written: dict[str, str] = {}
        for label, kind in value.items():
            key = label_key(label)
            if not key:
                raise ValueError("a blank label matches nothing; remove it")
            if key in keyed and keyed[key] != kind:
                raise ValueError(
                    f"{written[key]!r} and {label!r} are one label (labels match in any "
                    "case and width); keep one"
                )
            keyed[key], written[key] = kind, label
        return keyed
