"""The feeds file: parsing and the messages of its errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from connectors.feeds import FeedConfig, load_feeds, parse_feeds
from streams.core.errors import ConfigError

EXAMPLE = Path(__file__).resolve().parents[3] / "deploy" / "feeds.example.toml"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_example_file_loads() -> None:
    feeds = load_feeds(EXAMPLE)
    assert [f.name for f in feeds] == ["example-ar", "example-en", "example-ru"]
    assert feeds[0] == FeedConfig(
        name="example-ar", url="https://news.example.org/ar/rss.xml", interval=300.0, language="ar"
    )
    assert feeds[1].fetch_full_text and not feeds[2].fetch_full_text
    assert feeds[2].language is None


def test_language_tags_are_reduced_to_their_primary_subtag(tmp_path: Path) -> None:
    path = write(tmp_path, '[[feeds]]\nname="a"\nurl="http://a.example/f"\ninterval=60\nlanguage="en-GB"\n')
    assert load_feeds(path)[0].language == "en"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "no feeds"),
        ("feeds = []", "no feeds"),
        ("[settings]\nx=1", "unknown top-level key(s) settings"),
        ('[[feeds]]\nname="a"\nurl="http://a.example/"', "missing required key 'interval'"),
        ('[[feeds]]\nname="a"\nurl="ftp://a.example/"\ninterval=60', "must be http:// or https://"),
        ('[[feeds]]\nname="a"\nurl="file:///etc/passwd"\ninterval=60', "must be http:// or https://"),
        ('[[feeds]]\nname="a"\nurl="http:///path"\ninterval=60', "has no host"),
        ('[[feeds]]\nname="a"\nurl="http://a.example:port/"\ninterval=60', "is not a valid URL"),
        ('[[feeds]]\nname="a"\nurl="http://a.example/"\ninterval="5m"', "interval must be a number"),
        ('[[feeds]]\nname="a"\nurl="http://a.example/"\ninterval=true', "interval must be a number"),
        ('[[feeds]]\nname="a"\nurl="http://a.example/"\ninterval=0', "at least"),
        ('[[feeds]]\nname="a"\nurl="http://a.example/"\ninterval=nan', "at least"),
        ('[[feeds]]\nname="a b"\nurl="http://a.example/"\ninterval=60', "metric label"),
        ('[[feeds]]\nname="a"\nurl="http://a.example/"\nintervall=60\ninterval=60', "unknown key(s) intervall"),
        ('[[feeds]]\nname="a"\nurl="http://a.example/"\ninterval=60\nlanguage="Arabic!"', "language tag"),
        ('[[feeds]]\nname="a"\nurl="http://a.example/"\ninterval=60\nfetch_full_text="yes"', "true or false"),
        (
            '[[feeds]]\nname="a"\nurl="http://a.example/"\ninterval=60\n'
            '[[feeds]]\nname="a"\nurl="http://b.example/"\ninterval=60',
            "already used by feed #1",
        ),
        ("[[feeds]\n", "not valid TOML"),
    ],
)
def test_errors_say_what_is_wrong(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(ConfigError, match=r"feeds\.toml") as info:
        load_feeds(write(tmp_path, body))
    assert message in str(info.value)


def test_a_missing_or_binary_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot be read"):
        load_feeds(tmp_path / "absent.toml")
    path = tmp_path / "feeds.toml"
    path.write_bytes(b"\xff\xfe[[feeds]]")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_feeds(path)


def test_a_short_interval_is_allowed_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    [feed] = parse_feeds({"feeds": [{"name": "fast", "url": "http://127.0.0.1:1/f", "interval": 0.5}]})
    assert feed.interval == 0.5
    assert "polls every 0.5 s" in caplog.text


def test_a_feed_entry_must_be_a_table() -> None:
    with pytest.raises(ConfigError, match="must be a table"):
        parse_feeds({"feeds": ["http://a.example/"]})
