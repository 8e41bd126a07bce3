"""Hard cases that an evaluation on unseen articles found: denials and plans undone, hedged
suggestions, reference places, prisoner exchanges, dates in words, datelines, anaphora."""

from __future__ import annotations

import datetime as dt

import pytest

from streams.core.detector import extract
from streams.core.models import Article, Mention

from .builders import make_article, track_detector

PUB = dt.datetime(2025, 9, 3, 8, 0, tzinfo=dt.UTC)  # a Wednesday


def art(text: str, title: str = "", published: dt.datetime | None = PUB) -> Article:
    return make_article(text, title, published, article_id="h")


def found(text: str, published: dt.datetime | None = PUB, title: str = "") -> tuple[Mention, ...]:
    return extract(art(text, title, published))


def kinds(text: str, published: dt.datetime | None = PUB) -> list[str]:
    return [m.type for m in found(text, published)]


# ---------------------------------------------------------------- A: denials, cancellations, "too early"
@pytest.mark.parametrize(
    "text",
    [
        "وأوضح ريابكوف أنه من المبكر الحديث عن مكان الجولة المقبلة من المشاورات الروسية الأمريكية.",
        "ما زال من السابق لأوانه الحديث عن قمة تجمع بوتين وترامب في الخريف، بحسب المتحدث.",
        "Ryabkov said it was too early to speak of a date for another round of Russian-American consultations.",
        "Talk of a Putin-Trump summit in the autumn is premature, a Kremlin aide told reporters.",
        "Ушаков отметил, что говорить о месте новой встречи российской и американской делегаций пока рано.",
        "سخنگوی کرملین گفت هنوز زود است درباره زمان دور بعدی مذاکرات روسیه و آمریکا صحبت کنیم.",
    ],
)
def test_too_early_to_speak_of_a_meeting_states_nothing(text: str) -> None:
    assert kinds(text) == []


@pytest.mark.parametrize(
    "text",
    [
        # the clause that recalls the earlier plan is undone by the denial before it
        "The Kremlin said there were no plans for a Putin-Trump meeting soon, a week after the White House said "
        "the two presidents would meet in Budapest.",
        "وقال البيت الأبيض إنه لا توجد خطط للقاء ترامب وبوتين قريبا، بعد أيام من تصريحات قال فيها ترامب إنهما "
        "سيلتقيان في بودابست.",
        "Песков заявил, что планов встречи Путина и Трампа нет, хотя ранее Трамп говорил, "
        "что они встретятся в Будапеште.",
        # a cancellation stated after the plan, in another clause
        "The summit the two leaders were due to hold in Budapest, announced last week, has been called off.",
        "A meeting between Rubio and Lavrov that had been expected this week is no longer planned, officials said.",
        "وقال مسؤول إن لقاء روبيو ولافروف الذي كان مرتقبا هذا الأسبوع لم يعد مطروحا.",
        "Встреча Лаврова и Рубио на этой неделе больше не планируется.",
    ],
)
def test_a_plan_undone_in_its_sentence_is_no_announcement(text: str) -> None:
    assert kinds(text) == []


def test_a_postponed_round_carries_its_place() -> None:
    text = "أرجأت موسكو وواشنطن الاجتماع الذي كان من المقرر أن يعقده الوفدان في إسطنبول الأسبوع المقبل."
    assert [(m.type, m.location) for m in found(text)] == [("round_postponed", "Istanbul")]


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Trump cancels Budapest summit with Putin", "Trump said he had called off plans to meet Putin in Budapest."),
        ("ترامب يلغي قمة بودابست مع بوتين", "وقال ترامب إنه ألغى خطط لقاء بوتين في بودابست."),
        ("Трамп отменяет саммит с Путиным в Будапеште", "Трамп заявил, что встреча с Путиным отменена."),
    ],
)
def test_a_cancelled_summit_in_the_headline_is_no_announcement(title: str, text: str) -> None:
    assert [(m.type, m.location) for m in found(text, title=title)] == [("summit_cancelled", "Budapest")]


def test_a_denial_does_not_undo_a_holding_in_another_sentence() -> None:
    text = (
        "عقد وفدا روسيا والولايات المتحدة جولة ثانية من المحادثات في إسطنبول يوم الخميس الماضي.\n"
        "ونفى الكرملين وجود خطط لعقد قمة بين بوتين وترامب قريبا."
    )
    assert kinds(text) == ["round_held"]


@pytest.mark.parametrize(
    "text",
    [
        "Trump said he would meet Putin in Budapest within two weeks.",
        "Trump said the two would meet in Budapest within two weeks.",
        "قال ترامب إن الرجلين سيلتقيان في بودابست خلال أسبوعين.",
        "Встреча президентов России и США пройдет в Будапеште.",
    ],
)
def test_leaders_meeting_is_a_summit(text: str) -> None:
    (m,) = found(text)
    assert (m.type, m.location) == ("summit_announced", "Budapest")


def test_an_envoy_and_a_leader_are_a_round() -> None:
    (m,) = found("Witkoff met Putin in Moscow on Tuesday; the two discussed Ukraine for five hours.")
    assert m.type == "round_held"


# ---------------------------------------------------------------- B: hedged suggestions
@pytest.mark.parametrize(
    "text",
    [
        "Очередной раунд консультаций России и США логично было бы провести в Москве, считает Лавров.",
        "ويرى لافروف أنه من المنطقي أن تعقد الجولة المقبلة من المشاورات الروسية الأمريكية في موسكو.",
        "It would make sense to hold the next round of Russia-U.S. consultations in Moscow, Lavrov said.",
    ],
)
def test_a_suggested_venue_is_no_announcement(text: str) -> None:
    assert not any(t.endswith("_announced") for t in kinds(text))


# ---------------------------------------------------------------- C: a place after "after" is a reference
@pytest.mark.parametrize(
    ("text", "ordinal"),
    [
        ("Послезавтра в Стамбуле пройдёт третья встреча делегаций России и США после Эр-Рияда.", 3),
        ("تستضيف إسطنبول الأسبوع المقبل ثالث لقاء بين الوفدين الروسي والأمريكي منذ الرياض.", 3),
        ("Russian and U.S. envoys will hold a second meeting in Istanbul next week, the first since Riyadh.", 2),
    ],
)
def test_place_after_since_is_a_reference_point(text: str, ordinal: int) -> None:
    ms = found(text)
    assert [m.type for m in ms] == ["round_announced"]
    assert ms[0].location == "Istanbul"


def test_place_of_the_summit_named_after_since_is_kept() -> None:
    text = "Rubio met Lavrov in New York on Wednesday, their first meeting since the Alaska summit."
    assert {(m.type, m.location) for m in found(text)} == {("round_held", "New York"), ("summit_held", "Anchorage")}


# ---------------------------------------------------------------- G: prisoner exchanges
@pytest.mark.parametrize(
    ("text", "place", "date"),
    [
        # an undated swap the lead reports is of the day of the story (PUB)
        ("أطلقت روسيا سراح مواطن أمريكي مقابل الإفراج عن مواطن روسي محتجز في الولايات المتحدة.", None, "2025-09-03"),
        ("وأفرجت السلطات الروسية أمس عن المعلم الأمريكي المحتجز منذ 2021.", None, "2025-09-02"),
        (
            "Washington freed a Russian national in exchange for an American teacher held in Russia, in a swap "
            "mediated by the UAE in Abu Dhabi on 2 September.",
            "Abu Dhabi",
            "2025-09-02",
        ),
        ("Россия и США обменялись заключёнными в Абу-Даби 2 сентября.", "Abu Dhabi", "2025-09-02"),
        ("تتبادل روسيا والولايات المتحدة اليوم دفعة جديدة من الأسرى.", None, "2025-09-03"),
        ("Москва освободила гражданина США в обмен на россиянина, осуждённого в Америке.", None, "2025-09-03"),
    ],
)
def test_prisoner_exchange_is_an_agreement(text: str, place: str | None, date: str | None) -> None:
    (m,) = found(text)
    assert (m.type, m.topics, m.location, m.date) == ("agreement", ("prisoner_exchange",), place, date)


@pytest.mark.parametrize(
    "text",
    [
        "Russia and Ukraine exchanged 300 prisoners of war each in a swap mediated by the UAE.",
        "أفرجت أوكرانيا عن جنود روس مقابل إفراج روسيا عن أسرى أوكرانيين.",
        "The White House released a statement on Trump's call with Putin.",
        "The Kremlin released a video showing the detained American journalist in a Moscow court.",
        "Russia may free the American journalist in exchange for a Russian spy, sources said.",
        "Russia released 150 Ukrainian prisoners of war on Monday, and the U.S. envoy welcomed the step.",
        "Russia and Ukraine swapped prisoners in a deal the United States said it had encouraged.",
        "أفرجت روسيا عن أسرى أوكرانيين، ورحبت الولايات المتحدة بالخطوة.",
    ],
)
def test_other_swaps_and_releases_are_not_exchanges(text: str) -> None:
    assert kinds(text) == []


# ---------------------------------------------------------------- H: dates in words
@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("عقدت الجولة الثانية من المشاورات الروسية الأمريكية في إسطنبول في العاشر من نيسان/أبريل 2025.", "2025-04-10"),
        ("والتقى الوفدان الروسي والأمريكي في الرياض يوم الثامن عشر من شباط الماضي.", "2025-02-18"),
        ("جرت قمة ترامب وبوتين في أنكوريج في الخامس عشر من أغسطس.", "2025-08-15"),
        (
            "The first round of Russian-American talks was held in Istanbul on the twenty-seventh of February.",
            "2025-02-27",
        ),
    ],
)
def test_day_written_as_a_word(text: str, date: str) -> None:
    (m,) = found(text)
    assert (m.date, m.date_precision) == (date, "day")


def test_same_month_as_the_previous_sentence() -> None:
    text = (
        "أعلن ترامب في الثامن من آب/أغسطس أنه سيلتقي بوتين في ألاسكا.\n"
        "وعقدت القمة في أنكوريج يوم الخامس عشر من الشهر نفسه."
    )
    held = [m for m in found(text) if m.type == "summit_held"]
    assert [m.date for m in held] == ["2025-08-15"]


