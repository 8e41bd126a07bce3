"""Canonical URLs and stable article ids.

The same article reaches dipwatch under many URLs: with tracking parameters, an upper-case host,
an explicit default port, a fragment, a trailing slash, or as its AMP variant. ``canonical_url``
folds those into one spelling so that exact duplicates are caught by a string comparison, and
``article_id`` derives the stable id of an article from it (or from the normalised text when
there is no URL).
"""

from __future__ import annotations

import hashlib
import logging
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from streams.core.normalise import normalise

logger = logging.getLogger(__name__)

_DEFAULT_PORTS = {"http": 80, "https": 443}

# Parameters that identify the visit (campaign, click, session), never the article.
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "ga_", "hsa_", "__hs", "_hs", "oly_", "vero_")
_TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "igshid",
        "li_fat_id",
        "mc_cid",
        "mc_eid",
        "mkt_tok",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "ocid",
        "cmpid",
        "cmp",
        "ref",
        "ref_src",
        "ref_url",
        "referrer",
        "source",
        "s_cid",
        "spm",
        "share",
        "smid",
        "ito",
        "at_medium",
        "at_campaign",
        "xtor",
        "ns_campaign",
        "ns_mchannel",
        "ns_source",
        "ns_linkname",
        "ns_fee",
        "rss",
        "from",
        "amp",
        "outputtype",
    }
)
# "?outputType=amp" and "?amp=1" mark the AMP rendering of the same page.
_AMP_VALUES = frozenset({"", "1", "true", "amp"})
_AMP_PATH = re.compile(r"(?:/amp(?:\.html?)?|\.amp(?:\.html?)?)$", re.IGNORECASE)
_INDEX_PAGE = re.compile(r"/index\.(?:html?|php|aspx?)$", re.IGNORECASE)

ID_DIGEST_BYTES = 10  # 80 bits: collisions stay negligible far beyond a 30-day horizon of articles.


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in _TRACKING_PARAMS or lowered.startswith(_TRACKING_PREFIXES)


_AMP_CACHE = ".cdn.ampproject.org"


def _canonical_host(host: str) -> str:
    # amp.example.com, www.example.com and the AMP cache's example-com.cdn.ampproject.org
    # all serve example.com's article.
    if host.endswith(_AMP_CACHE):
        # The cache spells "." as "-" and a literal "-" as "--".
        host = host[: -len(_AMP_CACHE)].replace("--", "\x00").replace("-", ".").replace("\x00", "-")
    for prefix in ("amp.", "www."):
        if host.startswith(prefix) and host.count(".") > 1:
            host = host[len(prefix) :]
    return host


def canonical_url(url: str) -> str:
    """Return one spelling for all the URLs of the same article.

    Lower-cases the host, removes ``www.``, default ports, user info, fragments, tracking
    parameters (``utm_*``, ``fbclid``, ``gclid`` and the like), AMP markers (``/amp``, ``.amp``,
    ``?amp``, ``amp.`` hosts, the AMP cache), ``index.html`` and trailing slashes, and sorts the
    remaining query parameters. ``http`` becomes ``https``: publishers serve the same article
    on both. A string that is not an absolute http(s) URL is returned stripped, otherwise unchanged.
    """
    raw = url.strip()
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        logger.debug("not a parseable URL, kept as is: %r", raw)
        return raw
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return raw
    host = _canonical_host(parts.hostname.lower().rstrip("."))
    if port is not None and port not in _DEFAULT_PORTS.values():
        host = f"{host}:{port}"
    path = parts.path or "/"
    path = re.sub(r"/{2,}", "/", path)
    path = _INDEX_PAGE.sub("/", path).rstrip("/")
    path = _AMP_PATH.sub("", path).rstrip("/") or "/"
    query = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _is_tracking(name) and not (name.lower() in {"amp", "outputtype"} and value.lower() in _AMP_VALUES)
    ]
    query.sort()
    return urlunsplit(("https", host, path, urlencode(query), ""))


def _digest(value: str) -> str:
    return hashlib.blake2b(value.encode("utf-8"), digest_size=ID_DIGEST_BYTES).hexdigest()


def text_hash(text: str) -> str:
    """A hex digest of the normalised ``text``: equal for texts that differ only in folding."""
    return _digest(normalise(text))


def article_id(url: str | None, text: str) -> str:
    """The stable id of an article: ``u:<hex>`` from its canonical URL, else ``t:<hex>`` from its text.

    The text is normalised first, so re-encodings, diacritics and spacing do not change the id.
    """
    if url is not None and url.strip():
        return "u:" + _digest(canonical_url(url))
    return "t:" + text_hash(text)
