"""Rules that real news prose asked for (tests/corpus, dev part), each with short sentences of our own."""

from __future__ import annotations

import datetime as dt

from streams.core.detector import Detector, default_detector, detector_for, extract
from streams.core.lexicon import countries
from streams.core.models import Mention
from streams.core.sentences import make_sentence
from streams.core.trackconfig import parse_tracks_toml

from .builders import make_article

PUB = dt.datetime(2025, 6, 4, 8, 0, tzinfo=dt.UTC)  # a Wednesday


def found(text: str, published: dt.datetime | None = PUB, title: str = "") -> tuple[Mention, ...]:
    return extract(make_article(text, title, published, article_id="r"))


def kinds(text: str, published: dt.datetime | None = PUB) -> list[str]:
    return [m.type for m in found(text, published)]


# ---------------------------------------------------------------- generated place names
def test_a_weekday_is_not_a_generated_city() -> None:
    # Persian "Monday" is also a GeoNames spelling of a capital; the weekday wins.
    (m,) = found("نشست هیئت‌های روسیه و آمریکا روز دوشنبه برگزار شد.")
    assert m.location is None
    assert m.date == "2025-06-02"


# ---------------------------------------------------------------- date ranges
def test_a_range_of_days_is_dated_by_its_first_day() -> None:
    published = dt.datetime(2025, 6, 1, 8, 0, tzinfo=dt.UTC)
    for text in (
        "A Russian delegation will hold talks with U.S. officials in Geneva from 8 to 13 June.",
        "A Russian delegation will hold talks with U.S. officials in Geneva between 8 and 13 June.",
        "سيجري وفد روسي محادثات مع مسؤولين أمريكيين في جنيف في الفترة من 8 إلى 13 يونيو.",
        "Российская делегация проведёт переговоры с американскими представителями в Женеве с 8 по 13 июня.",
    ):
        (m,) = found(text, published)
        assert (m.type, m.location, m.date) == ("round_announced", "Geneva", "2025-06-08"), text


# ---------------------------------------------------------------- continuing is no new meeting
def test_agreeing_to_continue_talks_states_nothing() -> None:
    for text in (
        "اتفق وزيرا خارجية روسيا والولايات المتحدة على مواصلة المحادثات بين البلدين.",
        "The Russian and U.S. ministers agreed to continue negotiations on the remaining issues.",
        "Министры России и США договорились продолжить переговоры по оставшимся вопросам.",
        "كما اتفق الجانبان الروسي والأمريكي على أهمية استمرار اللقاءات المباشرة.",
        "Moscow is ready to continue the talks with Washington, the Russian envoy said.",
    ):
        assert kinds(text) == [], text


def test_resuming_talks_is_still_an_announcement() -> None:
    (m,) = found("Russia and the United States agreed to resume talks in Istanbul next week.")
    assert (m.type, m.location) == ("round_announced", "Istanbul")


# ---------------------------------------------------------------- leaders as subjects, titles
def test_leaders_as_subjects_of_the_meeting_verb_make_a_summit() -> None:
    (m,) = found(
        "Russian President Vladimir Putin and U.S. President Donald Trump held a long meeting in Anchorage on Friday."
    )
    assert (m.type, m.location, m.date) == ("summit_held", "Anchorage", "2025-05-30")


def test_officials_between_the_leaders_and_the_meeting_make_a_round() -> None:
    (m,) = found("Vladimir Putin and Donald Trump said their delegations held a meeting in Riyadh on Monday.")
    assert m.type == "round_held"


def test_monday_is_not_the_two() -> None:
    # الاثنين is both Monday and "the two"; read as a date it does not pair the leaders.
    (m,) = found(
        "من المقرر أن يجتمع مسؤولون في إدارة الرئيس الأمريكي دونالد ترامب مع نظرائهم الروس "
        "في جنيف، الاثنين، لإجراء محادثات."
    )
    assert (m.type, m.location, m.date) == ("round_announced", "Geneva", "2025-06-09")


def test_a_country_after_in_the_is_a_venue_not_a_party() -> None:
    reader = default_detector().extractor("ru-us").reader
    info = reader.analyse(make_sentence(0, "Russian and U.S. officials held talks in the United Arab Emirates."))
    assert info.venues == [(9, "@United Arab Emirates", True)]
    assert info.parties == {"Russia", "United States"}