def test_first_week_of_a_month_is_not_a_day() -> None:
    (m,) = found("عقدت محادثات روسية أمريكية في إسطنبول في الأسبوع الأول من مارس.")
    assert m.date_precision != "day"


# ---------------------------------------------------------------- D: a past meeting stated as a fact
@pytest.mark.parametrize(
    "text",
    [
        "وأكد لافروف أن قمة ألاسكا أعطت زخما إضافيا للحوار بين روسيا والولايات المتحدة.",
        "The Anchorage summit gave the Russia-U.S. dialogue fresh impetus, Lavrov said.",
        "Лавров: саммит на Аляске придал импульс российско-американскому диалогу.",
    ],
)
def test_a_past_summit_in_passing_is_not_announced(text: str) -> None:
    assert not any(t.endswith("_announced") for t in kinds(text))


def test_an_expected_meeting_dated_weeks_ago_was_held() -> None:
    (m,) = found("ورأى محللون أن القمة المرتقبة بين ترامب وبوتين في 15 أغسطس في أنكوريج لم تحقق اختراقا.")
    assert (m.type, m.date, m.location) == ("summit_held", "2025-08-15", "Anchorage")


def test_an_announcement_for_a_later_date_stays_announced() -> None:
    (m,) = found("ستعقد الجولة المقبلة من المحادثات الروسية الأمريكية في إسطنبول في 20 سبتمبر.")
    assert (m.type, m.date) == ("round_announced", "2025-09-20")


# ---------------------------------------------------------------- E: ordinals and "the same city"
@pytest.mark.parametrize(
    ("text", "ordinal"),
    [
        ("دور نخست رایزنی‌های روسیه و آمریکا در ریاض برگزار شد.", 1),
        ("نخستین دور مذاکرات روسیه و آمریکا در ریاض برگزار شد.", 1),
        ("در دور نخست گفت‌وگوهای روسیه و آمریکا که در ریاض برگزار شد، دو طرف درباره سفارتخانه‌ها گفت‌وگو کردند.", 1),
        ("The first round of Russia-U.S. talks was held in Riyadh.", 1),
    ],
)
def test_first_is_ordinal_one(text: str, ordinal: int) -> None:
    (m,) = found(text)
    assert (m.ordinal, m.location) == (ordinal, "Riyadh")


@pytest.mark.parametrize(
    "text",
    [
        "اجتمع الوفدان الروسي والأمريكي في إسطنبول في 27 شباط/فبراير.\n"
        "وعاد الوفدان إلى المدينة نفسها لعقد جولة ثانية في 10 نيسان/أبريل.",
        "وكانت الجولة الأولى قد عقدت في إسطنبول في 27 فبراير.\nوفي المدينة ذاتها جرت الجولة الثانية في 10 أبريل.",
        "The first round was held in Istanbul on February 27. "
        "The second round took place in the same city on April 10.",
        "Первый раунд консультаций России и США прошёл в Стамбуле 27 февраля. Второй раунд прошёл в том же городе "
        "10 апреля.",
        "دور اول مذاکرات روسیه و آمریکا در استانبول برگزار شد. دور دوم نیز در همین شهر برگزار شد.",
    ],
)
def test_the_same_city_is_the_city_named_before(text: str) -> None:
    rounds = [m for m in found(text) if m.ordinal == 2]
    assert [m.location for m in rounds] == ["Istanbul"]


# ---------------------------------------------------------------- F: agreement wording
@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("وجرى الاتفاق بين الجانبين الروسي والأمريكي على تسريع إصدار التأشيرات للدبلوماسيين.", "visas"),
        ("واتُّفِق بين موسكو وواشنطن على تعيين سفيرين جديدين.", "staffing"),
        ("واتفق على استئناف الرحلات الجوية المباشرة بين روسيا والولايات المتحدة.", "direct_flights"),
        ("وتم التوصل بين روسيا والولايات المتحدة إلى ترتيبات تضمن سلامة الملاحة في البحر الأسود.", "black_sea"),
        (
            "Washington said it had reached separate deals with Kyiv and Moscow to halt strikes on energy facilities.",
            "energy_infrastructure",
        ),
        ("The U.S. and Russia agreed on arrangements for safe navigation in the Black Sea.", "black_sea"),
    ],
)
def test_agreement_wordings(text: str, topic: str) -> None:
    ms = [m for m in found(text) if m.type == "agreement"]
    assert len(ms) == 1
    assert topic in ms[0].topics


# ---------------------------------------------------------------- I: datelines
@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("ЭР-РИЯД, 18 февраля 2025. /ТАСС/. Консультации делегаций России и США завершились в Эр-Рияде.", "2025-02-18"),
        (
            "الرياض - 18 شباط/فبراير 2025 (رويترز) - اختتم وفدا روسيا والولايات المتحدة محادثاتهما في الرياض.",
            "2025-02-18",
        ),
        ("RIYADH, Feb 18, 2025 (Reuters) - Russian and U.S. officials held talks in Riyadh.", "2025-02-18"),
    ],
)
def test_dateline_dates_the_lead_without_publication(text: str, date: str) -> None:
    (m,) = found(text, published=None)
    assert (m.date, m.location) == (date, "Riyadh")


def test_dateline_is_the_reference_for_relative_dates() -> None:
    text = "10 أبريل 2025\nوستعقد غدا في إسطنبول جولة ثالثة من المشاورات الروسية الأمريكية."
    (m,) = found(text, published=None)
    assert (m.type, m.date, m.ordinal) == ("round_announced", "2025-04-11", 3)


def test_dateline_does_not_date_an_announcement() -> None:
    pub = dt.datetime(2025, 4, 8, 18, 0, tzinfo=dt.UTC)
    text = (
        "ISTANBUL, April 8 (Reuters) - Russian and U.S. delegations will meet in Istanbul for a second round of talks."
    )
    (m,) = found(text, published=pub)
    assert (m.type, m.date) == ("round_announced", None)


def test_a_timeline_is_not_a_dateline() -> None:
    pub = dt.datetime(2025, 3, 4, 12, 0, tzinfo=dt.UTC)
    text = (
        "Feb. 12 - Trump and Putin speak by phone.\n"
        "Feb. 18 - Russian and U.S. delegations meet in Riyadh.\n"
        "Feb. 27 - Diplomats hold talks in Istanbul on embassy operations."
    )
    assert {m.date for m in found(text, published=pub)} == {"2025-02-18", "2025-02-27"}


# ---------------------------------------------------------------- J: no spurious second items
@pytest.mark.parametrize(
    "text",
    [
        "Договорились о том, что стороны назначат переговорщиков по урегулированию в Украине, сообщил Ушаков.",
        "واتفق الجانبان الروسي والأمريكي على تعيين مفاوضين لبحث التسوية في أوكرانيا.",
        "Russia and the U.S. agreed that negotiators would be appointed to work on a Ukraine settlement.",
    ],
)
def test_agreement_to_appoint_negotiators_is_one_agreement(text: str) -> None:
    assert kinds(text) == ["agreement"]


def test_what_the_talks_covered_is_no_new_round() -> None:
    pub = dt.datetime(2025, 4, 12, 9, 0, tzinfo=dt.UTC)
    text = (
        "عقد وفدا روسيا والولايات المتحدة جولة ثانية من المحادثات في إسطنبول يوم الخميس.\n"
        "وتناولت المحادثات أمس في مقر القنصلية عمل السفارتين."
    )
    assert [(m.type, m.ordinal) for m in found(text, published=pub)] == [("round_held", 2)]


def test_another_dated_meeting_that_covered_something_is_its_own() -> None:
    text = (
        "جرت محادثات روسية أمريكية في الرياض في 18 فبراير.\n"
        "كما أن اجتماعا آخر في 27 فبراير في إسطنبول ركز على عمل السفارات."
    )
    assert [m.location for m in found(text)] == ["Riyadh", "Istanbul"]


# ---------------------------------------------------------------- K: agreements keep the talks' venue
@pytest.mark.parametrize(
    "text",
    [
        "عقد وفدا روسيا والولايات المتحدة محادثات في الرياض يوم الثلاثاء.\nواتفق الجانبان على إعادة السفراء.",
        "Russian and U.S. delegations met in Riyadh on Tuesday. The two sides agreed to restore their ambassadors.",
        "Делегации России и США провели переговоры в Эр-Рияде. Стороны договорились вернуть послов.",
    ],
)
def test_agreement_takes_the_venue_of_the_talks(text: str) -> None:
    deals = [m for m in found(text) if m.type == "agreement"]
    assert [m.location for m in deals] == ["Riyadh"]


def test_agreement_venue_comes_only_from_the_sentence_before() -> None:
    text = (
        "عقد وفدا روسيا والولايات المتحدة محادثات في الرياض يوم الثلاثاء.\n"
        "ورحب الكرملين بالأجواء الإيجابية التي سادت اللقاء بحسب بيسكوف.\n"
        "وفي سياق آخر، اتفقت موسكو وواشنطن على إعادة السفراء."
    )
    deals = [m for m in found(text) if m.type == "agreement"]
    assert [m.location for m in deals] == [None]


@pytest.mark.parametrize(
    "text",
    [
        "وخلال الجولة الأولى من المحادثات الروسية الأمريكية التي عقدت في الرياض، ناقش الجانبان عمل السفارات.",
        "During the first round of Russia-U.S. talks, which was held in Riyadh, the sides discussed embassy work.",
        "В ходе первого раунда консультаций России и США, который прошел в Эр-Рияде, "
        "стороны обсудили работу посольств.",
    ],
)
def test_a_relative_clause_types_the_noun_it_hangs_on(text: str) -> None:
    assert [(m.type, m.location, m.ordinal) for m in found(text)] == [("round_held", "Riyadh", 1)]


@pytest.mark.parametrize(
    "text",
    [
        "April 10, 2025\nToday in Istanbul, Russian and U.S. delegations are holding their second round of talks.",
        "10 апреля 2025\nСегодня в Стамбуле проходит второй раунд консультаций России и США.",
        "الخميس 10 أبريل 2025\nتنطلق اليوم في إسطنبول الجولة الثانية من المشاورات الروسية الأمريكية.",
    ],
)
def test_a_date_header_dates_today(text: str) -> None:
    assert [(m.type, m.location, m.date, m.ordinal) for m in found(text, published=None)] == [
        ("round_held", "Istanbul", "2025-04-10", 2)
    ]


