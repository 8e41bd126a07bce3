"""Extraction of developments from short Arabic and English texts."""

from __future__ import annotations

import datetime as dt

from streams.core.detector import extract
from streams.core.models import Article, Mention

from .builders import make_article


def art(text: str, title: str = "", published: dt.datetime | None = None) -> Article:
    return make_article(text, title, published, article_id="t")


def types(text: str, **kw: object) -> list[str]:
    return [m.type for m in extract(art(text, **kw))]  # type: ignore[arg-type]


def one(text: str, published: dt.datetime | None = None) -> Mention:
    found = extract(art(text, published=published))
    assert len(found) == 1, found
    return found[0]


PUB = dt.datetime(2025, 4, 11, 9, 0, tzinfo=dt.UTC)  # a Friday


def test_held_round_with_place_ordinal_and_paired_month() -> None:
    m = one("وكان الجانبان الروسي والأمريكي عقدا جولة أولى من المحادثات في الـ 27 شباط/فبراير 2025 في إسطنبول.")
    assert (m.type, m.location, m.date, m.date_precision, m.ordinal) == (
        "round_held",
        "Istanbul",
        "2025-02-27",
        "day",
        1,
    )


def test_evidence_is_the_original_sentence() -> None:
    text = "عقدت روسيا والولايات المتحدة جولة ثانية من المحادثات في إسطنبول."
    assert one(text).sentence == text


def test_year_from_elsewhere_in_the_article() -> None:
    text = (
        "عقد وفدا روسيا والولايات المتحدة جولة أولى في الـ18 من شباط الماضي في الرياض.\n"
        "ومنذ عودة ترامب إلى البيت الأبيض في العام الحالي 2025، تحسنت العلاقات."
    )
    assert extract(art(text))[0].date == "2025-02-18"


def test_date_without_any_year_stays_none() -> None:
    m = one("جرت محادثات روسية أمريكية في إسطنبول في 27 فبراير.")
    assert m.date is None
    assert m.location == "Istanbul"


def test_relative_date_resolved_against_published() -> None:
    m = one("اجتمع دبلوماسيون روس وأمريكيون في إسطنبول يوم الخميس.", published=PUB)
    assert (m.date, m.date_precision) == ("2025-04-10", "day")


def test_relative_date_without_published_is_none() -> None:
    assert one("اجتمع دبلوماسيون روس وأمريكيون في إسطنبول أمس.").date is None


def test_last_month_keeps_month_precision() -> None:
    m = one("في الشهر الماضي، عقدت روسيا والولايات المتحدة جولة ثانية من المحادثات في تركيا.", published=PUB)
    assert (m.date, m.date_precision, m.location, m.ordinal) == ("2025-03", "month", None, 2)


def test_announced_round_in_future_tense() -> None:
    m = one("أعلنت زاخاروفا أن الجولة الثالثة من المشاورات الروسية الأمريكية ستعقد في إسطنبول.")
    assert (m.type, m.ordinal, m.location) == ("round_announced", 3, "Istanbul")


def test_new_round_without_number() -> None:
    m = one("روسيا والولايات المتحدة تتجهان لإجراء جولة جديدة من المفاوضات الدبلوماسية.")
    assert (m.type, m.new_round, m.ordinal) == ("round_announced", True, None)


def test_for_the_second_time() -> None:
    m = one("التقى الوفدان الروسي والأمريكي للمرة الثانية في إسطنبول.")
    assert (m.type, m.ordinal) == ("round_held", 2)


def test_first_of_the_meetings() -> None:
    m = one("جرى أول اللقاءات بين وفدي روسيا وأمريكا في العاصمة السعودية الرياض.")
    assert (m.type, m.ordinal, m.location) == ("round_held", 1, "Riyadh")


def test_agreement_with_topics() -> None:
    m = one("وأشار البيان إلى أن الجانبين الروسي والأمريكي توافقا على خطوات لاستعادة التمويل المتواصل للبعثات.")
    assert m.type == "agreement"
    assert "mission_funding" in m.topics


def test_proposal_of_direct_flights() -> None:
    found = extract(art("عرضت روسيا على الولايات المتحدة استعادة الروابط الجوية المباشرة خلال مشاورات في إسطنبول."))
    # The consultations the offer was made during are the setting, held there, not what was proposed.
    assert sorted((m.type, m.location) for m in found) == [("proposal", "Istanbul"), ("round_held", "Istanbul")]
    assert "direct_flights" in next(m for m in found if m.type == "proposal").topics


