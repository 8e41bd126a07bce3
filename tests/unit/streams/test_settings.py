from __future__ import annotations

from pathlib import Path

import pytest

from streams.core.errors import ConfigError
from streams.settings import Settings


def test_defaults_without_environment() -> None:
    s = Settings.from_env({})
    assert s.broker is None
    assert s.articles_topic == "dipwatch.articles"
    assert s.web_port == 6066


def test_environment_is_read_and_converted() -> None:
    s = Settings.from_env(
        {
            "DIPWATCH_BROKER": "kafka://k:19092",
            "DIPWATCH_PARTITIONS": "8",
            "DIPWATCH_DATA_DIR": "/tmp/x",
            "DIPWATCH_SESSION_TIMEOUT": "2.5",
            "DIPWATCH_TOPIC_PREFIX": "p",
        }
    )
    assert (s.broker, s.partitions, s.data_dir, s.session_timeout) == ("kafka://k:19092", 8, Path("/tmp/x"), 2.5)
    assert s.bootstrap == "k:19092"
    assert s.alerts_topic == "p.alerts"


@pytest.mark.parametrize(
    "env",
    [{"DIPWATCH_PARTITIONS": "many"}, {"DIPWATCH_PARTITIONS": "0"}, {"DIPWATCH_SESSION_TIMEOUT": "0.1"}],
)
def test_bad_values_are_config_errors(env: dict[str, str]) -> None:
    with pytest.raises(ConfigError):
        Settings.from_env(env)


def test_bootstrap_without_broker_is_an_error() -> None:
    with pytest.raises(ConfigError):
        _ = Settings().bootstrap


def test_tracks_file_from_the_environment() -> None:
    from pathlib import Path

    assert Settings.from_env({}).tracks is None
    path = "/etc/dipwatch/tracks.toml"
    assert Settings.from_env({"DIPWATCH_TRACKS": path}).tracks == Path(path)


def test_a_data_directory_that_cannot_be_written_is_a_configuration_error(tmp_path: Path) -> None:
    assert Settings(data_dir=tmp_path / "d").data_path("faust") == tmp_path / "d" / "faust"
    with pytest.raises(ConfigError, match="data directory /sys/dipwatch-test cannot be written"):
        Settings(data_dir=Path("/sys/dipwatch-test")).data_path()
