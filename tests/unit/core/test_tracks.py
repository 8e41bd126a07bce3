"""Track assignment: ru-us articles in, other tracks' news out."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.core.models import Article
from streams.core.tracks import assign_track

SEEDS = Path(__file__).resolve().parents[3] / "seeds"


def art(text: str, title: str = "") -> Article:
    return Article("t", "test", None, title, None, None, None, text, "test")


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name)
def test_every_seed_is_ru_us(path: Path) -> None:
    assert assign_track(art(path.read_text(encoding="utf-8"))) == "ru-us"


@pytest.mark.parametrize(
    "text",
    [
        "عقدت روسيا والولايات المتحدة جولة جديدة من المحادثات في إسطنبول.",
        "Russian and American diplomats met in Istanbul to discuss embassy operations.",
        "Дарчиев и Коултер провели консультации в Стамбуле.",
        "ترامب وبوتين يلتقيان في ألاسكا.",
    ],
)
def test_ru_us_articles(text: str) -> None:
    assert assign_track(art(text)) == "ru-us"


@pytest.mark.parametrize(
    "text",
    [
        "عقد وفدا روسيا وأوكرانيا جولة ثانية من المفاوضات المباشرة في إسطنبول. وقال ميدينسكي إن الجانبين "
        "اتفقا على تبادل الأسرى. وقال عمروف إن أوكرانيا قدمت مذكرة إلى روسيا.",
        "اجتمع وزير الخارجية الأمريكي روبيو مع نظيره التركي فيدان في أنقرة. وبحثت تركيا والولايات المتحدة "
        "التعاون الدفاعي.",
        "فاز غلطة سراي على فنربخشة في ديربي إسطنبول.",
        "Ukraine's forces repelled Russian attacks near Pokrovsk, Kyiv said. Russia launched drones at Ukraine.",
    ],
)
def test_other_news_has_no_track(text: str) -> None:
    assert assign_track(art(text)) is None