# ---------------------------------------------------------------- signings
def test_leaders_signing_in_person_is_an_agreement_and_a_summit() -> None:
    types = sorted(
        (m.type, m.location, m.date)
        for m in found(
            "الرئيس الروسي فلاديمير بوتين والرئيس الأمريكي دونالد ترامب وقعا، الاثنين، معاهدة في البيت الأبيض."
        )
    )
    assert types == [("agreement", "Washington", "2025-06-02"), ("summit_held", "Washington", "2025-06-02")]


def test_ministers_signing_is_an_agreement_only() -> None:
    assert kinds("Russian and U.S. foreign ministers signed a joint declaration on Monday.") == ["agreement"]


def test_a_signing_still_to_come_is_no_agreement() -> None:
    assert kinds("وصل وزير الخارجية الروسي إلى واشنطن لتوقيع اتفاقية مع الولايات المتحدة.") == []


def _user_track(people: str) -> Detector:
    text = f'[[tracks]]\nid = "x"\nname = "x"\nsides = [["Russia"], ["United States"]]\n[tracks.people]\n{people}\n'
    return detector_for(parse_tracks_toml(text, countries()))


def test_a_leader_named_in_a_tracks_file_spelling_is_still_a_leader() -> None:
    # The tracks file lists "Дональд Трамп" (no leader flag); the data's entry for the same span is a leader.
    detector = _user_track('"United States" = ["Дональд Трамп"]\n"Russia" = ["Владимир Путин"]')
    text = "В пятницу в Анкоридже прошла встреча президента США Дональда Трампа и президента России Владимира Путина."
    (m,) = detector.extract(make_article(text, "", PUB, article_id="r"), "x")
    assert (m.type, m.location) == ("summit_held", "Anchorage")


def test_a_leader_titled_once_stays_a_leader_in_the_article() -> None:
    detector = _user_track('"United States" = ["Alan Ford", "Ford"]\n"Russia" = ["Boris Orlov", "Orlov"]')
    text = (
        "U.S. President Alan Ford and Russian President Boris Orlov spoke on Monday.\n"
        "Ford and Orlov last met in May on the sidelines of the European Political Community summit in Tirana."
    )
    (m,) = detector.extract(make_article(text, "", PUB, article_id="r"), "x")
    assert (m.type, m.location, m.date) == ("summit_held", "Tirana", "2025-05")


def test_a_country_between_title_and_name_is_part_of_the_title() -> None:
    detector = _user_track('"United States" = ["Алан Форд"]\n"Russia" = ["Борис Орлов"]')
    text = "В Женеве прошла встреча президента США Алана Форда и президента России Бориса Орлова."
    (m,) = detector.extract(make_article(text, "", PUB, article_id="r"), "x")
    assert (m.type, m.location) == ("summit_held", "Geneva")


# ---------------------------------------------------------------- aims, readiness, press conferences
def test_a_meeting_someone_tries_or_stands_ready_for_is_no_development() -> None:
    for text in (
        "قال وزير الخارجية الروسي إنه يعتزم التوجه إلى واشنطن غدا في محاولة لإحياء المحادثات مع الولايات المتحدة.",
        "أكد الرئيس الروسي اليوم الأربعاء استعداده للقاء نظيره الأمريكي في موسكو.",
        "بدأ مسؤولون روس وأمريكيون مشاورات لضمان عقد اجتماع بين الرئيسين.",
    ):
        assert [k for k in kinds(text) if k != "round_held"] == [], text
    assert kinds("أكد الرئيس الروسي اليوم الأربعاء استعداده للقاء نظيره الأمريكي في موسكو.") == []


def test_preparations_for_an_upcoming_summit_still_announce_it() -> None:
    met = found("Russian and U.S. diplomats met in Geneva on Monday in preparation for the upcoming summit.")
    # The place between the first meeting and the second is the first one's.
    assert sorted((m.type, m.location) for m in met) == [("round_held", "Geneva"), ("summit_announced", None)]
    assert "summit_announced" in kinds(
        "The envoy said work continued on readiness for the upcoming Russia-U.S. summit."
    )