def test_present_progressive_with_a_future_day_is_an_announcement() -> None:
    (m,) = found("Russian and U.S. delegations are holding talks in Istanbul next Thursday.")
    assert (m.type, m.date) == ("round_announced", "2025-09-04")


def test_a_cancellation_reaches_the_meeting_in_a_later_clause() -> None:
    text = "وكانت واشنطن قد ألغت، الثلاثاء، اللقاء الذي كان مقررا بين روبيو ولافروف في بودابست."
    assert [(m.type, m.location) for m in found(text)] == [("round_cancelled", "Budapest")]


@pytest.mark.parametrize(
    "text",
    [
        "بعد تأجيلها مرتين، عقدت الجولة الثالثة من المحادثات الروسية الأمريكية في إسطنبول أمس.",
        "После двух переносов, третий раунд консультаций России и США прошел в Стамбуле вчера.",
    ],
)
def test_a_meeting_held_after_postponements_stands(text: str) -> None:
    assert [(m.type, m.ordinal) for m in found(text)] == [("round_held", 3)]


# ---------------------------------------------------------------- history, trades, modal look-alikes
@pytest.mark.parametrize(
    "text",
    [
        "Under the 2010 agreement, Russia agreed to cut its arsenal in exchange for guarantees from the United States.",
        "وكانت روسيا والولايات المتحدة قد توقعتا في عام 2010 على اتفاق لخفض الأسلحة الاستراتيجية.",
        "Россия и США в 2010 году подписали договор о сокращении стратегических наступательных вооружений.",
        "روسیه و آمریکا در سال ۲۰۱۰ توافق کاهش تسلیحات را امضا کردند.",
    ],
)
def test_a_deal_years_before_the_article_is_history(text: str) -> None:
    assert [m for m in found(text) if m.type == "agreement"] == []


def test_in_exchange_for_without_a_captive_is_no_prisoner_swap() -> None:
    text = "Russia offered to ease limits on the U.S. embassy in exchange for the return of its diplomatic property."
    assert [m.topics for m in found(text) if "prisoner_exchange" in m.topics] == []


def test_the_month_may_is_no_hedge() -> None:
    text = "Russian and U.S. delegations are set to convene in Istanbul on May 10 to engage in negotiations."
    assert [(m.type, m.location, m.tentative) for m in found(text)] == [("round_announced", "Istanbul", False)]


def test_the_chances_of_a_meeting_date_the_statement_not_the_meeting() -> None:
    text = "وقدر الرئيس الأمريكي اليوم الأربعاء، احتمالات نجاح اللقاء مع نظيره الروسي في ألاسكا بنحو 75%."
    assert [m for m in found(text) if m.type.endswith("_held")] == []


@pytest.mark.parametrize(
    "text",
    [
        "The U.S. administration urged the Kremlin to accept an immediate ceasefire with Ukraine.",
        "ودعت الإدارة الأميركية الكرملين إلى القبول فورا بوقف إطلاق النار مع أوكرانيا.",
        "Вашингтон призвал Москву немедленно согласиться на прекращение огня.",
    ],
)
def test_an_appeal_is_no_proposal(text: str) -> None:
    assert [m for m in found(text) if m.type == "proposal"] == []


@pytest.mark.parametrize(
    "text",
    [
        "قال الكرملين إن الرئيس الروسي سيلتقي نظيره الأمريكي في بودابست الشهر المقبل.",
        "Putin will meet his U.S. counterpart in Budapest next month, the Kremlin said.",
        "پوتین روز جمعه در آلاسکا با همتای آمریکایی خود دیدار خواهد کرد.",
        "Путин встретится с американским коллегой в Будапеште.",
    ],
)
def test_a_leader_meeting_his_counterpart_is_a_summit(text: str) -> None:
    assert [m.type for m in found(text)] == ["summit_announced"]


def test_a_minister_meeting_his_counterpart_is_a_round() -> None:
    assert [m.type for m in found("Lavrov will meet his U.S. counterpart in Budapest next month.")] == [
        "round_announced"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Dmitriev arrived in Washington on Tuesday ahead of planned talks with U.S. officials.",
        "وصل دميترييف إلى واشنطن يوم الثلاثاء قبل محادثات مقررة مع مسؤولين أمريكيين.",
    ],
)
def test_a_date_before_ahead_of_is_not_the_meetings(text: str) -> None:
    assert [(m.type, m.date) for m in found(text)] == [("round_announced", None)]


@pytest.mark.parametrize(
    "text",
    [
        "Netanyahu met Trump at the White House on Monday, the Kremlin noted.",
        "التقى نتنياهو ترامب في البيت الأبيض يوم الاثنين، بحسب الكرملين.",
        "Zelensky met Witkoff in Miami on Saturday to discuss the peace plan.",
        "وصل لافروف إلى أنقرة اليوم حيث سيلتقي نظيره التركي هاكان فيدان لبحث المحادثات مع واشنطن.",
    ],
)
def test_one_side_meeting_an_outsider_is_not_the_tracks_meeting(text: str) -> None:
    assert [m for m in found(text) if m.type.split("_")[0] in ("round", "summit")] == []


def test_an_outsider_hosting_the_two_sides_does_not_hide_their_meeting() -> None:
    text = "Erdogan hosted Lavrov and Rubio for talks in Istanbul on Monday."
    assert [m.type for m in found(text) if m.type.startswith("round")] == ["round_held"]


@pytest.mark.parametrize(
    "text",
    [
        "أعلن روبيو، الأربعاء، أن المسؤولين الأميركيين والروس توصلوا إلى إطار عمل لاستئناف عمل السفارتين.",
        "U.S. and Russian officials reached a framework on embassy operations in Istanbul on Wednesday.",
    ],
)
def test_a_framework_reached_is_an_agreement(text: str) -> None:
    assert [m.type for m in found(text) if m.type == "agreement"] == ["agreement"]


def test_a_consensus_reached_before_is_no_new_agreement() -> None:
    text = "In accordance with the previously reached consensus, Lavrov and Rubio will hold talks in Riyadh on May 10."
    assert [m.type for m in found(text) if m.type == "agreement"] == []


def test_a_purpose_phrase_does_not_govern_the_signing_after_it() -> None:
    text = "بهدف وضع حد للخلافات الدبلوماسية وقعت روسيا والولايات المتحدة اتفاقا الجمعة في إسطنبول."
    assert [m.type for m in found(text)] == ["agreement"]


def test_an_aim_before_a_signing_still_makes_it_no_agreement() -> None:
    text = "تسعى روسيا والولايات المتحدة إلى توقيع اتفاق بشأن السفارات في إسطنبول."
    assert [m.type for m in found(text) if m.type == "agreement"] == []


def test_a_long_subject_called_off_is_a_cancellation() -> None:
    text = (
        "Talks due Friday between the delegations of Russia and the United States on the work of their "
        "embassies in Istanbul were called off, the Kremlin said."
    )
    assert [m.type for m in found(text)] == ["round_cancelled"]


@pytest.mark.parametrize(
    "text",
    [
        "شهدت العاصمة الأمريكية واشنطن، أمس الثلاثاء، توقيع اتفاق بين روسيا والولايات المتحدة بشأن السفارات.",
        "Washington hosted on Tuesday the signing ceremony where Russia and the United States signed an agreement on "
        "embassies.",
    ],
)
def test_a_city_the_host_verb_names_is_where_the_signing_was(text: str) -> None:
    deals = [m for m in found(text) if m.type == "agreement"]
    assert [(m.location, m.date) for m in deals] == [("Washington", "2025-09-02")]


def test_a_signing_by_a_leader_and_his_counterpart_is_their_summit() -> None:
    text = (
        "شهدت موسكو، أمس الثلاثاء، توقيع اتفاق بين روسيا والولايات المتحدة، خلال مراسم جمعت الرئيس الروسي "
        "فلاديمير بوتين ونظيره الأمريكي دونالد ترامب."
    )
    assert sorted((m.type, m.location, m.date) for m in found(text)) == [
        ("agreement", "Moscow", "2025-09-02"),
        ("summit_held", "Moscow", "2025-09-02"),
    ]


def test_a_minister_and_his_counterpart_signing_is_no_summit() -> None:
    text = (
        "شهدت موسكو، أمس الثلاثاء، توقيع اتفاق بين روسيا والولايات المتحدة، خلال مراسم جمعت وزير الخارجية "
        "الروسي سيرغي لافروف ونظيره الأمريكي ماركو روبيو."
    )
    assert [m.type for m in found(text)] == ["agreement"]


def test_a_meeting_that_brought_together_both_leaders_is_their_summit() -> None:
    text = (
        "استضافت العاصمة السعودية الرياض، اجتماعا هاما جمع الرئيس الروسي فلاديمير بوتين بن فلاديمير، "
        "والرئيس الأمريكي دونالد ترامب. "
        "وجاء هذا اللقاء الذي عقد الثلاثاء في إطار الجهود المستمرة لتحسين العلاقات."
    )
    assert [(m.type, m.location, m.date) for m in found(text)] == [("summit_held", "Riyadh", "2025-09-02")]


def test_a_call_between_the_leaders_does_not_make_the_talks_after_it_a_summit() -> None:
    text = (
        "وتعقد المحادثات في إسطنبول بعد مكالمة هاتفية أولى جرت الخميس بين الرئيسين الأمريكي والروسي، وصفها "
        'ترامب بأنها أتت بـ"نتائج إيجابية جدا" فيما طلب فلاديمير بوتين خلالها "تصحيح مسار العلاقات".'
    )
    assert [m.type for m in found(text) if m.type.endswith("_held")] == ["round_held"]


def test_a_regional_bodys_summit_is_not_the_tracks() -> None:
    text = "ورحب الرئيسان بنتائج القمة المشتركة لمجموعة دول شرق أفريقيا التي عقدت في دار السلام يوم 8 أغسطس الماضي."
    assert [m.type for m in found(text) if m.type.startswith("summit")] == []