def test_no_plans_to_meet_is_not_an_announcement() -> None:
    assert types("قال الكرملين إنه لا توجد خطط للقاء ترامب وبوتين.") == []


def test_denial_is_not_an_announcement() -> None:
    assert types("نفى الكرملين عقد أي محادثات مع واشنطن.") == []


def test_false_friend_is_consistent_with() -> None:
    assert types("تسعى موسكو وواشنطن إلى حلول بما يتوافق مع مصالح البلدين.") == []


def test_wish_for_agreement_is_not_an_agreement() -> None:
    assert types("تأمل واشنطن في التوصل إلى اتفاق مع روسيا قد يؤدي إلى وقف الصراع.") == []


def test_tentative_round_is_kept_and_marked() -> None:
    m = one("قال ريابكوف إن محادثات روسية أمريكية قد تعقد الشهر المقبل في الرياض.")
    assert (m.type, m.tentative, m.location) == ("round_announced", True, "Riyadh")


def test_hedged_agreement_is_dropped() -> None:
    assert types("قد تتفق روسيا والولايات المتحدة على استئناف الرحلات.") == []


def test_summit_from_both_leaders() -> None:
    m = one("أشار الرئيس الأمريكي دونالد ترامب إلى خطط لعقد محادثات مع الرئيس الروسي فلاديمير بوتين في السعودية.")
    assert (m.type, m.location) == ("summit_announced", None)


def test_after_the_summit_means_held() -> None:
    assert "summit_held" in types("تتواصل المشاورات بين موسكو وواشنطن بعد قمة ألاسكا.")


def test_question_states_nothing() -> None:
    assert types("هل ستكون محادثات إسطنبول بين روسيا وأمريكا بداية لحقبة جديدة؟") == []


def test_russia_ukraine_talks_are_not_on_the_track() -> None:
    assert types("عقدت روسيا وأوكرانيا جولة ثانية من المفاوضات المباشرة في إسطنبول.") == []


def test_us_turkey_meeting_is_not_on_the_track() -> None:
    assert types("اجتمع وزير الخارجية الأمريكي روبيو مع نظيره التركي فيدان في أنقرة.") == []


def test_war_in_ukraine_is_a_place_not_a_party() -> None:
    assert types("اتفقت موسكو وواشنطن على بدء العمل على إنهاء القتال في أوكرانيا.") == ["agreement"]


def test_related_news_footer_is_ignored() -> None:
    text = "عقدت روسيا والولايات المتحدة محادثات في إسطنبول.\nأخبار ذات صلة\nالهند واليابان يعقدان محادثات في طوكيو"
    assert types(text) == ["round_held"]


def test_capital_as_government_is_not_a_venue() -> None:
    m = one("ستعقد جولة مشاورات جديدة بين واشنطن وموسكو قريبا.")
    assert m.location is None


def test_capital_after_preposition_is_a_venue() -> None:
    m = one("Russian envoy Kirill Dmitriev held talks with Steve Witkoff in Washington on April 2, 2025.")
    assert (m.type, m.location, m.date) == ("round_held", "Washington", "2025-04-02")


def test_english_second_round() -> None:
    m = one("Russian and U.S. diplomats held a second round of talks in Istanbul on Thursday.", published=PUB)
    assert (m.type, m.ordinal, m.location, m.date) == ("round_held", 2, "Istanbul", "2025-04-10")


def test_english_announcement_and_negation() -> None:
    assert types("The Kremlin said there are no plans for a Putin-Trump summit.") == []
    m = one("Russia and the United States will hold a new round of consultations next month, Ryabkov said.")
    assert (m.type, m.new_round) == ("round_announced", True)


def test_english_agreement_and_proposal() -> None:
    got = types(
        "The U.S. and Russia agreed to take steps to ensure funding of diplomatic missions. "
        "Russia also proposed to restore direct flights between the two countries."
    )
    assert got == ["agreement", "proposal"]


def test_repeated_reports_merge_within_an_article() -> None:
    text = (
        "انعقدت محادثات بين روسيا والولايات المتحدة في إسطنبول يوم الخميس.\n"
        "واستمرت المحادثات التي جرت في القنصلية الأمريكية ست ساعات.\n"
        "وبعد انتهاء المحادثات في إسطنبول، غادر الوفد الروسي."
    )
    assert types(text) == ["round_held"]