def test_a_press_conference_is_not_a_meeting() -> None:
    assert kinds("سخنگوی کرملین در یک نشست خبری درباره روابط روسیه و آمریکا صحبت کرد.") == []


# ---------------------------------------------------------------- history
def test_a_meeting_years_before_the_article_is_history() -> None:
    text = "It was the first joint appearance of the two presidents since their summit in Helsinki in 2018."
    assert kinds(text) == []
    assert kinds("وكان اللقاء الأول بين الرئيسين الروسي والأمريكي قد عقد في يونيو 2019 في أوساكا.") == []


def test_a_meeting_of_last_year_is_still_reported() -> None:
    (m,) = found("Russian and U.S. diplomats held talks in Istanbul in February 2024.")
    assert (m.type, m.location, m.date) == ("round_held", "Istanbul", "2024-02")


# ---------------------------------------------------------------- proposals
def test_a_proposed_meeting_accepted_at_once_is_an_announcement() -> None:
    (m,) = found("وقال الكرملين إن ترامب اقترح عقد قمة في جنيف وبوتين وافق فورا.")
    assert (m.type, m.location) == ("summit_announced", "Geneva")


def test_an_outside_countrys_offer_to_host_is_no_proposal() -> None:
    assert kinds("رحب وزير الخارجية الروسي بعرض سويسرا لاستضافة محادثات مع الولايات المتحدة.") == []
    assert kinds("The Russian minister welcomed Switzerland's offer to host talks with the United States.") == []


def test_a_request_named_as_a_reason_is_no_proposal() -> None:
    assert kinds("ووصل الوفد الروسي إلى جنيف بطلب من الولايات المتحدة.") == []


def test_discussing_the_possibility_of_a_meeting_announces_none() -> None:
    text = "The Russian and U.S. envoys discussed the possibility of holding the next meeting in the near future."
    assert kinds(text) == []


def test_we_had_a_meeting_is_a_holding() -> None:
    (m,) = found(
        '"I believe we had a very productive meeting with the Russian delegation," the U.S. envoy said in Riyadh.'
    )
    assert m.type == "round_held"


# ---------------------------------------------------------------- calls, outsiders, purpose clauses
def test_the_verb_of_a_phone_call_does_not_hold_the_talks() -> None:
    text = "وتأتي المحادثات بعد أن قال ترامب الأسبوع الماضي إنه أجرى مكالمة هاتفية مطولة مع الرئيس الروسي."
    assert kinds(text) == []


def test_a_meeting_with_an_outsider_is_not_the_tracks() -> None:
    text = "وأوضح ترامب أنه تحدث مع بوتين اليوم، عشية الاجتماع المرتقب مع الرئيس الأوكراني في البيت الأبيض."
    assert kinds(text) == []


def test_both_leaders_meeting_with_a_host_is_the_tracks_summit() -> None:
    text = "Vladimir Putin and Donald Trump met with the Turkish president in Ankara on Monday."
    (m,) = found(text)
    assert (m.type, m.location) == ("summit_held", "Ankara")


def test_a_meeting_to_arrange_a_summit_is_a_meeting_of_its_own() -> None:
    text = "Lavrov and Rubio called off an expected meeting to arrange the Geneva summit."
    (m,) = found(text)
    assert m.type == "round_cancelled"


def test_shelved_plans_put_a_summit_off() -> None:
    (m,) = found("Trump said on Tuesday he had shelved plans for a summit with Putin in Geneva.")
    assert (m.type, m.location) == ("summit_postponed", "Geneva")


# ---------------------------------------------------------------- dates of the day's news
def test_talks_the_headline_reports_as_done_are_dated_by_the_story() -> None:
    (m,) = found(
        "The talks took place at a palace on the Bosphorus.", title="Russian and U.S. diplomats held talks in Istanbul"
    )
    assert (m.type, m.location, m.date) == ("round_held", "Istanbul", "2025-06-04")


def test_talks_of_two_days_are_dated_by_their_first_day() -> None:
    title = "Russia and U.S. concluded two days of talks in Geneva"
    (m,) = found("Officials described the talks as useful.", title=title)
    assert (m.type, m.location, m.date) == ("round_held", "Geneva", "2025-06-03")