@pytest.mark.parametrize(
    "text",
    [
        "وأوضح ريابكوف أن موسكو وواشنطن اتفقتا على تبادل مقترحات مفصلة بشأن عمل السفارات.",
        "Мы договорились о том, что каждая сторона представит своё видение работы посольств, сказал Рябков.",
        "Russia and the United States agreed to exchange detailed proposals on the work of their embassies.",
    ],
)
def test_agreeing_to_exchange_proposals_is_no_agreement(text: str) -> None:
    assert [m.type for m in found(text) if m.type == "agreement"] == []


@pytest.mark.parametrize(
    "text",
    [
        "The Kremlin on Monday confirmed that planning for another round of Russian-American talks was underway.",
        "أكد الكرملين الاثنين أنه يعمل على تحديد موعد للجولة الثالثة من المحادثات الروسية الأمريكية.",
    ],
)
def test_planning_a_round_holds_no_round(text: str) -> None:
    assert [m.type for m in found(text) if m.type == "round_held"] == []


@pytest.mark.parametrize(
    "text",
    [
        "وقال بيسكوف للصحافيين إن موسكو ستبلغ واشنطن فور التوصل إلى اتفاق بشأن السفارات.",
        "Peskov said Moscow would inform Washington as soon as an agreement on the embassies was reached.",
    ],
)
def test_an_agreement_awaited_as_soon_as_it_comes_is_none_yet(text: str) -> None:
    assert [m.type for m in found(text) if m.type == "agreement"] == []


def test_talks_at_a_countrys_consulate_are_in_the_city_it_stands_in() -> None:
    text = (
        "U.S. and Russian delegations have finished another round of talks regarding the work of embassies "
        "at the Russian Consulate in Istanbul on September 2."
    )
    assert [(m.type, m.location, m.date) for m in found(text)] == [("round_held", "Istanbul", "2025-09-02")]


def test_a_date_after_a_place_closes_its_meeting_not_the_conjunct_after_it() -> None:
    text = (
        "Russian and U.S. officials previously held a meeting on embassy operations in Istanbul on Feb. 27 "
        "and two rounds of talks on peace in Ukraine in Saudi Arabia."
    )
    held = [(m.location, m.date) for m in found(text) if m.type == "round_held"]
    assert ("Istanbul", "2025-02-27") in held
    assert all(date != "2025-02-27" for place, date in held if place != "Istanbul")


def test_a_ministerial_meeting_of_the_two_sides_is_theirs() -> None:
    text = "At the 4th ministerial meeting held in Istanbul on August 12, Russia and the United States agreed on visas."
    assert ("round_held", "Istanbul", "2025-08-12") in [(m.type, m.location, m.date) for m in found(text)]


def test_a_bodys_ministerial_meeting_is_not_the_tracks() -> None:
    text = "Lavrov attended the OSCE ministerial meeting in Malta on Thursday."
    assert [m.type for m in found(text)] == []


def test_a_meeting_that_has_begun_is_held() -> None:
    text = "Russian President Vladimir Putin has begun a meeting with US envoy Steve Witkoff in Moscow on Tuesday."
    assert [(m.type, m.location, m.date) for m in found(text)] == [("round_held", "Moscow", "2025-09-02")]


def test_a_verb_of_a_where_clause_is_the_places() -> None:
    text = (
        "Результаты российско-американских переговоров переданы в Москву и Вашингтон, "
        "где в настоящий момент проводится их анализ."
    )
    assert [m.type for m in found(text) if m.type == "round_held"] == []


@pytest.mark.parametrize(
    "text",
    [
        "Делегация России прибыла во вторник для переговоров с США в Стамбуле.",
        "On Tuesday, Russian negotiator Kirill Dmitriev arrived in Istanbul to hold talks with U.S. officials.",
        "وصل الوفد الروسي الثلاثاء إلى إسطنبول لإجراء محادثات مع الوفد الأمريكي.",
    ],
)
def test_a_delegation_that_arrived_for_talks_holds_them(text: str) -> None:
    assert [(m.type, m.location) for m in found(text)] == [("round_held", "Istanbul")]


def test_arriving_ahead_of_talks_on_a_later_day_announces_them() -> None:
    text = "Russian negotiator Kirill Dmitriev arrived in Istanbul to hold talks with U.S. officials on September 5."
    assert [(m.type, m.date) for m in found(text)] == [("round_announced", "2025-09-05")]


def test_a_line_that_names_nothing_after_talks_reported_goes_on_about_them() -> None:
    text = (
        "Делегация России прибыла во вторник для переговоров с США в Стамбуле. "
        "Переговоры пройдут в закрытом для прессы формате."
    )
    assert [m.type for m in found(text)] == ["round_held"]


def test_a_signing_set_for_a_day_to_come_is_no_agreement_yet() -> None:
    text = "من المقرر أن يتم التوقيع الرسمي على الاتفاقية بين روسيا والولايات المتحدة يوم 27 سبتمبر 2025 في إسطنبول."
    assert [m.type for m in found(text) if m.type == "agreement"] == []


@pytest.mark.parametrize(
    "text",
    [
        "وكان من المفترض أن يجتمع الرئيس الروسي فلاديمير بوتين بنظيره الأمريكي دونالد ترامب في بودابست.",
        "وكان الرئيسان الأميركي والروسي يخططان للقاء في بودابست لمناقشة إنهاء الحرب في أوكرانيا.",
        "Putin and Trump were supposed to meet in Budapest to discuss ending the war.",
    ],
)
def test_a_plan_told_as_it_stood_before_announces_nothing(text: str) -> None:
    assert [m.type for m in found(text) if m.type.endswith("_announced")] == []


def test_the_presidents_of_the_two_states_make_a_summit() -> None:
    text = "وأعلنت الرئاسة أن اللقاء بين رئيسي الدولتين روسيا والولايات المتحدة سيعقد الأحد في بودابست."
    assert [m.type for m in found(text)] == ["summit_announced"]


def test_an_envoy_who_arrives_for_talks_holds_them() -> None:
    text = "ويتكوف يصل إلى موسكو لإجراء محادثات مع بوتين بشأن التسوية الأوكرانية."
    assert [(m.type, m.location) for m in found(text)] == [("round_held", "Moscow")]


@pytest.mark.parametrize(
    "text",
    [
        "Спецпосланник президента США Стив Уиткофф заявил, что должен встретиться с российским лидером "
        "Владимиром Путиным 5 сентября.",
        "US envoy Steve Witkoff said he would meet Russian leader Vladimir Putin on September 5.",
    ],
)
def test_an_envoy_meeting_the_other_sides_leader_is_a_round(text: str) -> None:
    assert [m.type for m in found(text)] == ["round_announced"]


@pytest.mark.parametrize(
    "text",
    [
        "Президент России Владимир Путин принимает в Кремле спецпосланника президента США Стивена Уиткоффа.",
        "Russian President Vladimir Putin received US envoy Steve Witkoff in the Kremlin on Tuesday.",
    ],
)
def test_a_leader_receiving_the_other_sides_envoy_holds_a_round(text: str) -> None:
    assert [m.type for m in found(text)] == ["round_held"]


def test_a_body_that_repeats_its_headline_has_its_lead_after_it() -> None:
    title = "Кремль сообщил о встрече Путина и спецпосланника президента США Уиткоффа"
    lead = "Президент России Владимир Путин принимает в Кремле спецпосланника президента США Стивена Уиткоффа."
    text = f"{title}\n{lead}"
    held = [(m.type, m.location, m.date) for m in found(text, title=title)]
    assert held == [("round_held", "Moscow", "2025-09-03")]


def test_brief_is_no_city() -> None:
    text = "التقى لافروف وروبيو لفترة وجيزة في إسطنبول أمس الثلاثاء."
    assert [(m.type, m.location) for m in found(text)] == [("round_held", "Istanbul")]


def test_the_day_a_deal_takes_effect_dates_no_meeting() -> None:
    text = (
        "وأوضحت أن اللقاء يأتي بعد الاتفاق بين روسيا والولايات المتحدة الذي دخل حيز التنفيذ في الرابع من أغسطس، "
        "وتم التوقيع عليه في الثلاثين من يوليو خلال الاجتماع الثاني بين الجانبين."
    )
    assert "2025-08-04" not in [m.date for m in found(text)]


@pytest.mark.parametrize(
    "text",
    [
        "استضافت إسطنبول الاجتماع الثالث بين روسيا والولايات المتحدة لمناقشة مقترح اتفاق بشأن السفارات.",
        "Russia and the United States met in Istanbul to discuss a proposed agreement on embassies.",
    ],
)
def test_a_deal_the_talks_discuss_is_no_development(text: str) -> None:
    assert [m.type for m in found(text) if m.type in ("agreement", "proposal")] == []


def test_an_adjective_inside_a_signing_does_not_make_it_a_plan() -> None:
    text = (
        "The foreign ministers of Russia and the United States, on Tuesday, September 2, signed the "
        "much-anticipated agreement on embassies in Istanbul."
    )
    assert [(m.type, m.location, m.date) for m in found(text)] == [("agreement", "Istanbul", "2025-09-02")]


def test_a_signing_still_to_come_is_no_agreement() -> None:
    assert [m.type for m in found("Russia and the United States will sign an agreement on embassies.")] == []


def test_an_appeal_called_a_call_is_no_phone_call() -> None:
    title = "Rubio reiterates Trump's call to take meaningful steps at meeting with Lavrov"
    text = f"{title}\nU.S. Secretary of State Marco Rubio met with Russian Foreign Minister Sergei Lavrov on Wednesday."
    assert [(m.type, m.date) for m in found(text, title=title)] == [("round_held", "2025-09-03")]


def test_nothing_agreed_is_no_agreement() -> None:
    text = '"Nothing has been agreed until we speak with President Trump," Rubio said of the talks with Lavrov.'
    assert [m.type for m in found(text) if m.type == "agreement"] == []


def test_a_meetings_place_right_after_its_verb_past_a_host_event() -> None:
    text = (
        "A meeting between Russian Foreign Minister Sergey Lavrov and US Secretary of State Marco Rubio has ended "
        "in New York on the sidelines of the 80th session of the UN General Assembly after one hour."
    )
    assert [(m.type, m.location) for m in found(text)] == [("round_held", "New York")]


