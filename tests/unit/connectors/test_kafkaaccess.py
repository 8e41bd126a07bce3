"""BrokerAccess: the aiokafka keyword arguments of every client, the TLS context, a masked password."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from connectors.kafkaaccess import BrokerAccess, SaslLogin, Secret, TlsFiles
from streams.core.errors import ConfigError
from tests.integration.tlskit import Authority

PASSWORD = "hunter2-never-shown"


def test_a_secret_shows_a_mask_and_gives_its_value_only_when_asked() -> None:
    secret = Secret(PASSWORD)
    assert PASSWORD not in repr(secret) and PASSWORD not in str(secret) and PASSWORD not in f"{secret}"
    assert secret.reveal() == PASSWORD
    assert secret == Secret(PASSWORD) and secret != Secret("other")


def test_plain_access_gives_plaintext_kwargs_only() -> None:
    assert BrokerAccess("k:9092").client_kwargs() == {"bootstrap_servers": "k:9092", "security_protocol": "PLAINTEXT"}


def test_sasl_without_tls_is_sasl_plaintext_with_the_login() -> None:
    access = BrokerAccess("k:9092", sasl=SaslLogin("SCRAM-SHA-256", "alice", Secret(PASSWORD)))
    assert access.client_kwargs() == {
        "bootstrap_servers": "k:9092",
        "security_protocol": "SASL_PLAINTEXT",
        "sasl_mechanism": "SCRAM-SHA-256",
        "sasl_plain_username": "alice",
        "sasl_plain_password": PASSWORD,
    }
    assert PASSWORD not in repr(access)


def test_tls_and_sasl_together_are_sasl_ssl_with_a_verifying_context(tmp_path: Path) -> None:
    ca = Authority.create(tmp_path)
    access = BrokerAccess(
        "k:9093", tls=TlsFiles(ca_file=ca.cert), sasl=SaslLogin("SCRAM-SHA-512", "bob", Secret(PASSWORD))
    )
    kwargs = access.client_kwargs()
    assert kwargs["security_protocol"] == "SASL_SSL"
    context = kwargs["ssl_context"]
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.get_ca_certs()[0]["subject"] == ((("commonName", "dipwatch test CA"),),)
    assert BrokerAccess("k:9093", tls=TlsFiles(ca_file=ca.cert)).security_protocol == "SSL"


def test_a_client_certificate_is_loaded_into_the_context(tmp_path: Path) -> None:
    ca = Authority.create(tmp_path)
    client = ca.issue(tmp_path, "client", server=False)
    context = TlsFiles(ca.cert, client.cert, client.key).context()
    assert isinstance(context, ssl.SSLContext)
    other = Authority.create(tmp_path / "other")
    with pytest.raises(ConfigError, match="cannot be loaded"):
        TlsFiles(ca.cert, client.cert, other.cert).context()  # a certificate where the key should be


def test_a_file_that_is_no_certificate_is_a_one_line_config_error(tmp_path: Path) -> None:
    junk = tmp_path / "ca.pem"
    junk.write_text("not a certificate\n")
    with pytest.raises(ConfigError) as caught:
        BrokerAccess("k:9093", tls=TlsFiles(ca_file=junk)).client_kwargs()
    assert str(junk) in str(caught.value) and "\n" not in str(caught.value)
