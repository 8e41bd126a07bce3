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
    [
        {"DIPWATCH_PARTITIONS": "many"},
        {"DIPWATCH_PARTITIONS": "0"},
        {"DIPWATCH_SESSION_TIMEOUT": "0.1"},
        {"DIPWATCH_COMPRESSION": "brotli"},
    ],
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


SECRET = "s3cr3t-never-shown"


def test_a_tls_broker_url_and_a_plain_host_port_both_work(tmp_path: Path) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_text("x")
    brokers = "kafka+ssl://k1:9093,kafka+ssl://k2:9093"
    tls = Settings.from_env({"DIPWATCH_BROKER": brokers, "DIPWATCH_SSL_CAFILE": str(ca)})
    assert tls.bootstrap == "k1:9093,k2:9093"
    assert tls.faust_broker == "kafka://k1:9093;kafka://k2:9093"
    assert tls.broker_access.security_protocol == "SSL"
    assert tls.broker_access.tls is not None and tls.broker_access.tls.ca_file == ca
    plain = Settings.from_env({"DIPWATCH_BROKER": "k:9092"})
    assert (plain.bootstrap, plain.broker_access.security_protocol) == ("k:9092", "PLAINTEXT")
    assert plain.broker_access.tls is None and plain.broker_access.sasl is None


def test_a_sasl_login_from_the_environment_keeps_its_password_out_of_sight() -> None:
    s = Settings.from_env(
        {
            "DIPWATCH_BROKER": "kafka://k:9092",
            "DIPWATCH_SASL_MECHANISM": "scram-sha-512",
            "DIPWATCH_SASL_USERNAME": "alice",
            "DIPWATCH_SASL_PASSWORD": SECRET,
        }
    )
    sasl = s.broker_access.sasl
    assert sasl is not None
    assert (sasl.mechanism, sasl.username, sasl.password.reveal()) == ("SCRAM-SHA-512", "alice", SECRET)
    assert s.broker_access.security_protocol == "SASL_PLAINTEXT"
    for shown in (repr(s), str(s), repr(s.broker_access), repr(sasl)):
        assert SECRET not in shown
    # A child process (the worker `run` starts) gets the real value through its environment.
    assert s.to_env()["DIPWATCH_SASL_PASSWORD"] == SECRET


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"DIPWATCH_SASL_MECHANISM": "GSSAPI", "DIPWATCH_SASL_USERNAME": "a", "DIPWATCH_SASL_PASSWORD": SECRET},
            "DIPWATCH_SASL_MECHANISM='GSSAPI' is not one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512",
        ),
        (
            {"DIPWATCH_SASL_MECHANISM": "PLAIN", "DIPWATCH_SASL_PASSWORD": SECRET},
            "DIPWATCH_SASL_MECHANISM=PLAIN needs DIPWATCH_SASL_USERNAME",
        ),
        (
            {"DIPWATCH_SASL_MECHANISM": "SCRAM-SHA-256", "DIPWATCH_SASL_USERNAME": "a"},
            "DIPWATCH_SASL_MECHANISM=SCRAM-SHA-256 needs DIPWATCH_SASL_PASSWORD",
        ),
        (
            {"DIPWATCH_SASL_USERNAME": "a", "DIPWATCH_SASL_PASSWORD": SECRET},
            "DIPWATCH_SASL_USERNAME/PASSWORD are set without DIPWATCH_SASL_MECHANISM",
        ),
        (
            {"DIPWATCH_BROKER": "kafka+ssl://k:9093", "DIPWATCH_SSL_CAFILE": "/nonexistent/ca.pem"},
            "DIPWATCH_SSL_CAFILE='/nonexistent/ca.pem': no readable file there",
        ),
        (
            {"DIPWATCH_BROKER": "kafka://k:9092", "DIPWATCH_SSL_CAFILE": "/etc/hostname"},
            "DIPWATCH_SSL_CAFILE is set but DIPWATCH_BROKER is not a kafka+ssl:// URL",
        ),
        (
            {"DIPWATCH_BROKER": "kafka+ssl://k:9093", "DIPWATCH_SSL_KEYFILE": "/etc/hostname"},
            "DIPWATCH_SSL_KEYFILE is set without DIPWATCH_SSL_CERTFILE",
        ),
        (
            {"DIPWATCH_BROKER": "kafka://a:1,kafka+ssl://b:2"},
            "DIPWATCH_BROKER='kafka://a:1,kafka+ssl://b:2': mixes kafka:// and kafka+ssl:// servers",
        ),
        (
            {"DIPWATCH_BROKER": "https://k:9093"},
            "DIPWATCH_BROKER='https://k:9093': expected kafka://host:port or kafka+ssl://host:port",
        ),
    ],
)
def test_security_settings_that_cannot_work_are_one_line_config_errors(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env(env)
    text = str(caught.value)
    assert text.startswith(message), text
    assert "\n" not in text and SECRET not in text
    # Commands that make no Kafka client (replay, extract, state) do not judge them.
    Settings.from_env(env, used=("tracks", "max_article_bytes", "log_level"))