def test_the_persian_past_day_is_yesterday() -> None:
    text = "نشست مهم آمریکا و روسیه درباره جنگ اوکراین روز گذشته در کاخ الدرعیه در ریاض برگزار شد."
    assert [(m.type, m.location, m.date) for m in found(text)] == [("round_held", "Riyadh", "2025-09-02")]


@pytest.mark.parametrize(
    "text",
    [
        'وقال لافروف: "القضايا التي تمت مناقشتها في الرياض، كما اتفق بوتين وترامب، تتعلق بالملاحة في البحر الأسود".',
        "The ministers reaffirmed the commitment of Russia and the United States to the talks as agreed in Riyadh.",
        '"There were many, many points that we agreed on," Trump said after meeting Putin in Anchorage.',
    ],
)
def test_an_agreement_recalled_as_the_frame_of_something_else_is_not_new(text: str) -> None:
    assert [m.type for m in found(text) if m.type == "agreement"] == []


def test_a_signing_a_visit_will_include_is_no_agreement_yet() -> None:
    text = "وصل لافروف إلى واشنطن في زيارة رسمية ستتضمن توقيع اتفاقيات بين روسيا والولايات المتحدة."
    assert [m.type for m in found(text) if m.type == "agreement"] == []


def test_the_year_of_a_past_deal_is_not_the_year_an_undated_page_is_about() -> None:
    text = "Lavrov and Rubio met August 19 in Istanbul to discuss the embassies under the 1974 agreement."
    assert [(m.type, m.date) for m in found(text, published=None)] == [("round_held", None)]


def test_al_jazeera_is_no_city() -> None:
    text = "أفادت قناة الجزيرة بأن وفدي روسيا والولايات المتحدة عقدا جولة محادثات في إسطنبول أمس الثلاثاء."
    assert [(m.type, m.location) for m in found(text)] == [("round_held", "Istanbul")]


@pytest.mark.parametrize(
    "text",
    [
        "قال لافروف إن روسيا الآن أبعد ما تكون عن التوصل إلى اتفاق مع الولايات المتحدة بشأن السفارات.",
        "Lavrov said Russia and the United States were far from reaching an agreement on the embassies.",
    ],
)
def test_far_from_an_agreement_is_none(text: str) -> None:
    assert [m.type for m in found(text) if m.type == "agreement"] == []


@pytest.mark.parametrize(
    "text",
    [
        "قال لافروف إن الجولة المقبلة من المشاورات مع واشنطن قد تعقد في إسطنبول.",
        "Lavrov said the next round of consultations with Washington could be held in Istanbul.",
    ],
)
def test_a_hedge_before_the_verb_after_the_meeting_makes_it_tentative(text: str) -> None:
    assert [m.type for m in found(text) if not m.tentative] == []
    assert [m.type for m in found(text)] == ["round_announced"]


def test_the_forum_a_summit_names_is_a_host_event_not_the_two_sides_summit() -> None:
    text = "واتفق ترامب وبوتين على الاجتماع. وستعقد قمة أبيك في مدينة كيونغ جو في الفترة من 31 أكتوبر إلى 1 نوفمبر."
    assert [m.type for m in found(text) if m.date == "2025-10-31"] == []


@pytest.mark.parametrize(
    "text",
    [
        "قال ترامب إنه اتفق مع بوتين على أنه سيزور روسيا في أوائل العام المقبل.",
        "Trump said he agreed with Putin that he would visit Russia early next year.",
    ],
)
def test_an_agreed_visit_of_a_leader_is_a_summit_to_come_not_an_agreement(text: str) -> None:
    assert [(m.type, m.date) for m in found(text)] == [("summit_announced", "2026")]


@pytest.mark.parametrize(
    "text",
    [
        "Russia and the United States exchanged prisoners, the Kremlin said.",
        "أعلنت روسيا والولايات المتحدة التوصل إلى اتفاق بشأن عمل السفارتين.",
    ],
)
def test_an_undated_agreement_in_the_lead_is_of_the_day_of_the_story(text: str) -> None:
    assert [(m.type, m.date) for m in found(text)] == [("agreement", "2025-09-03")]


@pytest.mark.parametrize(
    "text",
    [
        "وقال بوتين إنه يرغب في استئناف تبادل السجناء مع الولايات المتحدة.",
        "Putin spoke of efforts to resume the exchange of prisoners with the United States.",
    ],
)
def test_a_wish_or_effort_to_swap_prisoners_is_no_swap(text: str) -> None:
    assert [m.type for m in found(text)] == []


def test_persian_agreed_to_hold_the_next_round_object_first_is_no_agreement() -> None:
    text = "لاوروف گفت روسیه و آمریکا برای برگزاری دور بعدی مذاکرات توافق کردند."
    assert [m.type for m in found(text) if m.type == "agreement"] == []


@pytest.mark.parametrize(
    "text",
    [
        "كشفت القناة عن تحقيق تقدم ملموس في المحادثات بين روسيا والولايات المتحدة.",
        "Russia and the United States made progress in their talks on the embassies, Lavrov said.",
        "وقال لافروف إن موسكو تتوقع التوصل إلى اتفاق مع الولايات المتحدة بشأن السفارات.",
        "Lavrov said Moscow expects to reach an agreement with Washington on the embassies.",
        "وتحدث ريابكوف عن محادثات حول اتفاق محتمل بين روسيا والولايات المتحدة.",
    ],
)
def test_progress_expectations_and_possible_deals_are_no_agreement(text: str) -> None:
    assert [m.type for m in found(text) if m.type == "agreement"] == []


def test_progress_that_names_what_it_achieved_is_an_agreement() -> None:
    text = (
        "Lavrov said the talks between Russia and the United States made progress, such as guaranteeing "
        "banking services for the embassies."
    )
    assert [m.type for m in found(text) if m.type == "agreement"] == ["agreement"]


def test_signed_after_a_long_subject_of_leaders_is_an_agreement_and_their_summit() -> None:
    text = (
        "وقع الرئيس الروسي فلاديمير بوتين والرئيس الأمريكي دونالد ترامب على اتفاقية جديدة مساء أمس الثلاثاء، "
        "بحضور الرئيس التركي رجب طيب أردوغان."
    )
    assert sorted((m.type, m.date) for m in found(text)) == [
        ("agreement", "2025-09-02"),
        ("summit_held", "2025-09-02"),
    ]


def test_a_bare_head_word_before_a_country_titles_its_leader() -> None:
    # neither name is a leader the lexicon knows; "رئيس روسيا" and "رئيس الولايات المتحدة" make them so
    text = "استقبل رئيس روسيا ألكسندر فومين اليوم في موسكو رئيس الولايات المتحدة جون كولتر."
    assert [m.type for m in found(text)] == ["summit_held"]


def test_the_special_envoy_of_the_president_is_no_leader() -> None:
    text = "الكرملين: بوتين يلتقي المبعوث الخاص للرئيس الأمريكي ستيف ويتكوف في موسكو."
    assert "summit_announced" not in [m.type for m in found(text)]
    assert "summit_held" not in [m.type for m in found(text)]


@pytest.mark.parametrize(
    "text",
    [
        "توجه نائب وزير الخارجية الروسي سيرغي ريابكوف اليوم إلى إسطنبول للمشاركة في الجولة الثالثة "
        "من المشاورات مع الولايات المتحدة.",
        "Russian Deputy Foreign Minister Sergei Ryabkov left for Istanbul to attend the third round of consultations "
        "with the United States.",
    ],
)
def test_leaving_for_talks_announces_them_at_the_destination(text: str) -> None:
    assert [(m.type, m.location, m.ordinal) for m in found(text)] == [("round_announced", "Istanbul", 3)]


def test_a_declaration_adopted_on_a_day_is_an_agreement() -> None:
    text = (
        "The talks between Russia and the United States took place within the scope of the Riyadh Declaration "
        "adopted on 18 February 2025."
    )
    assert ("agreement", "2025-02-18") in [(m.type, m.date) for m in found(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Lavrov said Russia would submit a counter-proposal to the United States on the embassies soon.",
        "وقال لافروف إن روسيا ستقدم مقترحا مضادا إلى الولايات المتحدة بشأن السفارات قريبا.",
    ],
)
def test_a_proposal_still_to_be_made_is_none(text: str) -> None:
    assert [m.type for m in found(text) if m.type == "proposal"] == []


@pytest.mark.parametrize(
    "text",
    [
        "Russia and the IAEA signed an agreement in Vienna on Tuesday, months after U.S. sanctions on Rosatom.",
        "Russian and European negotiators met in Geneva on Tuesday as Washington weighed new sanctions.",
        "عقد لافروف محادثات مع الترويكا الأوروبية في جنيف الثلاثاء، في حين لم تحدد واشنطن موعدا لجولة جديدة.",
    ],
)
def test_a_deal_or_meeting_of_one_side_with_a_body_is_not_the_tracks(text: str) -> None:
    assert [m.type for m in found(text) if m.type in ("agreement", "round_held")] == []


def test_leaving_for_talks_across_commas_announces_them() -> None:
    text = (
        "توجه نائب وزير الخارجية الروسي سيرغي ريابكوف، مساء أمس، على رأس وفد إلى إسطنبول، "
        "لإجراء الجولة الثالثة من المشاورات مع الولايات المتحدة."
    )
    assert [(m.type, m.ordinal) for m in found(text)] == [("round_announced", 3)]


@pytest.mark.parametrize(
    "text",
    [
        "Lavrov participated in a meeting with American officials in Istanbul on Saturday, TASS reported.",
        "شارك لافروف في اجتماع مع مسؤولين أمريكيين في إسطنبول يوم السبت.",
    ],
)
def test_having_taken_part_in_a_meeting_on_a_weekday_is_the_past_one(text: str) -> None:
    # PUB is a Wednesday: the Saturday before it, not the one after
    assert [(m.type, m.date) for m in found(text)] == [("round_held", "2025-08-30")]


def test_the_signing_of_a_declaration_on_a_day_is_an_agreement() -> None:
    text = (
        "Relations between Russia and the United States entered a new phase on April 25, 2025, with the signing "
        "of a declaration of principles in Washington."
    )
    assert [(m.type, m.location, m.date) for m in found(text)] == [("agreement", "Washington", "2025-04-25")]


