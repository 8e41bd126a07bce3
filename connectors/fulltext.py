"""The main text of an article's web page, for feeds that carry only teasers (``fetch_full_text``).

The page is fetched by the same bounded fetcher as the feeds (timeouts, byte cap, http/https-only
redirects) and its main text extracted by trafilatura, which drops navigation, comments and
boilerplate. Extraction runs in an executor: it parses the whole page.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Executor

import trafilatura

from connectors.http import PAGE_ACCEPT, Fetcher

logger = logging.getLogger(__name__)


def extract_main_text(html: bytes, url: str | None = None) -> str | None:
    """The main text of an HTML page, or None when nothing article-like is found."""
    try:
        text = trafilatura.extract(html, url=url, include_comments=False, include_tables=False, favor_precision=True)
    except (ValueError, TypeError) as exc:  # trafilatura raises these on documents lxml cannot load
        logger.info("could not extract the text of %s: %s", url, exc)
        return None
    return text.strip() if isinstance(text, str) and text.strip() else None


async def fetch_full_text(fetcher: Fetcher, url: str, *, feed: str, executor: Executor | None = None) -> str | None:
    """Fetch ``url`` and extract its main text; FeedError when the fetch fails, None when empty."""
    result = await fetcher.fetch(url, feed=feed, accept=PAGE_ACCEPT)
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(executor, extract_main_text, result.body, result.url)