def test_announcement_of_a_round_reported_as_held_is_dropped() -> None:
    text = (
        "بدأ وفدان أمريكي وروسي جولة ثانية من المحادثات في اسطنبول اليوم.\n"
        "وكانت زاخاروفا ذكرت أمس أن الجولة الثانية من المشاورات الروسية الأمريكية ستعقد في اسطنبول."
    )
    assert types(text) == ["round_held"]


def test_empty_article() -> None:
    assert extract(art("")) == ()


def test_recap_of_two_rounds_with_two_dates() -> None:
    text = "وكانت الجولتان الأولى والثانية قد عقدتا في إسطنبول في 27 شباط/فبراير و10 نيسان/أبريل."
    found = extract(art(text, published=dt.datetime(2025, 5, 20, tzinfo=dt.UTC)))
    assert [(m.type, m.location, m.date, m.ordinal) for m in found] == [
        ("round_held", "Istanbul", "2025-02-27", 1),
        ("round_held", "Istanbul", "2025-04-10", 2),
    ]


def test_pluperfect_qad_is_not_a_hedge() -> None:
    m = one("وكانت الجولة الأولى قد عقدت في 27 شباط الماضي في إسطنبول بين روسيا وأمريكا.", published=PUB)
    assert (m.type, m.tentative, m.date) == ("round_held", False, "2025-02-27")


def test_agreeing_to_hold_a_meeting_is_an_announcement() -> None:
    m = one("اتفق الجانبان الروسي والأمريكي على عقد اجتماع متابعة في المدى القريب.")
    assert (m.type, "follow_up_meeting" in m.topics) == ("round_announced", True)


def test_proposing_the_next_meeting_is_a_proposal() -> None:
    m = one("واقترح بوتين أن يكون اللقاء المقبل مع ترامب في موسكو.")
    assert (m.type, m.location) == ("proposal", "Moscow")
    assert "follow_up_meeting" in m.topics


def test_envoy_meeting_a_leader_is_a_round_not_a_summit() -> None:
    assert types("Trump's envoy Steve Witkoff met Putin in Moscow on Wednesday.") == ["round_held"]


def test_leaders_meeting_is_a_summit() -> None:
    m = one("Trump said he would meet Russian President Vladimir Putin in Alaska on August 15.")
    assert (m.type, m.location) == ("summit_announced", "Anchorage")


def test_date_of_the_report_is_not_the_date_of_the_meeting() -> None:
    pub = dt.datetime(2025, 2, 28, 15, tzinfo=dt.UTC)
    m = one(
        "The Russian Foreign Ministry said on Friday that talks with U.S. diplomats were held in Istanbul on Thursday.",
        pub,
    )
    assert m.date == "2025-02-27"


def test_without_negates_only_the_next_word() -> None:
    got = types("قمة بلا اتفاق، وبوتين يقترح على ترامب موسكو للقاء المقبل")
    assert "proposal" in got
    assert "agreement" not in got


def test_postponement_is_not_an_announcement() -> None:
    assert types("أعلنت واشنطن تأجيل قمة بودابست بين ترامب وبوتين.") == ["summit_postponed"]


def test_conditional_is_not_a_development() -> None:
    assert types("لو عقدت قمة بين ترامب وبوتين من دون تحضير لكانت النتيجة خيبة أمل.") == []


def test_meet_without_a_party_is_not_a_meeting() -> None:
    assert types("Any return of seized property would meet fierce resistance in Congress.") == []


def test_purpose_infinitive_follows_its_verb() -> None:
    thursday = dt.datetime(2025, 2, 27, 12, tzinfo=dt.UTC)
    text = "التقى دبلوماسيون روس وأميركيون في تركيا اليوم الخميس لإجراء محادثات حول عمل سفارتيهما في واشنطن."
    m = one(text, thursday)
    assert (m.type, m.location, m.date) == ("round_held", None, "2025-02-27")


def test_embassies_city_is_not_the_venue() -> None:
    m = one("عقد دبلوماسيون روس وأمريكيون محادثات لمناقشة عمل سفارتي البلدين في واشنطن وموسكو.")
    assert m.location is None


def test_russian_round_held() -> None:
    pub = dt.datetime(2025, 4, 10, 20, tzinfo=dt.UTC)
    m = one("Во второй раз делегации России и США провели консультации в Стамбуле.", pub)
    assert (m.type, m.location, m.ordinal) == ("round_held", "Istanbul", 2)