def test_a_far_departure_for_a_meeting_announces_it_and_its_day_is_the_journeys() -> None:
    text = (
        "توجه نائب وزير الخارجية الروسي سيرغي ريابكوف، في وقت متأخر من مساء أمس الثلاثاء، على رأس وفد إلى "
        "العاصمة التركية إسطنبول لحضور اجتماع الحوار بين روسيا والولايات المتحدة."
    )
    assert [(m.type, m.date) for m in found(text)] == [("round_announced", None)]


def test_tajjalat_is_a_postponement() -> None:
    text = "أعلنت موسكو أن الجولة الثالثة من المشاورات الروسية الأمريكية التي كان مقررا عقدها في إسطنبول السبت تأجلت."
    assert [(m.type, m.ordinal) for m in found(text)] == [("round_postponed", 3)]


def test_persian_had_a_meeting_on_a_weekday_is_the_past_one() -> None:
    text = "لاوروف و روبیو روز شنبه در استانبول دیدار کوتاهی داشتند."
    assert [(m.type, m.date) for m in found(text)] == [("round_held", "2025-08-30")]


def test_a_verb_before_and_closes_the_meeting_before_it() -> None:
    text = "دور سوم مذاکرات روسیه و آمریکا در استانبول پایان یافت و قرار است دور بعدی به زودی برگزار شود."
    assert sorted((m.type, m.location, m.ordinal) for m in found(text)) == [
        ("round_announced", None, None),
        ("round_held", "Istanbul", 3),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Шестой раунд консультаций России и США, запланированный на воскресенье в Стамбуле, отменен.",
        "دور ششم مذاکرات روسیه و آمریکا که قرار بود یکشنبه در استانبول برگزار شود، لغو شد.",
    ],
)
def test_russian_and_persian_ordinals_go_past_five(text: str) -> None:
    assert [(m.type, m.ordinal) for m in found(text)] == [("round_cancelled", 6)]


@pytest.mark.parametrize(
    "text",
    [
        "Russia-US talks end in Istanbul, next round set for Moscow",
        "روسيا وأمريكا تختتمان الجولة الثالثة من المشاورات في إسطنبول",
    ],
)
def test_headline_present_tense_ends_a_meeting(text: str) -> None:
    assert ("round_held", "Istanbul") in [(m.type, m.location) for m in found(text)]


@pytest.mark.parametrize(
    "text",
    [
        "انتظار می‌رود پوتین و ویتکاف درباره پیشنهاد ایالات متحده برای پایان جنگ گفتگو کنند.",
        "Putin and Witkoff are expected to talk about the U.S. proposal to end the war.",
        "ولادیمیر پوتین روز سه‌شنبه از استیو ویتکاف، فرستاده ویژه ایالات متحده در کرملین استقبال کرد.",
    ],
)
def test_a_proposal_talked_about_is_no_new_proposal_and_persian_received_is_a_meeting(text: str) -> None:
    assert "proposal" not in [m.type for m in found(text)]
    if "استقبال" in text:
        assert [(m.type, m.location) for m in found(text)] == [("round_held", "Moscow")]


# ---------------------------------------------------------------- leaders' visits, forum summits, journeys
def test_a_leaders_visit_to_the_other_side_is_a_summit_typed_by_its_tense() -> None:
    future = found(
        "قال الكرملين إن الرئيس الروسي فلاديمير بوتين سيجري زيارة رسمية إلى واشنطن تلبية لدعوة من "
        "الرئيس الأمريكي دونالد ترامب."
    )
    assert [(m.type, m.location) for m in future] == [("summit_announced", "Washington")]
    past = found("President Vladimir Putin visited Washington on Monday at the invitation of President Donald Trump.")
    assert [(m.type, m.location, m.date) for m in past] == [("summit_held", "Washington", "2025-09-01")]


def test_a_ministers_visit_is_a_round_not_a_summit() -> None:
    # the minister's nationality ("الروسي") after his title is not where the visit goes
    assert kinds("زار وزير الخارجية الروسي سيرغي لافروف واشنطن الاثنين والتقى بنظيره ماركو روبيو.") == ["round_held"]


def test_a_regional_forums_summit_is_not_the_tracks() -> None:
    mentions = found(
        "قال الكرملين إن بوتين سيزور واشنطن بعد انتهاء أعمال القمة العربية في بغداد، تلبية لدعوة من الرئيس ترامب."
    )
    assert [(m.type, m.location) for m in mentions] == [("summit_announced", "Washington")]


def test_a_leaders_journey_to_meet_the_other_is_a_summit_where_it_goes() -> None:
    mentions = found("أعلن الكرملين توجه الرئيس فلاديمير بوتين إلى أنكوريج، للقاء الرئيس الأمريكي دونالد ترامب.")
    assert [(m.type, m.location) for m in mentions] == [("summit_announced", "Anchorage")]


def test_a_deal_dated_after_by_a_month_is_not_reached_at_the_visit() -> None:
    mentions = found(
        "اختتم الرئيس الروسي فلاديمير بوتين زيارته إلى واشنطن حيث التقى الرئيس دونالد ترامب، بعد نحو شهر "
        "من توقيع اتفاق بين البلدين في 11 أغسطس."
    )
    deals = [m for m in mentions if m.type == "agreement"]
    assert [(m.location, m.date) for m in deals] == [(None, "2025-08-11")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # reaching a deal as the subject of what is said: no deal reached
        ("وأكد لافروف أن التوصل إلى اتفاق مع واشنطن بشأن عمل السفارات يتطلب مزيدا من الوقت.", []),
        # reported reached by a verb (a subject and a date between) or by "after"
        ("أعلنت الخارجية الروسية، الخميس، التوصل إلى اتفاق مع الولايات المتحدة بشأن عمل السفارات.", ["agreement"]),
        ("وجاء ذلك بعد التوصل إلى اتفاق بين روسيا والولايات المتحدة بشأن عمل السفارات.", ["agreement"]),
    ],
)
def test_reaching_a_deal_as_a_noun_needs_a_verb_that_reports_it(text: str, expected: list[str]) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "باتت روسيا والولايات المتحدة على مقربة من توقيع اتفاق بشأن عمل السفارات.",
        "Russia and the United States are close to reaching an agreement on embassy operations, Lavrov said.",
    ],
)
def test_close_to_a_deal_is_no_deal(text: str) -> None:
    assert kinds(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "وصل وفد أرميني إلى ألماتي للقاء مسؤولين من كازاخستان.",
        "An Armenian delegation arrived in Almaty to meet officials of Kazakhstan.",
    ],
)
def test_one_side_meeting_the_mediator_alone_is_no_round(text: str) -> None:
    toml = '[[tracks]]\nid = "am-az"\nsides = [["Armenia"], ["Azerbaijan"]]\nmediators = ["Kazakhstan"]\n'
    detector = track_detector(toml)
    assert detector.extract(art(text), "am-az") == ()
    both = art("وصل وفدا أرمينيا وأذربيجان إلى ألماتي لإجراء محادثات بوساطة كازاخستانية.")
    assert [(m.type, m.location) for m in detector.extract(both, "am-az")] == [("round_held", "Almaty")]


@pytest.mark.parametrize(
    "text",
    [
        "انتهت في الدوحة أمس جولة المحادثات بين الوفد الأرميني والوسطاء القطريين، في حين اتهمت أرمينيا أذربيجان بخرق"
        " الهدنة.",
        "Talks between the Armenian delegation and Qatari mediators ended in Doha, as Armenia accused Azerbaijan of"
        " violations.",
        "Переговоры между делегацией Армении и посредниками завершились в Дохе, Армения обвинила Азербайджан в"
        " нарушениях.",
    ],
)
def test_talks_between_one_side_and_the_mediator_are_no_round_whoever_else_is_named(text: str) -> None:
    toml = '[[tracks]]\nid = "am-az"\nsides = [["Armenia"], ["Azerbaijan"]]\nmediators = ["Qatar"]\n'
    detector = track_detector(toml)
    assert detector.extract(art(text), "am-az") == ()
    both = art("Talks between Armenia and Azerbaijan ended in Doha with Qatari mediators present.")
    assert [(m.type, m.location) for m in detector.extract(both, "am-az")] == [("round_held", "Doha")]


def test_a_dateline_under_a_byline_dates_the_lead_but_not_its_own_day() -> None:
    text = (
        "Daijiworld Media Network – Anchorage\n"
        "Anchorage, Aug 16: The Russian and US presidents on Friday held talks at a military base."
    )
    mentions = found(text, dt.datetime(2025, 8, 16, 9, tzinfo=dt.UTC), title="Putin and Trump meet")
    assert [m.date for m in mentions if m.type.endswith("_held") and m.date] == ["2025-08-15"]


def test_a_dateline_under_a_standfirst_dates_the_lead() -> None:
    text = (
        "The parties exchanged documents and agreed on the work of their embassies.\n"
        "ISTANBUL, June 2. /TASS/. The second round of talks between Russia and the United States in Istanbul "
        "has concluded after a little over an hour."
    )
    mentions = found(text, dt.datetime(2025, 6, 3, 9, tzinfo=dt.UTC), title="Russia-US talks in Istanbul")
    assert [(m.location, m.date, m.ordinal) for m in mentions if m.type == "round_held"] == [
        ("Istanbul", "2025-06-02", 2)
    ]


def test_a_deal_announced_after_a_long_subject_takes_the_announcements_day() -> None:
    mentions = found(
        "أعلن وزير الخارجية الروسي، مساء الثلاثاء، خلال مؤتمر صحافي عقد في موسكو، عن التوصل إلى اتفاق مع "
        "الولايات المتحدة بشأن عمل السفارات."
    )
    assert [(m.type, m.location, m.date) for m in mentions] == [("agreement", None, "2025-09-02")]


def test_one_side_accepting_the_mediators_proposal_is_its_proposal_not_a_deal() -> None:
    toml = '[[tracks]]\nid = "am-az"\nsides = [["Armenia"], ["Azerbaijan"]]\nmediators = ["United States"]\n'
    detector = track_detector(toml)

    def types(text: str) -> list[str]:
        return sorted(m.type for m in detector.extract(art(text), "am-az"))

    assert types("وافقت أرمينيا على مقترح الولايات المتحدة بشأن معاهدة السلام مع أذربيجان.") == ["proposal"]
    # the other side's proposal accepted: both sides agree
    assert "agreement" in types("وافقت أرمينيا على مقترح أذربيجان بشأن معاهدة السلام.")
    # the mediator's plan a few words on, owned by its president
    assert types(
        "Armenia agreed to open the border crossings with Azerbaijan under a framework advanced by US President "
        "Donald Trump."
    ) == ["proposal"]