def test_talks_named_as_what_came_before_a_deal_stay_undated() -> None:
    title = "Russia and U.S. reach a deal after talks in Geneva"
    dates = {m.type: m.date for m in found("Officials described the deal as useful.", title=title)}
    assert dates.get("round_held") is None


# ---------------------------------------------------------------- agreed meetings, participants, report dates
def test_agreeing_on_a_meeting_announces_it() -> None:
    (m,) = found("قال الرئيس الأمريكي دونالد ترامب إنه اتفق مع الرئيس الروسي فلاديمير بوتين على الاجتماع في جنيف.")
    assert (m.type, m.location) == ("summit_announced", "Geneva")


def test_between_introduces_the_participants_of_a_meeting() -> None:
    text = (
        "A bilateral meeting will take place on June 10 in Geneva, Switzerland, between "
        "President Vladimir Putin of Russia and President Donald Trump of the United States."
    )
    (m,) = found(text)
    assert (m.type, m.location, m.date) == ("summit_announced", "Geneva", "2025-06-10")


def test_a_date_right_before_a_final_reporting_verb_dates_the_report() -> None:
    text = "ولادیمیر پوتین روز چهارشنبه گفت که آماده است با همتای آمریکایی خود دیدار کند."
    assert [m.date for m in found(text)] in ([], [None])


# ---------------------------------------------------------------- rounds of something else, paving the way
def test_a_round_of_sanctions_is_no_meeting() -> None:
    assert kinds("أعلن الكرملين أن الجولة الأخيرة من العقوبات الأمريكية على روسيا عقدت الأمور.") == []
    assert kinds("Washington announced a new round of sanctions on Russia on Monday.") == []


def test_talks_on_tariffs_are_talks() -> None:
    (m,) = found("Russian and U.S. officials held talks on tariffs in Geneva on Monday.")
    assert (m.type, m.location) == ("round_held", "Geneva")


def test_paving_the_way_for_a_meeting_announces_none() -> None:
    text = "قال المبعوث الأمريكي إن المحادثات مع روسيا مهدت الطريق لعقد اجتماع بين الرئيسين."
    assert "summit_announced" not in kinds(text)


# ---------------------------------------------------------------- dual pronouns, yesterday, returning from
def test_a_meeting_that_brought_the_two_leaders_together_is_a_summit() -> None:
    text = (
        "بحث الرئيس الروسي فلاديمير بوتين والرئيس الأمريكي دونالد ترامب، اليوم الاثنين، قضايا الأمن، "
        "وذلك خلال لقاء جمعهما في مدينة جنيف."
    )
    (m,) = found(text)
    assert (m.type, m.location, m.date) == ("summit_held", "Geneva", "2025-06-02")


def test_talks_yesterday_were_held() -> None:
    (m,) = found('قالت الخارجية الأمريكية إن "مباحثات الوفدين الأمريكي والروسي في إسطنبول أمس كانت بناءة".')
    assert (m.type, m.location, m.date) == ("round_held", "Istanbul", "2025-06-03")


def test_todays_meeting_without_a_verb_is_not_typed_by_the_day() -> None:
    assert kinds("Trump called today's meeting of the Russian and U.S. delegations historic.") == []


def test_returning_from_a_summit_reports_it_held() -> None:
    text = "Putin visited the Far East on his way back from a summit with Trump in Anchorage."
    assert [m.type for m in found(text)] == ["summit_held"]


def test_an_intent_to_meet_last_week_is_a_holding() -> None:
    (m,) = found("وصل المبعوث الروسي إلى إسطنبول الأسبوع الماضي لإجراء محادثات مع مسؤولين أمريكيين.")
    assert (m.type, m.location) == ("round_held", "Istanbul")


def test_two_agreements_of_an_article_with_no_subject_are_one() -> None:
    text = (
        "Russia and the United States reached an agreement in Geneva on Monday.\n"
        "Trump told reporters that the two countries agreed on a final cessation of hostilities."
    )
    assert kinds(text) == ["agreement"]


def test_a_deadline_to_agree_is_no_agreement() -> None:
    assert kinds("Trump gave Russia ten days to agree to a ceasefire with the United States.") == []


def test_a_title_bound_to_a_country_names_its_leader() -> None:
    text = "В Женеве прошла встреча президента США и президента России."
    (m,) = found(text)
    assert (m.type, m.location) == ("summit_held", "Geneva")


