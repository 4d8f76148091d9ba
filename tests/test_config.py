"""Settings: the shipped configs load, and broken files get one clear line per problem."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tdlc_syndication.config.errors import ConfigError
from tdlc_syndication.config.loader import (
    DEMO_CONFIG,
    ENV_VAR,
    find_config,
    load_overrides,
    load_settings,
)
from tdlc_syndication.config.models import FeedSourceConfig, Settings, parse_schedule
from tdlc_syndication.config.paths import LOCAL_NAME
from tdlc_syndication.config.sources import IcalSourceConfig, SitemapSourceConfig


def test_demo_config_loads_with_its_sources_and_resolves_paths() -> None:
    settings = load_settings(DEMO_CONFIG)
    kinds = {s.id: s.kind for s in settings.sources}
    assert kinds == {
        "cpp-blog": "feed",
        "cpp-videos": "feed",
        "toyama-news": "feed",
        "cpp-materials": "catalog",
        "cpp-events": "ical",
    }
    blog = settings.source("cpp-blog")
    assert isinstance(blog, FeedSourceConfig)
    assert blog.path is not None
    assert blog.path.is_file()
    assert blog.path.is_relative_to(DEMO_CONFIG.parent)
    assert settings.site.base_url.endswith("/")


def test_broken_file_reports_wrong_type_unknown_key_and_duplicate_id(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(
        """
[site]
title = "x"
base_url = "https://example.org/"
feed_size = "many"

[[sources]]
id = "a"
kind = "feed"
url = "https://example.org/feed"
colour = "blue"