IL_HM = (
    '[[tracks]]\nid = "il-hm"\nsides = [["Israel"], ["Hamas"]]\nmediators = ["Qatar", "Egypt", "United States"]\n'
    '[tracks.parties]\n"Hamas" = ["Hamas", "حماس", "حركة حماس"]\n'
)


def _il_hm(text: str) -> list[tuple[str, tuple[str, ...]]]:
    detector = track_detector(IL_HM)
    return [(m.type, m.topics) for m in detector.extract(art(text), "il-hm")]


@pytest.mark.parametrize(
    "text",
    [
        "أفرجت حماس اليوم عن ثلاث رهائن إسرائيليات وسلمتهن إلى إسرائيل عبر الصليب الأحمر.",
        "Hamas freed three Israeli hostages on Saturday as Israel released Palestinians from its jails.",
    ],
)
def test_hostages_freed_between_the_sides_are_an_exchange(text: str) -> None:
    assert _il_hm(text) == [("agreement", ("prisoner_exchange",))]


@pytest.mark.parametrize(
    "text",
    [
        # an invitation accepted, efforts and contacts agreed on, an exchange to be discussed: no deal
        "Israel agreed to the invitation of the mediators and will send a delegation to Doha on Monday for talks "
        "with Hamas.",
        "It was agreed to exert further efforts and continue communication, Hamas and Israel said.",
        "وتستضيف مصر وفدين من إسرائيل وحماس لبحث تفاصيل تبادل الأسرى.",
    ],
)
def test_steps_of_the_talks_are_no_deal(text: str) -> None:
    assert "agreement" not in [t for t, _ in _il_hm(text)]


@pytest.mark.parametrize(
    "text",
    [
        "The visit comes as the U.S. seeks Russian agreement on a proposed 30-day ceasefire in Ukraine.",
        "قال الكرملين إنه لا يوجد أساس لتوقع المعجزات من الجولة الثالثة المقترحة من المحادثات الروسية الأمريكية.",
    ],
)
def test_a_proposed_thing_named_is_no_proposal(text: str) -> None:
    assert "proposal" not in kinds(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the present tense next to "today": under way on the story's day
        ("أعلن مسؤول روسي أن إسطنبول تستضيف اليوم الأربعاء جولة جديدة من المشاورات الروسية الأمريكية.", "round_held"),
        # the future prefix: still to come, even today
        (
            "أعلن مسؤول روسي أن إسطنبول ستستضيف اليوم الأربعاء جولة جديدة من المشاورات الروسية الأمريكية.",
            "round_announced",
        ),
    ],
)
def test_a_meeting_hosted_today_in_the_present_tense_is_under_way(text: str, expected: str) -> None:
    assert kinds(text) == [expected]


def test_an_adjective_between_the_ordinal_and_the_meeting_keeps_the_number() -> None:
    mentions = found("The second bilateral meeting between Russian and US diplomats was held in Istanbul on Thursday.")
    assert [(m.type, m.location, m.ordinal) for m in mentions] == [("round_held", "Istanbul", 2)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وصل وفد روسي إلى إسطنبول مساء الأحد لبدء مفاوضات مع الوفد الأمريكي.", "round_announced"),
        ("A Russian delegation arrived in Istanbul to begin talks with the US delegation.", "round_announced"),
        ("A Russian delegation arrived in Istanbul for talks with the US delegation.", "round_held"),
    ],
)
def test_a_delegation_arriving_to_begin_talks_announces_them(text: str, expected: str) -> None:
    assert [(m.type, m.location) for m in found(text)] == [(expected, "Istanbul")]


@pytest.mark.parametrize(
    "text",
    [
        "A moratorium on strikes on energy facilities beginning on September 10 was agreed on Tuesday by Russia and "
        "the United States, the Kremlin said.",
        "Russia and the United States agreed on Tuesday on a moratorium on strikes starting on September 10.",
    ],
)
def test_the_day_a_deal_starts_to_apply_is_not_the_day_it_was_reached(text: str) -> None:
    assert [(m.type, m.date) for m in found(text)] == [("agreement", "2025-09-02")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قال دميترييف إن المحادثات الروسية الأمريكية في ميامي بدأت، وستستمر غدا.", "round_held"),
        ("Dmitriev said the Russia-US talks in Miami began, and will continue tomorrow.", "round_held"),
        ("قال دميترييف إن المحادثات الروسية الأمريكية في ميامي تبدأ غدا.", "round_announced"),
    ],
)
def test_talks_that_began_and_go_on_tomorrow_are_held(text: str, expected: str) -> None:
    assert [(m.type, m.location) for m in found(text)] == [(expected, "Miami")]


@pytest.mark.parametrize(
    "text",
    [
        "قال مصدر إن روسيا والولايات المتحدة بصدد بلورة مقترح جديد بشأن عمل السفارات.",
        "A source said Russia and the United States are in the process of drafting a new proposal on the embassies.",
        "وقال المصدر إن الدبلوماسيين الروس والأمريكيين يناقشون أفكارا حول عمل السفارات.",
    ],
)
def test_a_proposal_being_drafted_or_ideas_discussed_are_no_proposal(text: str) -> None:
    assert [m.type for m in found(text) if m.type == "proposal"] == []


def test_a_release_a_plan_is_to_secure_is_no_swap() -> None:
    text = (
        "Russian and US diplomats met in Istanbul to discuss a plan to end the dispute and secure the release of "
        "prisoners."
    )
    assert [m.type for m in found(text)] == ["round_held"]


def test_talks_the_next_sentence_calls_a_phone_call_are_no_meeting() -> None:
    text = (
        "أجرى وزير الخارجية الروسي سيرغي لافروف ونظيره الأمريكي ماركو روبيو، اليوم الأربعاء، محادثات حول عمل "
        "السفارتين.\nوأشارت الخارجية الروسية إلى أن الوزيرين تناولا خلال اتصال هاتفي سبل تطبيع عمل البعثات."
    )
    assert [m.type for m in found(text) if m.type.endswith("_held")] == []


SA_IR = (
    '[[tracks]]\nid = "sa-ir"\nsides = [["Saudi Arabia"], ["Iran"]]\nmediators = ["Iraq", "Oman", "China"]\n'
    '[tracks.people]\n"Saudi Arabia" = ["الأمير فيصل بن فرحان", "فيصل بن فرحان"]\n"Iran" = ["حسين أمير عبداللهيان"]\n'
)


def _sa_ir(text: str, published: dt.datetime | None = PUB) -> list[tuple[str, str | None]]:
    detector = track_detector(SA_IR)
    return [(m.type, m.location) for m in detector.extract(art(text, published=published), "sa-ir")]


def test_the_commas_of_a_list_of_countries_part_no_clauses() -> None:
    # the meeting noun and its far clause-final verb stay in one clause across "ایران، عربستان سعودی"
    text = "سومین نشست کمیته سهجانبه مشترک ایران، عربستان سعودی و چین ظهر فردا (پنجشنبه) در تهران برگزار میشود."
    assert _sa_ir(text) == [("round_announced", "Tehran")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a Persian compound verb in the present with "today" before it: under way on the story's day
        ("نشست مشترک ایران و عربستان سعودی ظهر امروز (چهارشنبه) در تهران برگزار می‌شود.", "round_held"),
        # the same verb with "tomorrow": still to come
        ("نشست مشترک ایران و عربستان سعودی فردا در تهران برگزار می‌شود.", "round_announced"),
    ],
)
def test_a_persian_meeting_held_today_in_the_present_is_under_way(text: str, expected: str) -> None:
    assert _sa_ir(text) == [(expected, "Tehran")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("عقد في طهران الاجتماع الثالث للجنة السعودية الإيرانية المشتركة لمتابعة اتفاق بكين.", "Tehran"),
        (
            "The second meeting of the Saudi-Iranian committee that follows up the Beijing Agreement "
            "was held on Tuesday.",
            None,
        ),
    ],
)
def test_a_city_that_names_a_deal_is_no_venue(text: str, expected: str | None) -> None:
    assert [place for _, place in _sa_ir(text)] == [expected]


def test_a_meeting_held_recently_is_not_dated_by_the_dateline() -> None:
    text = (
        "TEHRAN, Sep. 3 (MNA) – Representatives from Iran and Saudi Arabia have recently held a new round of "
        "talks in Baghdad."
    )
    assert [(m.type, m.location, m.date) for m in track_detector(SA_IR).extract(art(text), "sa-ir")] == [
        ("round_held", "Baghdad", None)
    ]


def test_signing_a_guest_book_is_no_agreement() -> None:
    text = "همچنین وزیر امور خارجه ایران در حاشیه این دیدار دفتر یادبود وزارت امور خارجه عربستان را امضا کرد."
    assert _sa_ir(text) == []


def test_a_round_suspended_is_put_off_and_a_decision_taken_is_no_meeting() -> None:
    text = (
        "Власти Ирана приостановили пятый раунд переговоров с Саудовской Аравией. "
        "Тегеран принял решение пойти на этот шаг в одностороннем порядке."
    )
    assert [(m.type, m.ordinal, m.location) for m in track_detector(SA_IR).extract(art(text), "sa-ir")] == [
        ("round_postponed", 5, None)
    ]


def test_a_long_name_between_the_verb_and_its_day_counts_as_one_word() -> None:
    text = (
        "التقى الأمير فيصل بن فرحان بن عبدالله وزير الخارجية، اليوم في بكين؛ بوزير خارجية الجمهورية الإسلامية "
        "الإيرانية حسين أمير عبداللهيان."
    )
    mentions = track_detector(SA_IR).extract(art(text), "sa-ir")
    assert [(m.type, m.location, m.date) for m in mentions] == [("round_held", "Beijing", "2025-09-03")]


LB_IL = (
    '[[tracks]]\nid = "lb-il"\nsides = [["Lebanon"], ["Israel"]]\nmediators = ["United States", "France"]\n'
    '[tracks.people]\n"Lebanon" = ["Наджиб Микати", "Микати"]\n'
)