def test_the_presidents_envoy_is_no_leader() -> None:
    text = "التقى مبعوث الرئيس الأمريكي ستيف ويتكوف الرئيس الروسي فلاديمير بوتين في موسكو أمس."
    assert kinds(text) == ["round_held"]


def test_an_agreement_reached_during_dated_talks_takes_their_date() -> None:
    text = "اتفقت روسيا والولايات المتحدة خلال محادثات جرت في إسطنبول الأربعاء على إعادة فتح السفارات."
    dates = {m.type: m.date for m in found(text, dt.datetime(2025, 6, 5, 8, 0, tzinfo=dt.UTC))}
    assert dates == {"round_held": "2025-06-04", "agreement": "2025-06-04"}


def test_signs_of_progress_are_no_progress() -> None:
    text = "واختتمت المحادثات الروسية الأمريكية أمس بعد ست ساعات دون مؤشرات على إحراز تقدم."
    assert kinds(text) == ["round_held"]


# ---------------------------------------------------------------- purpose phrases, meetings ahead, call stories
def test_a_final_verb_skips_the_meeting_inside_a_purpose_phrase() -> None:
    text = "نشست هیئت‌های روسیه و آمریکا با هدف بررسی امکان دیدار سران دو کشور در ژنو انجام شد."
    assert [m.type for m in found(text)] == ["round_held"]


def test_during_a_meeting_on_a_day_ahead_announces_it() -> None:
    published = dt.datetime(2025, 5, 28, 12, 0, tzinfo=dt.UTC)
    text = "قال لافروف إن الوفد الروسي سيقدم مذكرة إلى الجانب الأمريكي خلال اجتماع في إسطنبول يوم 2 يونيو."
    (m,) = found(text, published)
    assert (m.type, m.location, m.date) == ("round_announced", "Istanbul", "2025-06-02")


def test_in_a_story_about_a_call_unplaced_talks_are_the_call() -> None:
    text = (
        "وخلال مباحثاتهما في 5 يونيو، قال الرئيس الأمريكي إنه تلقى دعوة من نظيره الروسي.\n"
        "وتعد هذه المكالمة الثانية بين الرئيسين."
    )
    titled = found(text, title="بوتين وترامب يجريان محادثة هاتفية")
    assert [m.type for m in titled if m.type.endswith("_held")] == []


def test_agreeing_to_continue_after_a_long_subject_is_no_agreement() -> None:
    text = "اتفق وزيرا خارجية روسيا سيرغي لافروف، والولايات المتحدة ماركو روبيو، على مواصلة المفاوضات بين البلدين."
    assert kinds(text) == []


def test_the_day_a_deal_takes_effect_is_not_its_date() -> None:
    text = "Russia and the United States reached an agreement on tariffs that will be in force from 14 June."
    (m,) = found(text)
    assert (m.type, m.date) == ("agreement", None)


def test_planned_talks_are_announced_in_persian() -> None:
    text = "وزیر خارجه روسیه روز پنجشنبه پیش از مذاکرات برنامه‌ریزی شده با همتای آمریکایی خود وارد ژنو شد."
    assert "round_held" not in kinds(text)


def test_the_short_arabic_spelling_of_a_leader_names_him() -> None:
    text = '[[tracks]]\nid = "y"\nname = "y"\nsides = [["China"], ["United States"]]\n'
    detector = detector_for(parse_tracks_toml(text, countries()))
    article = make_article("ومن المقرر أن يلتقي ترامب وشي غدا الخميس في سيول.", "", PUB, article_id="r")
    (m,) = detector.extract(article, "y")
    assert (m.type, m.date) == ("summit_announced", "2025-06-05")


def test_a_proposal_made_during_dated_talks_takes_their_date() -> None:
    text = "Russia proposed a ceasefire to the United States during talks held in Istanbul on Monday."
    dates = {m.type: m.date for m in found(text)}
    assert dates.get("proposal") == "2025-06-02"


def test_a_date_opening_the_sentence_before_its_reporting_verb_dates_the_report() -> None:
    (m,) = found("ويوم الاثنين، أعلن الكرملين عن اجتماع مرتقب بين الوفدين الروسي والأمريكي في جنيف.")
    assert (m.type, m.location, m.date) == ("round_announced", "Geneva", None)