def test_russian_summit_announced() -> None:
    pub = dt.datetime(2025, 8, 9, tzinfo=dt.UTC)
    m = one("Встреча президентов России и США Владимира Путина и Дональда Трампа состоится 15 августа на Аляске.", pub)
    assert (m.type, m.location, m.date) == ("summit_announced", "Anchorage", "2025-08-15")


def test_persian_round_announced() -> None:
    m = one("دور بعدی مذاکرات روسیه و آمریکا در استانبول برگزار خواهد شد.")
    assert (m.type, m.location, m.new_round) == ("round_announced", "Istanbul", True)


def test_persian_jalali_date() -> None:
    pub = dt.datetime(2025, 4, 10, 19, tzinfo=dt.UTC)
    m = one("دور دوم رایزنی‌های روسیه و آمریکا امروز پنجشنبه ۲۱ فروردین در استانبول برگزار شد.", pub)
    assert (m.type, m.ordinal, m.date, m.location) == ("round_held", 2, "2025-04-10", "Istanbul")


def test_headline_joins_the_lead() -> None:
    found = extract(
        art(
            "اختتمت اليوم في اسطنبول الجولة الثانية من المشاورات الروسية الأميركية.",
            title="انتهاء الجولة الثانية في اسطنبول",
            published=dt.datetime(2025, 4, 10, 17, tzinfo=dt.UTC),
        )
    )
    assert [(m.type, m.location, m.date, m.ordinal) for m in found] == [("round_held", "Istanbul", "2025-04-10", 2)]


def test_mentions_are_frozen_and_typed() -> None:
    m = one("عقدت روسيا والولايات المتحدة جولة ثانية من المحادثات في إسطنبول.")
    assert isinstance(m, Mention)
    assert m.actors == ("Russia", "United States")


def test_readiness_is_not_an_announcement() -> None:
    assert types("قال لافروف إن موسكو مستعدة لإجراء محادثات مع واشنطن.") == []


def test_host_summit_on_the_sidelines_is_not_a_development() -> None:
    assert types("Rubio met Lavrov on the sidelines of the ASEAN summit in Kuala Lumpur.") == ["round_held"]


def test_us_in_capitals_is_the_united_states() -> None:
    m = one("The second round of talks between the US and Russia started in Istanbul.")
    assert (m.type, m.location, m.ordinal) == ("round_held", "Istanbul", 2)


def test_postponed_or_cancelled_meeting_is_not_announced() -> None:
    assert types("أعلن ترامب إرجاء الاجتماع الذي كان مقررا أن يعقده مع بوتين في بودابست.") == ["summit_postponed"]
    assert types("Trump said he had cancelled his meeting with Putin in Budapest.") == ["summit_cancelled"]


def test_failed_to_make_progress_is_no_agreement() -> None:
    assert types("وفشل وزيرا الخارجية الروسي والأمريكي في إحراز تقدم خلال المكالمة.") == []


def test_capital_named_by_description() -> None:
    m = one("يخطط ترامب وبوتين للقاء في العاصمة المجرية.")
    assert (m.type, m.location) == ("summit_announced", "Budapest")


def test_a_bodys_meeting_is_not_the_tracks() -> None:
    assert types("عقد مجلس الأمن الدولي اجتماعا طارئا بشأن أوكرانيا بدعوة من روسيا والولايات المتحدة.") == []
    assert types("Russian and US envoys clashed at a Security Council meeting on Ukraine.") == []


def test_ministers_meeting_on_the_sidelines_of_a_body() -> None:
    m = one("التقى روبيو ولافروف على هامش اجتماعات الجمعية العامة للأمم المتحدة في نيويورك.")
    assert (m.type, m.location) == ("round_held", "New York")


def test_phone_talks_are_a_call_not_a_summit() -> None:
    assert types("أجرى بوتين وترامب محادثات هاتفية استمرت ساعتين.") == []
    assert types("Putin and Trump held telephone talks on Tuesday.") == []


def test_efforts_to_reach_an_agreement_are_not_one() -> None:
    assert types("تتواصل الجهود بين موسكو وواشنطن من أجل التوصل إلى اتفاق لإنهاء الحرب.") == []


def test_announcing_an_agreement_reached_is_one() -> None:
    assert types("أعلن البيت الأبيض التوصل إلى اتفاقين منفصلين مع روسيا وأوكرانيا بشأن البحر الأسود.") == ["agreement"]