def _lb_il(text: str) -> list[tuple[str, str | None, int | None]]:
    detector = track_detector(LB_IL)
    return [(m.type, m.date, m.ordinal) for m in detector.extract(art(text), "lb-il")]


@pytest.mark.parametrize(
    "text",
    [
        "وصلت إسرائيل ولبنان إلى اتفاق لوقف إطلاق النار برعاية أمريكية.",
        "صادق مجلس الوزراء الإسرائيلي المصغر على اتفاق وقف إطلاق النار مع لبنان.",
        "Военный кабинет Израиля утвердил соглашение о прекращении огня с Ливаном.",
    ],
)
def test_a_deal_reached_or_approved_is_an_agreement(text: str) -> None:
    assert [t for t, _, _ in _lb_il(text)] == ["agreement"]


def test_the_day_a_deal_lasts_until_is_not_the_day_it_was_made() -> None:
    text = "The White House said Sunday that a deal between Lebanon and Israel had been extended until September 18."
    assert _lb_il(text) == [("agreement", "2025-08-31", None)]


def test_talks_that_will_begin_are_announced() -> None:
    text = (
        "The Government of Lebanon and the Government of Israel will also begin negotiations on the border, "
        "the White House said."
    )
    assert [t for t, _, _ in _lb_il(text)] == ["round_announced"]


@pytest.mark.parametrize(
    "text",
    [
        "اجتمع الوفدان اللبناني والإسرائيلي اليوم في جولة المفاوضات الخامسة عشرة.",
        "Lebanese and Israeli delegations held the 15th round of talks on Wednesday.",
    ],
)
def test_an_ordinal_past_ten_is_read_whole(text: str) -> None:
    assert [(t, o) for t, _, o in _lb_il(text)] == [("round_held", 15)]


def test_one_side_meeting_with_a_mediator_is_no_round_whoever_else_is_named() -> None:
    text = (
        "Микати встретился с президентом Франции Эммануэлем Макроном и поблагодарил его за усилия, "
        "предпринимаемые Парижем для того, чтобы остановить израильские атаки."
    )
    assert _lb_il(text) == []


def test_the_lead_dated_only_by_its_report_on_the_story_day_reports_that_days_news() -> None:
    # (PUB is a Wednesday: the report's Wednesday is the story's day; "last night" is the day before)
    said = "Lebanese and Israeli delegations held talks in Beirut, the Lebanese presidency said Wednesday."
    assert _lb_il(said) == [("round_held", "2025-09-03", None)]
    night = (
        "وذكرت الرئاسة اللبنانية اليوم الأربعاء أن بيروت استضافت الليلة الماضية اجتماعا بين الوفدين اللبناني "
        "والإسرائيلي."
    )
    assert _lb_il(night) == [("round_held", "2025-09-02", None)]


@pytest.mark.parametrize(
    "text",
    [
        # a Persian ordinal day right before its month, in the Iranian and in the Afghan (Dari) spelling
        "مقام‌های روسیه و ایالات متحده در تاریخ دهم سپتامبر در استانبول گفتگوهای جدیدی خواهند داشت.",
        "مقام‌های روسیه و ایالات متحده در تاریخ دهم سپتمبر در استانبول گفتگوهای جدیدی خواهند داشت.",
    ],
)
def test_a_persian_day_written_as_an_ordinal_dates_the_meeting(text: str) -> None:
    assert [(m.type, m.date) for m in found(text)] == [("round_announced", "2025-09-10")]


def test_an_agency_dateline_in_figures_dates_the_lead() -> None:
    text = "موسكو – 2 – 9 (كونا) — عقد الوفدان الروسي والأمريكي جولة جديدة من المشاورات في إسطنبول."
    assert [(m.type, m.location, m.date) for m in found(text)] == [("round_held", "Istanbul", "2025-09-02")]


def test_the_day_a_deal_was_signed_does_not_date_a_meeting_named_before_it() -> None:
    text = (
        "عقد الوفدان الروسي والأمريكي في إسطنبول الجولة الثالثة من المشاورات حول تنفيذ الاتفاق الموقع في يونيو الماضي."
    )
    assert [(m.type, m.date) for m in found(text) if m.type == "round_held"] == [("round_held", None)]


@pytest.mark.parametrize(
    "text",
    [
        "ومن خلال المناقشات البناءة، حدد الجانبان الروسي والأمريكي خطوات أولى نحو تحقيق الاستقرار في عمل البعثات.",
        "Through constructive discussions, the Russian and US delegations identified initial steps to stabilize "
        "the operations of bilateral missions.",
    ],
)
def test_steps_identified_at_talks_are_no_agreement(text: str) -> None:
    assert "agreement" not in kinds(text)


UA_US = '[[tracks]]\nid = "ua-us"\nsides = [["Ukraine"], ["United States"]]\n'


def _ua_us(text: str) -> list[tuple[str, str | None]]:
    detector = track_detector(UA_US)
    return [(m.type, m.date) for m in detector.extract(art(text), "ua-us")]


@pytest.mark.parametrize(
    "text",
    [
        "On Tuesday, Washington and Moscow agreed to restore their embassies, Rubio said after the talks on Ukraine.",
        "وقال روبيو إن موسكو وواشنطن اتفقتا على إعادة عمل السفارات، في محادثات بشأن أوكرانيا.",
    ],
)
def test_two_capitals_joined_by_and_are_two_parties(text: str) -> None:
    # (on a Ukraine–US track the deal is another pair's: the US and Russia)
    assert _ua_us(text) == []


def test_a_sentence_that_names_no_one_new_goes_on_about_the_other_pair_named_last() -> None:
    other = "Russian and US officials met in Riyadh on Tuesday. Rubio said the sides agreed to appoint teams."
    assert _ua_us(other) == []
    # a sentence naming a side beyond that pair speaks of something else
    then_ours = other + " Zelensky and Rubio agreed on Wednesday to hold talks on a minerals deal."
    assert ("agreement", "2025-09-03") in _ua_us(then_ours) or ("round_announced", None) in _ua_us(then_ours)


@pytest.mark.parametrize(
    "text",
    [
        "ترامب يعقد يوم الأربعاء اجتماعا افتراضيا مع زيلينسكي وقادة أوروبيين قبل لقائه بوتين.",
        "ترمپ روز چهارشنبه یک نشست مجازی را با زلنسکی و رهبران اروپایی برگزار کرد.",
        "Трамп провёл в среду виртуальную встречу с Зеленским и европейскими лидерами.",
    ],
)
def test_a_virtual_meeting_is_no_summit(text: str) -> None:
    assert [t for t, _ in _ua_us(text)] == []


@pytest.mark.parametrize(
    "text",
    [
        "استضافت مدينة جدة اليوم أول مباحثات أمريكية أوكرانية منذ التوتر الأخير بين البلدين.",
        "Jeddah hosted on Wednesday the first US-Ukrainian talks since the White House clash.",
        "Американская и украинская делегации впервые провели в среду первые переговоры с момента ссоры.",
    ],
)
def test_the_first_talks_since_an_event_are_not_counted_first(text: str) -> None:
    assert all(m.ordinal is None for m in track_detector(UA_US).extract(art(text), "ua-us"))


def test_the_first_round_is_still_counted_first() -> None:
    text = "The first round of US-Ukrainian talks was held in Jeddah on Wednesday."
    assert [m.ordinal for m in track_detector(UA_US).extract(art(text), "ua-us")] == [1]


def test_a_persian_meeting_the_sides_agreed_to_hold_is_announced() -> None:
    text = "اوکراین و آمریکا توافق کردند نشستی در سطح مقامات دفاعی برگزار کنند."
    assert [t for t, _ in _ua_us(text)] == ["round_announced"]


IQ_US = (
    '[[tracks]]\nid = "iq-us"\nsides = [["Iraq"], ["United States"]]\n'
    '[tracks.people]\n"Iraq" = ["محمد شياع السوداني", "Nikol Pashinyan"]\n'
)


def test_a_surname_that_names_a_place_is_no_person_alone() -> None:
    # "السوداني" alone is "the Sudanese": it is read for the Iraqi prime minister only in his full name
    people = track_detector(IQ_US).lexicon.people
    detector = track_detector(IQ_US)
    sudanese = "قال مسؤول في الجيش السوداني إن وفدا أمريكيا عقد محادثات اليوم في بورتسودان."
    assert detector.assign(art(sudanese)) is None
    full = "عقد رئيس الوزراء محمد شياع السوداني محادثات مع وفد أمريكي في بغداد اليوم."
    assert detector.assign(art(full)) == "iq-us"
    # (a surname that names no place still counts alone)
    assert "Nikol Pashinyan" in people
    assert detector.assign(art("Pashinyan held talks with a US delegation in Baghdad on Wednesday.")) == "iq-us"


def test_a_date_set_off_by_commas_dates_its_clause_but_not_after_a_report() -> None:
    detector = track_detector(SA_IR)
    met = "استقبل ولي العهد السعودي محمد بن سلمان في جدة، اليوم الأربعاء 3 سبتمبر، وزير الخارجية الإيراني."
    assert [(m.type, m.date) for m in detector.extract(art(met), "sa-ir")] == [("round_held", "2025-09-03")]
    said = (
        "أعلن الرئيس الأمريكي دونالد ترامب، الأربعاء 3 سبتمبر، أنه سيتوجه إلى روسيا يوم الجمعة المقبل "
        "للقاء الرئيس الروسي فلاديمير بوتين."
    )
    assert [m.date for m in found(said)] == ["2025-09-05"]


@pytest.mark.parametrize(
    ("text", "language_day"),
    [
        (
            "پسکوف اعلام کرد قرار است پوتین روز جمعه در مسکو با استیو ویتکاف، فرستاده ویژه آمریکا دیدار کند.",
            "2025-09-05",
        ),
        ("Putin will meet Steve Witkoff, the US special envoy, in Moscow on Friday.", "2025-09-05"),
    ],
)
def test_a_title_set_off_by_commas_after_a_name_parts_no_clause(text: str, language_day: str) -> None:
    assert [(m.type, m.location, m.date) for m in found(text)] == [("round_announced", "Moscow", language_day)]