# ---------------------------------------------------------------- leader visits
def test_a_leader_visiting_the_other_side_is_a_summit() -> None:
    (m,) = found("Speaking to reporters, Trump said tariffs would fall and he would visit Russia next month.")
    assert m.type == "summit_announced"


def test_an_envoy_visiting_the_other_side_is_a_round() -> None:
    (m,) = found("Witkoff said he would visit Russia next month for talks on the war.")
    assert m.type == "round_announced"


def test_wrong_to_say_denies() -> None:
    assert kinds("من الخطأ القول إن القمة الروسية الأمريكية قد ألغيت.") == []
    assert kinds("It is wrong to say that the Russia-U.S. summit has been cancelled, the Kremlin said.") == []


def test_the_first_meeting_since_describes_the_other_meeting() -> None:
    text = (
        "The summit of Putin and Trump will be held in Geneva on 15 June, "
        "the first meeting between them since Trump took office."
    )
    (m,) = found(text)
    assert (m.type, m.location, m.date, m.ordinal) == ("summit_announced", "Geneva", "2025-06-15", None)


def test_earlier_dates_the_report_not_the_meeting() -> None:
    text = "وكان الكرملين والبيت الأبيض قد أكدا في وقت سابق أن القمة بين الزعيمين ستعقد في جنيف في 15 يونيو."
    (m,) = found(text)
    assert (m.type, m.location, m.date) == ("summit_announced", "Geneva", "2025-06-15")


def test_the_date_of_an_announcement_is_not_the_meetings() -> None:
    text = "Putin's announcement late on Monday that talks with the United States would take place raised hopes."
    assert [m.date for m in found(text)] == [None]


def test_talks_concluded_after_two_days_are_dated_by_their_first_day() -> None:
    (m,) = found("Russian and U.S. officials concluded two days of talks in Geneva on Sunday.")
    assert (m.type, m.location, m.date) == ("round_held", "Geneva", "2025-05-31")


def test_ministerial_meetings_are_a_bodys_sessions() -> None:
    assert kinds("Lavrov has arrived to take part in the ministerial meetings on 10 and 11 June.") == []


def test_leaders_as_subjects_with_a_date_and_place_before_the_verb() -> None:
    text = (
        "Президент России Владимир Путин и президент США Дональд Трамп 10 июня в столице Швейцарии "
        "Женеве проведут переговоры."
    )
    (m,) = found(text)
    assert (m.type, m.location, m.date) == ("summit_announced", "Geneva", "2025-06-10")


def test_earlier_this_month_places_a_meeting_in_the_past() -> None:
    from streams.core.detector import extract as extract_default
    from streams.core.models import Article

    text = "وجاءت المحادثات بعد مفاوضات بين دبلوماسيين روس وأمريكيين في السعودية في وقت سابق من هذا الشهر."
    article = Article("x", "s", None, "", None, None, "ar", text, "t")
    assert "round_held" in [m.type for m in extract_default(article)]


# ---------------------------------------------------------------- readiness and conditions
def test_a_meeting_someone_stands_ready_for_on_a_condition_is_not_held() -> None:
    # The day is the statement's ("said on Wednesday that he is ready to meet, if ..."): no meeting.
    for text in (
        "پوتین روز چهارشنبه گفت که آماده است با رئیس‌جمهور آمریکا دیدار کند، در صورتی که به مسکو بیاید.",
        "Putin said on Wednesday he was ready to meet the US president in Moscow, if Trump comes.",
    ):
        assert [t for t in kinds(text) if t.endswith("_held")] == [], text


# ---------------------------------------------------------------- mediators
def _detector(mediators: str = "") -> Detector:
    text = f'[[tracks]]\nid = "in-pk"\nsides = [["India"], ["Pakistan"]]\n{mediators}\n'
    return detector_for(parse_tracks_toml(text, countries()))


def test_a_mediator_named_in_the_tracks_file_is_no_outside_party() -> None:
    # The mediator announces the round: without the key the article pairs both sides with an
    # outsider (half for, half against); with it, it is the track's.
    article = make_article(
        "India and Pakistan will hold a second round of talks in Doha on Sunday, Saudi Arabia's foreign minister said.",
        published=PUB,
        article_id="m",
    )
    assert _detector().assign(article) is None
    mediated = _detector('mediators = ["Saudi Arabia"]')
    assert mediated.assign(article) == "in-pk"
    (m,) = mediated.extract(article, "in-pk")
    assert (m.type, m.location, m.ordinal) == ("round_announced", "Doha", 2)