[[sources]]
id = "a"
kind = "catalog"
path = "materials"
""",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    problems = caught.value.problems
    assert len(problems) == 3
    text = "\n".join(problems)
    assert "site.feed_size: input should be a valid integer" in text
    assert "'many'" in text
    assert "sources.0 (id 'a').colour: unknown key" in text
    assert "allowed here:" in text
    assert "duplicate id 'a'" in text
    assert str(path) in str(caught.value)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("[site\n", "not valid TOML"),
        ('[site]\ntitle = "t"\n', "site.base_url: required field is missing; add it"),
        (
            '[site]\ntitle = "t"\nbase_url = "ftp://x/"\n',
            "site.base_url: must be an absolute http(s) URL",
        ),
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\ntimezone = "Mars/Olympus"\n',
            "unknown time zone 'Mars/Olympus'",
        ),
        (  # a folder of the zone database: an IsADirectoryError and a traceback
            '[site]\ntitle = "t"\nbase_url = "https://x/"\ntimezone = "Asia"\n',
            "site.timezone: unknown time zone 'Asia'",
        ),
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\n[[sources]]\nid = "s"\n'
            'kind = "feed"\nurl = "https://x/f"\ntimezone = "America"\n',
            "sources.0 (id 's').timezone: unknown time zone 'America'",
        ),
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\n[[sources]]\nid = "s"\nkind = "ftp"\n',
            "sources.0 (id 's').kind: must be one of feed, catalog",
        ),
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\n[[sources]]\nid = "s"\nkind = "feed"\n',
            "give exactly one of 'url' or 'path'",
        ),
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\n'
            '[[sources]]\nid = "s"\nkind = "feed"\nurl = "https://x/f"\nschedule = "fortnightly"\n',
            "schedule 'fortnightly' is not understood",
        ),
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\n'
            '[[sources]]\nid = "s"\nkind = "feed"\nurl = "https://x/f"\ntopics = ["nope"]\n',
            "sources.0 (id 's').topics: unknown topic 'nope'",
        ),
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\n'
            '[taxonomy.topics.water]\nlabel = "Water"\nkeywords = ["water"]\n',
            "taxonomy.topics.water.keywords: unknown key; remove it or fix its spelling; "
            "allowed here: aliases, formerly, label, label_ja",
        ),
        (  # an address without its scheme, as a browser's bar shows it: the fix named
            '[site]\ntitle = "t"\nbase_url = "https://x/"\n[[sources]]\nid = "s"\n'
            'kind = "feed"\nurl = "www.city.kobe.lg.jp/news/rss.xml"\n',
            "sources.0 (id 's').url: must be an absolute http:// or https:// URL (write "
            "'https://www.city.kobe.lg.jp/news/rss.xml')",
        ),
        (  # a misspelling of an allowed key names it
            '[site]\ntitle = "t"\nbase_url = "https://x/"\ntimzone = "Asia/Tokyo"\n',
            "site.timzone: unknown key; did you mean 'timezone'; allowed here: author,",
        ),
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\n'
            '[[sources]]\nid = "s"\nkind = "feed"\nurls = "https://x/f"\n',
            "sources.0 (id 's').urls: unknown key; did you mean 'url'; allowed here:",
        ),
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\n[taxonomy.topics.water]\n'
            'label = "Water"\nlabelja = "水"\n',
            "taxonomy.topics.water.labelja: unknown key; did you mean 'label_ja'; allowed",
        ),
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\nlanguage = "Japanese"\n',
            "site.language: 'Japanese' is the name of a language; its code is 'ja'",
        ),
        (
            '[site]\ntitle = "News</b>"\nbase_url = "https://x/"\n',
            "site.title: holds HTML markup ('</b>'); feeds show it as text",
        ),
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\n'
            '[taxonomy.topics.water]\nlabel = "<i>Water</i>"\n',
            "taxonomy.topics.water.label: holds HTML markup ('</i>')",
        ),
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\nlanguage = "jp"\n',
            "site.language: 'jp' is a country code, not a language; Japanese is 'ja'",
        ),
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\nlanguage = "en-UK"\n',
            "site.language: 'UK' in 'en-UK' is neither a script (ISO 15924) nor a country "
            "(ISO 3166) code (the United Kingdom is 'GB'); write 'en'",
        ),
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\n'
            '[[sources]]\nid = "s"\nkind = "feed"\nurl = "https://x/f"\nlanguage = "yue"\n',
            "sources.0 (id 's').language: 'yue' is not a language code; use an ISO 639 code",
        ),
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\n'
            '[[sources]]\nid = "s"\nkind = "feed"\nurl = "https://x/f"\ntopics = "water"\n',
            """sources.0 (id 's').topics: expected a list, such as ["water"]; got 'water'""",
        ),
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\nauthor_email = "desk at city"\n',
            "site.author_email: 'desk at city' is not an email address such as",
        ),
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\n'
            '[[feeds]]\nid = "v"\ntitle = "V"\nsources = ["ghost"]\n',
            "feeds.0 (id 'v').sources: unknown source 'ghost'",
        ),
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\n[[sources]]\nid = "Bad Id"\n'
            'kind = "feed"\nurl = "https://x/f"\n',
            "'Bad Id' is not allowed; use lower-case letters",
        ),
        # A published text with an invisible character: every feed failed lint, or
        # publish ended with a traceback (lxml refuses it).
        (
            '[site]\ntitle = "Partners\\u000b in Asia"\nbase_url = "https://x/"\n',
            "site.title: holds a word processor's line break (U+000B, after 'Partners'); delete it",
        ),
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\n'
            '[[feeds]]\nid = "v"\ntitle = "Vid\\u202eeos"\n',
            "feeds.0 (id 'v').title: holds a bidi control (U+202E, after 'Vid'); delete it",
        ),
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\ndatabase = "/"\n',
            "site.database: '/' is a folder; give the path of a file in it",
        ),
        # These three were a ValueError or a TypeError with a traceback.
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\noutput_dir = "pub\\u0000lic"\n',
            "site.output_dir: a path cannot hold a NUL character",
        ),
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\ntimezone = ["Asia/Tokyo"]\n'
            '[[sources]]\nid = "s"\nkind = "feed"\nurl = "https://x/f"\n',
            "site.timezone: input should be a valid string",
        ),
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\ntimezone = 9\n'
            '[[sources]]\nid = "s"\nkind = "feed"\nurl = "https://x/f"\n',
            "site.timezone: input should be a valid string",
        ),
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\n'
            '[[sources]]\nid = "s"\nkind = "feed"\nurl = "https://x/f"\n'
            '[sources.filter]\ninclude = ["re:(a"]\n',
            "filter.include: 're:(a' is not a valid regular expression (missing )",
        ),
        # `check` said "configuration OK"; the first fetch ended the run with a traceback.
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\n'
            '[[sources]]\nid = "s"\nkind = "feed"\nurl = "http://[::1/feed"\n',
            "sources.0 (id 's').url: is not a URL (Invalid IPv6 URL)",
        ),
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\n'
            '[[sources]]\nid = "s"\nkind = "feed"\nurl = "https://x:99999/feed"\n',
            "url: is not a URL (Port out of range 0-65535)",
        ),
        # Every source failed as "unexpected error: ValueError: Invalid header value".
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\n'
            '[http]\ncontact_url = """https://x/\nX-Injected: 1"""\n',
            "http.contact_url: holds a line break or a tab; write the URL on one line",
        ),
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\n[http]\nuser_agent = "a\\nb"\n',
            "http.user_agent: holds a line break or a tab; it is sent in a header",
        ),
        # A sitemap source that matched no page, and read nothing.
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\n'
            '[[sources]]\nid = "s"\nkind = "sitemap"\nurl = "https://x/sitemap.xml"\n'
            'include = ["en/programs/tdlc/"]\n',
            "include: 'en/programs/tdlc/' is not a path: write it from the site's root, such "
            "as '/en/programs/tdlc/'",
        ),
        # A feed that matched nothing, and stayed empty.
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\n'
            '[[feeds]]\nid = "ja"\ntitle = "J"\nlanguages = ["Japanese"]\n',
            "feeds.0 (id 'ja').languages: 'Japanese' is the name of a language; its code is 'ja'",
        ),
        # A header of its own in every answer of `serve` (a split response).
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\n'
            '[serve]\ncache_control = "max-age=60\\r\\nSet-Cookie: a=b"\n',
            "serve.cache_control: holds a line break or a tab; it is sent in a header",
        ),
        # Every link was https://x/feeds/?v=1/feeds/all.atom.
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/feeds/?v=1"\n',
            "site.base_url: may not hold a query (?) or a fragment (#)",
        ),
        # The password was published in every feed and page.
        (
            '[site]\ntitle = "t"\nbase_url = "https://desk:secret@x/"\n',
            "site.base_url: holds a user name or password, which every feed and page would",
        ),
        # Every page failed the Nu checker (browsers refuse the host), and no fetch worked.
        (
            '[site]\ntitle = "t"\nbase_url = "https://feeds..example.org/"\n',
            "site.base_url: has a host name 'feeds..example.org' with an empty label",
        ),
        (
            '[site]\ntitle = "t"\nbase_url = "https://[2001:db8::1]/"\n',
            "site.base_url: is on an IPv6 address, which no feed validator takes in a link",
        ),
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\n'
            '[[sources]]\nid = "s"\nkind = "feed"\nurl = "https://10.0.0.256/feed"\n',
            "url: has a host '10.0.0.256' that ends in a number but is no IPv4 address",
        ),
        # Every item lost its date, and nothing said why.
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\n'
            '[[sources]]\nid = "s"\nkind = "html"\nurl = "https://x/news"\n'
            'item_selector = "li"\ndate_format = "%Y年%m月%Q日"\n',
            "date_format: '%Y年%m月%Q日' is not a strftime format ('Q' is a bad directive",
        ),
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\n'
            '[[sources]]\nid = "s"\nkind = "html"\nurl = "https://x/news"\n'
            'item_selector = "li"\ndate_format = "yyyy-mm-dd"\n',
            "date_format: 'yyyy-mm-dd' has no strftime directive",
        ),
        # `check` passed it, and the publish failed: "two outputs want to write ...".
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\n'
            '[[feeds]]\nid = "upcoming"\ntitle = "Coming up"\n',
            "feeds.0 (id 'upcoming').id: 'upcoming' is reserved for the feed of upcoming "
            "events (feeds/upcoming.atom); choose another id",
        ),
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\n[[feeds]]\nid = "all"\ntitle = "All"\n',
            "feeds.0 (id 'all').id: 'all' is reserved for the feed of everything",
        ),
        # A RecursionError with a traceback.
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\n'
            '[[sources]]\nid = "s"\nkind = "feed"\nurl = "https://x/f"\n'
            f'[sources.filter]\nexclude = ["re:{"(" * 5000}a{")" * 5000}"]\n',
            "the regular expression nests too deeply to compile; write it with fewer groups",
        ),
        # A day written another way: the regular expression it failed was the message
        # ("String should match pattern '^\\d{4}-\\d{2}-\\d{2}$'"); 2026-02-30 passed.
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\n'
            '[[sources]]\nid = "s"\nkind = "oai_pmh"\nurl = "https://x/oai"\n'
            'since = "2026/1/5"\n',
            "sources.0 (id 's').since: must be a day written YYYY-MM-DD (write 2026-01-05), "
            "not '2026/1/5'",
        ),
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\n'
            '[[sources]]\nid = "s"\nkind = "oai_pmh"\nurl = "https://x/oai"\n'
            "since = 2026-01-05T09:00:00\n",
            "since: must be a day without a time (write 2026-01-05)",
        ),
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\n'
            '[[sources]]\nid = "s"\nkind = "oai_pmh"\nurl = "https://x/oai"\n'
            'since = "2026-02-30"\n',
            "since: must be a day written YYYY-MM-DD, not '2026-02-30'",
        ),
        # A request pasted from a browser: its arguments stayed beside the harvest's, and
        # the repository refused every harvest's second page (badArgument).
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\n[[sources]]\nid = "s"\n'
            'kind = "oai_pmh"\nurl = "https://x/oai/request?verb=ListRecords&'
            'metadataPrefix=oai_dc&set=col_10986_1"\n',
            "sources.0 (id 's').url: is a request (metadataPrefix, set, verb), not the "
            "repository's base URL: write 'https://x/oai/request' and sets = ['col_10986_1']",
        ),
        # A zone written as people say it got "use an IANA name such as 'Asia/Tokyo'"
        # whatever it was, a city's name or another case too.
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\ntimezone = "JST"\n',
            "site.timezone: unknown time zone 'JST'; write 'Asia/Tokyo'",
        ),
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\n'
            '[[sources]]\nid = "s"\nkind = "feed"\nurl = "https://x/f"\ntimezone = "ho chi minh"\n',
            "timezone: unknown time zone 'ho chi minh'; write 'Asia/Ho_Chi_Minh'",
        ),
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\ntimezone = "asia/jakarta"\n',
            "site.timezone: unknown time zone 'asia/jakarta'; write 'Asia/Jakarta'",
        ),
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\ntimezone = "UTC+7"\n',
            "site.timezone: unknown time zone 'UTC+7'; write 'Etc/GMT-7' (that offset all "
            "year: the zone database writes its sign inverted)",
        ),
        (
            '[site]\ntitle = "t"\nbase_url = "https://x/"\nid_date = "2026/11"\n',
            "site.id_date: must be a year, a month or a day: YYYY, YYYY-MM or YYYY-MM-DD (write "
            "2026-11), not '2026/11'",
        ),
    ],
)
def test_each_problem_names_the_field_and_the_fix(tmp_path: Path, body: str, expected: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert any(expected in p for p in caught.value.problems), caught.value.problems


def test_dates_written_as_toml_writes_them_are_read(tmp_path: Path) -> None:
    """TOML has dates and numbers of its own: ``since = 2026-01-05`` and ``id_date = 2026``
    were refused as "input should be a valid string, got datetime.date(2026, 1, 5)"."""
    path = tmp_path / "dates.toml"
    path.write_text(
        '[site]\ntitle = "t"\nbase_url = "https://x/"\nid_date = 2026\n'
        '[[sources]]\nid = "s"\nkind = "oai_pmh"\nurl = "https://x/oai"\nsince = 2026-01-05\n',
        encoding="utf-8",
    )
    settings = load_settings(path)
    assert (settings.site.id_date, settings.sources[0].since) == ("2026", "2026-01-05")  # type: ignore[union-attr]
    path.write_text(path.read_text("utf-8").replace("id_date = 2026", "id_date = 2026-11-01"))
    assert load_settings(path).site.id_date == "2026-11-01"
    path.write_text(path.read_text("utf-8").replace("id_date = 2026-11-01", "id_date = 10:00:00"))
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert caught.value.problems[0].endswith("not 10:00:00")  # (not datetime.time(10, 0))


def test_the_digests_weekday_is_read_as_people_write_it() -> None:
    """``publish_at = "monday 09:00"`` and ``"月曜 9:00"`` were refused ("write a weekday
    and a 24-hour time"), though each is one."""
    from tdlc_syndication.config.digest import parse_publish_at

    written = ["mon 09:00", "Monday 9:00", "Tues. 18:30", "thurs, 07:05", "friday at 17:00",
               "月曜 9:00", "日曜日 23:59", "土 06:00"]  # fmt: skip
    assert [parse_publish_at(v) for v in written] == [
        (0, 9, 0), (0, 9, 0), (1, 18, 30), (3, 7, 5), (4, 17, 0), (0, 9, 0), (6, 23, 59),
        (5, 6, 0),
    ]  # fmt: skip
    for wrong in ("mo 09:00", "monk 09:00", "sun 24:00", "fri 9am", "09:00"):
        with pytest.raises(ValueError, match="write a weekday and a 24-hour time"):
            parse_publish_at(wrong)


def test_a_toml_value_of_the_wrong_type_is_quoted_as_toml_writes_it(tmp_path: Path) -> None:
    """A TOML time or date where text belongs was quoted as Python writes it:
    "got datetime.time(9, 0)"."""
    path = tmp_path / "time.toml"
    path.write_text(
        '[site]\ntitle = 2026-11-01\nbase_url = "https://x/"\n[digest]\npublish_at = 09:00:00\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    problems = "\n".join(caught.value.problems)
    assert "site.title: input should be a valid string, got 2026-11-01" in problems
    assert "digest.publish_at: input should be a valid string, got 09:00:00" in problems


@pytest.mark.parametrize(
    ("table", "setting", "expected"),
    [
        # host_delay = inf hung a run for good; deadline = inf killed a thread with a
        # traceback; the others were tracebacks, or a service SIGINT did not stop.
        ("http", "host_delay = inf", "http.host_delay: input should be a finite number"),
        (
            "http",
            "host_delay = 1e300",
            "http.host_delay: input should be less than or equal to 3600",
        ),
        ("http", "deadline = inf", "http.deadline: input should be a finite number"),
        ("http", "read_timeout = 1e300", "http.read_timeout: input should be less than or equal"),
        ("http", "backoff_max = nan", "http.backoff_max: input should be a finite number"),
        ("http", "max_poll_delay = 1e300", "http.max_poll_delay: input should be less than"),
        ("run", "keep_runs_days = 1000000000000", "run.keep_runs_days: input should be less"),
        ("run", "stop_timeout = 100000", "run.stop_timeout: input should be less than or equal"),
        ("run", "misfire_grace = 1000000000000000000", "run.misfire_grace: input should be less"),
        ("digest.email", "timeout = inf", "digest.email.timeout: input should be a finite"),
    ],
)
def test_a_time_without_end_is_refused_with_its_bound(
    tmp_path: Path, table: str, setting: str, expected: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        f'[site]\ntitle = "t"\nbase_url = "https://x/"\n[{table}]\n{setting}\n', encoding="utf-8"
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert [p for p in caught.value.problems if expected in p], caught.value.problems
    largest = setting.split("=")[0].strip() + " = 3600"  # a bound itself is taken
    if "keep_runs_days" not in largest:
        path.write_text(
            f'[site]\ntitle = "t"\nbase_url = "https://x/"\n[{table}]\n{largest}\n',
            encoding="utf-8",
        )
        assert not [p for p in _problems(path) if setting.split("=")[0].strip() in p]


def test_an_output_folder_that_is_a_file_is_a_settings_error(tmp_path: Path) -> None:
    """`check` passed it; the run fetched every source, then failed to publish."""
    (tmp_path / "site").write_text("x", encoding="utf-8")
    path = tmp_path / "bad.toml"
    path.write_text(
        f'[site]\ntitle = "t"\nbase_url = "https://x/"\noutput_dir = "{tmp_path / "site"}"\n',
        encoding="utf-8",
    )
    assert _problems(path) == [
        f"site.output_dir: '{tmp_path / 'site'}' is a file, not a folder; give the path of a folder"
    ]


def test_a_device_or_a_pipe_is_no_file_to_write(tmp_path: Path) -> None:
    """``metrics_file = "/dev/null"`` (to write none) replaced the device with a file when
    the program ran as root; the settings say so before anything runs."""
    os.mkfifo(tmp_path / "pipe")
    path = tmp_path / "bad.toml"
    path.write_text(
        f'[site]\ntitle = "t"\nbase_url = "https://x/"\ndatabase = "{tmp_path / "pipe"}"\n'
        '[run]\nmetrics_file = "pipe"\n',  # beside the settings file
        encoding="utf-8",
    )
    problems = _problems(path)
    for field in ("site.database", "run.metrics_file"):
        assert [p for p in problems if f"{field}: '" in p and "is a device or a pipe" in p]


def _problems(path: Path) -> list[str]:
    try:
        load_settings(path)
    except ConfigError as error:
        return list(error.problems)
    return []


def test_files_from_windows_editors_load_and_other_encodings_name_the_line(
    tmp_path: Path,
) -> None:
    """A byte-order mark (Notepad, Excel) and CRLF line ends are read as the file meant
    them; a file in Shift_JIS is refused with its line and the fix, not a codec's words."""
    body = (
        '[site]\r\ntitle = "富山の資料"\r\nbase_url = "https://x.example.org/"\r\n'
        '[editorial]\r\noverrides = "overrides.toml"\r\n'
    )
    path = tmp_path / "windows.toml"
    path.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))
    (tmp_path / "overrides.toml").write_bytes(
        b"\xef\xbb\xbf" + '[[items]]\r\nid = "a:1"\r\ntitle = "題"\r\n'.encode()
    )
    settings = load_settings(path)
    assert settings.site.title == "富山の資料"
    assert load_overrides(settings)["a:1"].title == "題"

    path.write_bytes(body.encode("shift_jis"))
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert caught.value.problems == [
        "not UTF-8 text (line 2 has the byte 0x95); save the file as UTF-8"
    ]
    path.write_bytes(body.encode("utf-8"))
    (tmp_path / "overrides.toml").write_bytes(
        '[[items]]\nid = "a:1"\ntitle = "題"\n'.encode("cp932")
    )
    with pytest.raises(ConfigError, match=r"not UTF-8 text \(line 3 has the byte 0x91\)"):
        load_overrides(load_settings(path))


def test_private_files_inside_the_output_folder_are_refused(tmp_path: Path) -> None:
    """The output folder is published as it is: a store, drafts, intros or overrides
    inside it would be downloadable by anyone."""
    path = tmp_path / "leaky.toml"
    (tmp_path / "intros").mkdir()
    path.write_text(
        '[site]\ntitle = "t"\nbase_url = "https://x.example.org/"\n'
        f'output_dir = "{tmp_path / "public"}"\ndatabase = "{tmp_path / "public" / "s.db"}"\n'
        '[digest]\npreview_dir = "public/drafts"\neditorial_dir = "intros"\n'
        '[editorial]\noverrides = "public/../public/overrides.toml"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    problems = caught.value.problems
    assert [p.split(":")[0] for p in problems] == [
        "site.database",
        "digest.preview_dir",
        "editorial.overrides",
    ]
    assert "the store (hidden and withdrawn items too) would be public" in problems[0]
    assert "keep it outside that folder" in problems[0]
    path.write_text(
        path.read_text("utf-8")
        .replace("public/drafts", "drafts")
        .replace("public/../public/overrides.toml", "overrides.toml")
        .replace(str(tmp_path / "public" / "s.db"), str(tmp_path / "s.db")),
        encoding="utf-8",
    )
    assert load_settings(path).digest.preview_dir == tmp_path / "drafts"


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_settings(tmp_path / "nope.toml")


def test_config_discovery_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert find_config(None, cwd=tmp_path) == DEMO_CONFIG
    (tmp_path / LOCAL_NAME).write_text("", encoding="utf-8")
    assert find_config(None, cwd=tmp_path) == tmp_path / LOCAL_NAME
    monkeypatch.setenv(ENV_VAR, "/etc/from-env.toml")
    assert find_config(None, cwd=tmp_path) == Path("/etc/from-env.toml")
    assert find_config("given.toml", cwd=tmp_path) == Path("given.toml")


def test_schedules() -> None:
    assert parse_schedule("every 30m") == ("interval", 1800)
    assert parse_schedule("every 6h") == ("interval", 21600)
    assert parse_schedule("0 6 * * mon-fri") == ("cron", "0 6 * * mon,tue,wed,thu,fri")
    with pytest.raises(ValueError, match="at least every 10s"):
        parse_schedule("every 5s")


def test_relative_paths_resolve_against_the_config_file(
    write_config: Callable[..., Path], tmp_path: Path
) -> None:
    path = write_config('[[sources]]\nid = "local"\nkind = "feed"\npath = "feeds/x.xml"\n')
    source = load_settings(path).source("local")
    assert isinstance(source, FeedSourceConfig)
    assert source.path == tmp_path / "feeds" / "x.xml"


def test_the_program_config_passes_check_and_uses_every_kind() -> None:
    from click.testing import CliRunner

    from tdlc_syndication.config.models import SOURCE_KINDS
    from tdlc_syndication.pipeline.cli import cli

    path = DEMO_CONFIG.parent / "tdlc.toml"
    result = CliRunner().invoke(cli, ["--config", str(path), "check"])
    assert result.exit_code == 0, result.output
    assert "configuration OK" in result.stdout
    settings = load_settings(path)
    assert {s.kind for s in settings.sources} == set(SOURCE_KINDS)
    assert {"yokohama", "toyama", "kobe", "kitakyushu"} <= set(settings.taxonomy.places)
    assert all(t.label_ja for t in settings.taxonomy.topics.values())


def _site_with(tmp_path: Path, tables: str) -> Settings:
    """The settings of a minimal site with ``tables`` added."""
    path = tmp_path / "s.toml"
    path.write_text('[site]\ntitle = "t"\nbase_url = "https://x/"\n' + tables, encoding="utf-8")
    return load_settings(path)


def test_a_feeds_languages_are_read_as_primary_subtags(tmp_path: Path) -> None:
    """Items match a feed by their primary language subtag in lower case, so a feed of
    `ja-JP` or `JA` matched nothing and stayed empty."""
    feeds = '[[feeds]]\nid = "ja"\ntitle = "J"\nlanguages = ["ja-JP", "JA", "jpn", "en"]\n'
    assert _site_with(tmp_path, feeds).feeds[0].languages == ["ja", "en"]


def test_languages_are_written_as_the_outputs_write_them(tmp_path: Path) -> None:
    """A tag in another case or with ``_`` is the same language: the outputs write it in
    the usual form (the ISO 639-2 code of a language with a two-letter code as that)."""
    sources = '[[sources]]\nid = "s"\nkind = "feed"\nurl = "https://x/f"\nlanguage = "jpn"\n'
    settings = _site_with(tmp_path, 'language = "zh_hant_tw"\n' + sources)
    assert settings.site.language == "zh-Hant-TW"
    assert settings.sources[0].language == "ja"


def test_a_sitemaps_prefix_given_as_a_whole_url_is_read_as_its_path(tmp_path: Path) -> None:
    source = _site_with(
        tmp_path,
        '[[sources]]\nid = "s"\nkind = "sitemap"\nurl = "https://x/sitemap.xml"\n'
        'include = ["https://www.worldbank.org/en/programs/tdlc/", "/en/events/"]\n',
    ).sources[0]
    assert isinstance(source, SitemapSourceConfig)
    assert source.include == ["/en/programs/tdlc/", "/en/events/"]


@pytest.mark.parametrize(
    ("kind", "given", "read"),
    [
        ("ical", "webcal://p12-caldav.icloud.com/published/2/abc",
         "https://p12-caldav.icloud.com/published/2/abc"),
        ("ical", "WEBCALS://outlook.example.com/owa/calendar/x/calendar.ics",
         "https://outlook.example.com/owa/calendar/x/calendar.ics"),
        ("feed", "feed:https://city.example.jp/rss/news.xml", "https://city.example.jp/rss/news.xml"),
        ("feed", "feed://city.example.jp/rss/news.xml", "http://city.example.jp/rss/news.xml"),
    ],
)  # fmt: skip
def test_an_address_in_a_subscription_scheme_is_read_over_http(
    tmp_path: Path, kind: str, given: str, read: str
) -> None:
    """Apple's and Outlook's calendars publish a ``webcal://`` address, and some sites link
    their feeds as ``feed://``: operators paste them as they are, and they were refused
    ("must be an absolute http:// or https:// URL")."""
    source = _site_with(
        tmp_path, f'[[sources]]\nid = "c"\nkind = "{kind}"\nurl = "{given}"\n'
    ).sources[0]
    assert isinstance(source, IcalSourceConfig | FeedSourceConfig)
    assert source.url == read
