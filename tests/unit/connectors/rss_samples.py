"""Feed documents shared by the RSS connector's unit and integration tests."""

from __future__ import annotations

from collections.abc import Sequence

RSS20 = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Example Wire</title>
  <link>https://www.wire.example/</link>
  <language>en-us</language>
  <item>
    <title>Second round of &lt;b&gt;Istanbul&lt;/b&gt; talks held</title>
    <link>https://www.wire.example/news/2?utm_source=rss</link>
    <guid isPermaLink="false">wire-2</guid>
    <pubDate>Tue, 10 Jun 2025 04:00:00 +0300</pubDate>
    <description>Teaser only.</description>
    <content:encoded><![CDATA[<p>The delegations met in Istanbul.</p><script>track()</script>
      <p>They discussed embassy operations &amp; visas.</p>]]></content:encoded>
  </item>
  <item>
    <title>First round held</title>
    <link>https://www.wire.example/news/1</link>
    <guid isPermaLink="false">wire-1</guid>
    <pubDate>Mon, 09 Jun 2025 10:00:00 GMT</pubDate>
    <description>&lt;p&gt;Talks began &lt;i&gt;today&lt;/i&gt;.&lt;/p&gt;</description>
  </item>
</channel>
</rss>
"""

RSS10 = """<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://rdf.example/">
    <title>RDF News</title>
    <link>https://rdf.example/</link>
    <description>RSS 1.0</description>
    <dc:language>ru</dc:language>
  </channel>
  <item rdf:about="https://rdf.example/a">
    <title>Переговоры в Стамбуле</title>
    <link>https://rdf.example/a</link>
    <description>Делегации провели второй раунд консультаций.</description>
    <dc:date>2025-06-10T08:00:00+03:00</dc:date>
  </item>
</rdf:RDF>
""".encode()

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>Atom Desk</title>
  <link href="https://atom.example/"/>
  <id>urn:atom-desk</id>
  <updated>2025-06-10T12:00:00Z</updated>
  <entry>
    <title type="html">Agreement &lt;em&gt;signed&lt;/em&gt;</title>
    <link rel="alternate" href="/2025/06/agreement"/>
    <id>tag:atom.example,2025:1</id>
    <updated>2025-06-10T12:00:00Z</updated>
    <summary>Short.</summary>
    <content type="html">&lt;div&gt;The sides signed an agreement on
      &lt;b&gt;mission funding&lt;/b&gt;.&lt;/div&gt;</content>
  </entry>
</feed>
"""

EMPTY = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title>
<link>https://quiet.example/</link></channel></rss>"""

SPARSE = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Sparse</title>
<link>https://sparse.example/</link>
<item><description>No title, no link, no date.</description></item>
<item><title>Only a title</title></item>
<item><link>https://sparse.example/only-link</link></item>
<item><guid isPermaLink="true">12345</guid><description>guid that is no URL</description></item>
<item></item>
</channel></rss>"""

DUPLICATE_GUIDS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Dup</title>
<link>https://dup.example/</link>
<item><title>One</title><link>https://dup.example/1</link><guid>same</guid></item>
<item><title>One again</title><link>https://dup.example/1b</link><guid>same</guid></item>
<item><title>Two</title><link>https://dup.example/2</link><guid>other</guid></item>
</channel></rss>"""

MALFORMED = b"""<rss version="2.0"><channel><title>Broken & co</title>
<item><title>Kept despite errors</title><link>https://broken.example/1</link>
<description>unclosed <b>bold</description></item>
<item><title>Second</title><link>https://broken.example/2</link></item>
</channel>"""

BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode() for i in range(1, 10)
    )
    + b']><rss version="2.0"><channel><title>t</title><link>https://laughs.example/</link>'
    b"<item><title>&lol9;</title><link>https://laughs.example/1</link><description>x</description>"
    b"</item></channel></rss>"
)

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY remote SYSTEM "http://127.0.0.1:9/x">]>
<rss version="2.0"><channel><title>t</title><link>https://xxe.example/</link>
<item><title>Leak &xxe;&remote;</title><link>https://xxe.example/1</link><description>d &xxe;</description></item>
</channel></rss>"""

HTML_PAGE = b"""<!DOCTYPE html><html><head><title>Welcome</title></head>
<body><h1>Our homepage</h1><p>This is not a feed.</p><a href="/feed">feed</a></body></html>"""

ARABIC_TITLE = "جولة ثانية من المحادثات في إسطنبول"
ARABIC_TEXT = "عقدت الوفود جولة ثانية من المشاورات حول عمل السفارات."


def arabic_feed(declared: str) -> str:
    """An Arabic RSS document (text) whose XML declaration names ``declared``."""
    return f"""<?xml version="1.0" encoding="{declared}"?>
<rss version="2.0"><channel><title>أخبار</title><link>https://ar.example/</link><language>ar</language>
<item><title>{ARABIC_TITLE}</title><link>https://ar.example/news/7</link><guid>ar-7</guid>
<description>&lt;p&gt;{ARABIC_TEXT}&lt;/p&gt;</description></item>
</channel></rss>"""


def rss_with(items: Sequence[tuple[str, str]], *, link: str = "https://live.example/") -> bytes:
    """An RSS 2.0 document with ``(guid, title)`` items, newest first."""
    body = "".join(
        f"<item><title>{title}</title><link>{link}{guid}</link><guid>{guid}</guid>"
        f"<description>Text of {title}.</description></item>"
        for guid, title in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Live</title>'
        f"<link>{link}</link>{body}</channel></rss>"
    ).encode()