def test_a_country_after_mediated_by_is_no_party() -> None:
    article = make_article(
        "India and Pakistan held talks in Doha on Monday, mediated by Qatar.", published=PUB, article_id="q"
    )
    detector = _detector()
    assert detector.assign(article) == "in-pk"
    assert [m.type for m in detector.extract(article, "in-pk")] == ["round_held"]


def test_a_leader_receiving_the_other_sides_envoy_is_a_meeting_held() -> None:
    (m,) = found("استقبل الرئيس الروسي فلاديمير بوتين، اليوم الأربعاء، المبعوث الأمريكي ستيف ويتكوف، في سانت بطرسبرج.")
    assert (m.type, m.location, m.date) == ("round_held", "Saint Petersburg", "2025-06-04")


def test_a_dateline_place_is_the_venue_of_the_meeting_its_lead_reports_done() -> None:
    (m,) = found("ANCHORAGE, Alaska – President Trump has concluded three hours of talks with President Putin.")
    assert (m.type, m.location) == ("summit_held", "Anchorage")
    # A capital that stands for its government is where the reporters are, not the venue.
    (m,) = found("MOSCOW (Reuters) - Russian and U.S. diplomats held talks on embassy operations on Tuesday.")
    assert (m.type, m.location) == ("round_held", None)


def test_one_sides_visit_to_an_outside_country_is_no_meeting_of_the_track() -> None:
    assert kinds("U.S. Secretary of State Marco Rubio plans to join Trump for a state visit in London on Friday.") == []
    # A visit by one side to the other's country is still the track's.
    assert kinds("Lavrov plans a visit to Washington next week.") == ["round_announced"]


def test_a_meeting_ruled_out_or_uncertain_is_no_announcement() -> None:
    # Ruled out, before or after the meeting it rules out.
    assert kinds("استبعد الكرملين، اليوم الأربعاء، فكرة ترتيب لقاء قريب بين بوتين وترامب.") == []
    assert kinds("أكد الكرملين أن عقد لقاء بين بوتين وترامب غير وارد في المدى القريب.") == []
    assert kinds("The Kremlin ruled out a meeting between Putin and Trump in the coming weeks.") == []
    # Uncertain: hedged, so the plan waits for a firm report.
    (m,) = found("وطرح ترامب فكرة لقاء مع بوتين، لكن من غير المؤكد أن الرئيسين سيعقدان مثل هذه القمة.")
    assert m.tentative


def test_a_call_to_sign_is_no_agreement() -> None:
    text = (
        'وقالت الخارجية الروسية في بيان أمس إنه "حان الوقت للالتزام بالسلام والتوقيع والتصديق على الاتفاقية"'
        " مع الولايات المتحدة."
    )
    assert kinds(text) == []


def test_working_to_set_a_date_announces_nothing() -> None:
    assert kinds("الكرملين يعلن عن جهوده لتحديد موعد لمفاوضات جديدة مع واشنطن") == []


def test_a_date_before_a_clause_final_reporting_verb_dates_the_report() -> None:
    # Verb-final: "Peskov, on Tuesday, told reporters: the presidents agree on this meeting …".
    text = (
        "دیمیتری پسکوف روز سه‌شنبه در جمع خبرنگاران افزود: رؤسای جمهور روسیه و آمریکا درباره انجام این دیدار"
        " تفاهم دارند."
    )
    assert all(m.date is None for m in found(text))
    # A verb-initial sentence keeps the date before it with its meeting.
    (m,) = found("وكان الكرملين أعلن عن عقد القمة بين بوتين وترامب في ألاسكا يوم الجمعة 15 آب.كما أفاد أوشاكوف")
    assert m.date == "2025-08-15"


def test_more_reporting_verbs_date_the_report() -> None:
    text = "Lavrov indicated on Tuesday that the negotiations between Russia and the United States have slowed down."
    assert [m.date for m in found(text)] in ([], [None])
