"""Developments in one sentence: meetings typed by their markers, agreements and proposals.

See :mod:`streams.core.extract` for the decisions (negation, hedges, summits, places).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
from collections.abc import Sequence

from streams.core.dates import DateHit, Resolved, resolve
from streams.core.drafts import Statement
from streams.core.lexicon import Match
from streams.core.models import DevelopmentType
from streams.core.reading import (
    GROUP_GAP,
    LATE_VERB,
    MARKER_WINDOW,
    NEGATION_WINDOW,
    Analysis,
    Context,
    Group,
    SentenceReader,
    distance,
    is_future,
    is_past,
)

logger = logging.getLogger(__name__)


# Words between a relative pronoun and the verb that closes its clause.
RELATIVE_REACH = 5
# Words between a release verb and its captive ("freed U.S. citizen", "أفرجت روسيا أمس عن المعلم").
CAPTIVE_REACH = 4
# How near a swap or its captives an outside country makes it another conflict's swap.
OUTSIDER_REACH = 3
# An announced meeting dated this many days before publication at most is a past one.
RECENT_PAST = 60
# How far after "met"/"will meet" a meeting noun still names that meeting.
SELF_REACH = 8
# Words between "on the sidelines of" and the host event's noun ("of the European Political Community summit").
SIDELINES_REACH = 6
# Tokens before and after a meeting where a stated year dates it ("the 2018 summit in Helsinki").
HISTORY_BEFORE = 3
HISTORY_AFTER = 6
_YEAR = re.compile(r"(?:19|20)\d{2}")
# Words between a proposal and its meeting, and between that meeting and its acceptance.
ACCEPT_REACH = 6
# Words between a verb and the call it governs ("أجرى اتصالا هاتفيا").
CALL_REACH = 2
# Words between a meeting noun and its "with", and between "with" and the party it names.
WITH_REACH = 3
#: Words between two parties of one list ("the Hamas delegation and the Egyptian … mediators").
LIST_GAP = 2
#: What "the mediators" name in a list of parties (no country has this name).
MEDIATORS = "(mediators)"
# How far from a meeting, in its clause, the people who met may be named.
MET_REACH = 8
# Words between "agreed" and the meeting agreed on ("اتفق مع الرئيس الصيني على الاجتماع").
AGREED_ON_REACH = 8
# Tokens after an agreement verb within which a step of the talks ("to exchange proposals") is what was agreed.
PROCEDURE_REACH = 10
# Tokens between an arrival verb and the talks it came for ("arrived in Washington to hold talks").
ARRIVAL_REACH = 6
# Tokens from "left for"/"توجه" to the meeting it is for: the traveller and destination between.
DEPARTURE_REACH = 15
# Tokens before a meeting (or its marker) within which "was supposed to" makes its plan a past one.
UNFULFILLED_REACH = 6
# Tokens between "to discuss" (لمناقشة) and the deal or proposal it makes a subject of talks.
DISCUSS_REACH = 2
# Words between an acceptance ("agreed to release all hostages under") and the offer it accepts, and
# between the offer and its owner ("a framework advanced by US President Donald Trump").
OFFER_REACH = 12
OWNER_REACH = 6
# Words between "in the process of" and the deal or proposal being drawn up ("drafting a new").
PROGRESS_REACH = 4
# Letters a future-tense Arabic verb has at least ("ستة", six, is no verb).
FUTURE_VERB_MIN = 4
# Words between a round noun and what it is a round of ("الجولة الأخيرة من العقوبات الأمريكية").
NOT_MEETING_REACH = 3
# Words between "the first meeting" and the "since" that makes it a description.
SINCE_REACH = 4
# Words between an aim word and the meeting it aims at ("في محاولة لإحياء المحادثات").
AIM_REACH = 3
# Words between "continue" and the meeting noun it continues ("مواصلة التواصل والمباحثات").
CONTINUE_REACH = 2
# Words between talks and the "about" that names a deal as their subject ("talks in London on a deal").
TALKS_ABOUT_REACH = 3
# Words between "about" and the deal or proposal noun it names ("about the U.S. proposal").
ABOUT_REACH = 3
# Words after a deal noun within which a hedge adjective qualifies it ("اتفاق أمني محتمل").
POST_HEDGE_REACH = 2
# How far before a deal's verbal noun ("التوصل إلى اتفاق") its governor may stand ("أعلن البيت
# الأبيض، الأحد 11 مايو 2025، التوصل إلى اتفاق": a subject and a date between).
GOVERNOR_REACH = 16
# Tokens between "made progress" and the "such as" that lists what it achieved.
EXAMPLE_REACH = 2
# Tokens before a proposal within which "will"/"would" or a future verb puts it still to come.
FUTURE_REACH = 4
# Tokens after a meeting within which its predicate verb ("الجولة المقبلة … قد تعقد", "the next
# round could be held") still says whether it is hedged.
PREDICATE_REACH = 4
# "امروز در تهران برگزار می‌شود": how far before a Persian compound verb "today" may stand.
TODAY_BEFORE_COMPOUND = 6
# How many tokens after an agreement or proposal its venue may stand, in its clause.
DEAL_PLACE_REACH = 5
# The categories every draft starts from: meeting nouns (and a visit), deal triggers (and progress
# or a signing that makes one), swaps and releases. A sentence with none of them states nothing.
DRAFT_SOURCES = (
    "round",
    "summit",
    "self_round",
    "self_announced",
    "visit_noun",
    "agreement",
    "proposal",
    "progress",
    "sign",
    "swap",
    "release",
)


def _years_before(info: Analysis, ctx: Context, start: int, end: int, whole: bool) -> bool:
    """Whether a year two or more before the article's stands next to tokens ``start``..``end``
    in their clause (or anywhere in the sentence when ``whole``): "the 2015 nuclear deal", "the
    1991 declaration". A year after "since" ("the first talks since 2018") dates nothing."""
    current = ctx.published.year if ctx.published is not None else ctx.year
    if current is None:
        return False
    toks = info.sentence.tokens
    lo, hi = (0, len(toks)) if whole else (max(0, start - HISTORY_BEFORE), min(len(toks), end + HISTORY_AFTER))
    since = {a.end for a in info.get("after")}
    return any(
        _YEAR.fullmatch(t) is not None
        and int(t) < current - 1
        and j not in since
        and (whole or info.clause(j) == info.clause(start))
        for j, t in enumerate(toks[lo:hi], lo)
    )


def _after_publication(when: Resolved, ctx: Context) -> bool:
    """Whether a day stated in full falls after the day the article was published (a day of
    slack for time zones)."""
    if when.date is None or when.precision != "day" or ctx.published is None:
        return False
    return dt.date.fromisoformat(when.date) > ctx.published.date() + dt.timedelta(days=1)


def _past_day(hit: DateHit) -> bool:
    """A past date the text gives as past ("last Thursday", "yesterday", "last week"), not a bare month."""
    return is_past(hit) and (
        hit.weekday is not None or hit.day is not None or (hit.relative or ("", 0))[0] in ("day", "week")
    )


class EventReader:
    """Turns a sentence, as ``reader`` read it (an :class:`Analysis`), into drafts of developments:
    meetings, agreements, proposals, exchanges. What a sentence holds (parties, places, dates,
    negation, hedges) is the reader's; what it reports is decided here."""

    def __init__(self, reader: SentenceReader) -> None:
        self.reader = reader
        self.lexicon = reader.lexicon

    def _groups(self, info: Analysis) -> list[Group]:
        # "سيجري زيارة رسمية إلى أديس أبابا", "Trump will visit China": one side's leader visiting
        # the other side is a summit (typed by its verb, or by the visit word's own tense).
        visits = [v for v in info.get("visit_noun") if self.reader.leader_visit(info, v.start, v.end)]
        nouns = sorted(
            info.get("round") + info.get("summit") + info.get("self_round") + info.get("self_announced") + visits,
            key=lambda m: m.start,
        )
        tense = {m.start: "announced" for m in info.get("visit_future")}
        tense.update({m.start: "held" for m in info.get("visit_past")})
        people = [(m.start, m.end) for m in info.get("not_round")]
        # "الجولة الأخيرة من العقوبات", "a new round of tariffs": a round of something else.
        others = [m.start for m in info.get("not_meeting_of")]
        subjects = [m.start for m in info.get("topic_prep")]
        named = {j for m in info.get("country") + info.get("person") for j in range(m.start, m.end)}
        groups: list[Group] = []
        for m in nouns:
            if any(s < m.end and m.start < e for s, e in people):
                continue  # "переговорщики": the negotiators, not a negotiation
            if any(
                0 <= o - m.end <= NOT_MEETING_REACH
                and info.clause(o) == info.clause(m.start)
                and not any(m.end <= t < o for t in subjects)
                for o in others
            ):
                continue  # ("talks on tariffs" are talks: a subject word stands between)
            own = {"self_round": "held", "self_announced": "announced"}.get(m.category)
            if m.category == "visit_noun":
                own = tense.get(m.start)
            if own and not self.reader.party_near(info, m.start, m.end):
                continue
            # "the first round of Russia-U.S. talks": the parties' names do not part the nouns.
            nouns_only = bool(groups) and groups[-1].own is None and m.category in ("round", "summit")
            skip = named if nouns_only else set()
            gap = sum(1 for j in range(groups[-1].end, m.start) if j not in skip) if groups else 0
            near = bool(groups) and gap <= GROUP_GAP
            # "the first meeting since the Alaska summit": two meetings, not one.
            # "محادثات لضمان عقد اجتماع" (talks to ensure a meeting): an aim word parts them too.
            between = near and any(groups[-1].end <= a.start < m.start for a in info.get("after") + info.get("aim"))
            # "a meeting to arrange the Budapest summit": a purpose clause parts them as well.
            purpose = self.lexicon.words("purpose")
            between = between or (near and any(t in purpose for t in info.sentence.tokens[groups[-1].end : m.start]))
            if near and not between and info.clause(m.start) == info.clause(groups[-1].start):
                g = groups[-1]
                g.end = max(g.end, m.end)
            else:
                g = Group(m.start, m.end)
                groups.append(g)
            g.summit |= m.category in ("summit", "visit_noun")
            if own and (g.own is None or own == "announced"):
                g.own = own
        self._assign_markers(info, groups)
        return groups

    def _assign_markers(self, info: Analysis, groups: list[Group]) -> None:
        """Each marker types only the noun group nearest to it (or its clause's, at clause end)."""
        if not groups:
            return
        late: list[tuple[int, str, Match]] = []
        intent_ends = {m.end for m in info.get("announced") + info.get("proposal") + info.get("aim")}
        calls = [c.start for c in info.get("call")]
        for status in ("held", "announced"):
            for m in info.get(status):
                if any(g.start <= m.start < g.end and g.own for g in groups):
                    continue
                if any(0 <= c - m.end <= CALL_REACH for c in calls):
                    continue  # "أجرى مكالمة هاتفية", "held a phone call": the verb is the call's
                if status == "held" and m.start in intent_ends:
                    continue  # "تعتزمان عقد جولة": the verbal noun after an intent verb
                if self._in_where_clause(info, groups, m):
                    continue  # "… to Moscow, where their analysis is being carried out": the place's
                typed = self._typed_group(info, groups, status, m)
                if typed is not None:
                    groups[typed].markers.append((status, m))
                    continue
                final = self._final_verb_group(info, groups, status, m)
                if final is not None:
                    late.append((final, status, m))
        marked = {i for i, g in enumerate(groups) if g.markers}
        for i, status, m in late:
            if i not in marked:
                groups[i].markers.append((status, m))

    @staticmethod
    def _in_where_clause(info: Analysis, groups: Sequence[Group], m: Match) -> bool:
        """Whether the marker ``m`` stands in a "where" clause with no meeting of its own."""
        clause = info.clause(m.start)
        return any(
            w.start < m.start
            and info.clause(w.start) == clause
            and not any(
                w.start < g.start < m.start or (m.end <= g.start and info.clause(g.start) == clause) for g in groups
            )
            for w in info.get("where_clause")
        )

    def _typed_group(self, info: Analysis, groups: list[Group], status: str, m: Match) -> int | None:
        """The group a marker types: the noun its relative clause hangs on, else the nearest
        group, else the last group of its clause when the marker ends the clause; or None."""
        # "دور نخست گفت‌وگوها که در ریاض برگزار شد": the verb closing a relative clause
        # belongs to the noun the clause hangs on, not to a noun after it.
        relatives = info.get("relative")
        hung = [
            i
            for i, g in enumerate(groups)
            if any(g.end <= r.start and 0 < m.start - r.end <= RELATIVE_REACH for r in relatives)
            and not any(g.end <= o.start < m.start for o in groups)
            and info.clause(g.start) == info.clause(m.start)
        ]
        if hung:
            return hung[-1]
        # "على عقد قمة", "to hold talks": a marker led by a preposition governs what follows.
        toks = info.sentence.tokens
        ahead_only = toks[m.start] in self.lexicon.words("governs_ahead")
        # "دور پنجم مذاکرات … پایان یافت و قرار است دور بعدی …": a verb followed by "and" closes
        # what came before it; the meeting after the "and" is another's.
        behind_only = m.end < len(toks) and toks[m.end] in self.lexicon.words("coordination")

        # "A meeting … has ended in New York on the sidelines of the 80th session": the host event
        # after "sidelines" is a setting, not what the verb speaks of.
        def dist(g: Group) -> int:
            if (ahead_only and g.start < m.end) or (behind_only and g.start >= m.end) or self._hosted(info, g):
                return 99
            return distance(g.start, g.end, m.start, m.end)

        dists = [dist(g) for g in groups]
        best = min(range(len(groups)), key=lambda i: dists[i])
        if dists[best] <= MARKER_WINDOW:
            # "talks aimed at preparing a summit were held", "این نشست با هدف … دیدار سران
            # … انجام شد": a final verb skips the meetings inside a purpose phrase.
            while (
                best > 0
                and status == "held"
                and m.start - groups[best].end >= 2
                and self._in_purpose(info, groups, best)
            ):
                best -= 1
            return best
        clause = info.clause(m.start)
        rest = sum(1 for j in range(m.end, len(info.sentence.tokens)) if info.clause(j) == clause)
        same = [i for i, g in enumerate(groups) if info.clause(g.start) == clause and g.end <= m.start]
        if rest <= 2 and same:
            return same[-1]
        return None

    def _final_verb_group(self, info: Analysis, groups: list[Group], status: str, m: Match) -> int | None:
        """The unmarked group a far clause-final verb may still type (Persian, Russian
        participles), once no marker nearer types it; or None."""
        before = [i for i, g in enumerate(groups) if g.end <= m.start]
        # "این نشست با هدف … امکان‌سنجی دیدار سران … انجام شد": a meeting inside a purpose
        # phrase is not the subject of the clause's final verb; the meeting before it is.
        while len(before) > 1 and self._in_purpose(info, groups, before[-1]):
            before.pop()
        late_ok = status == "held" and before and m.start - groups[before[-1]].end <= LATE_VERB
        if late_ok and not groups[before[-1]].markers:
            return before[-1]
        return None

    def _governing_status(self, info: Analysis, marker: Match) -> str | None:
        """The status of the verb that a purpose infinitive ("لعقد", "to hold") depends on."""
        clause = info.clause(marker.start)
        found: list[tuple[int, str]] = []
        for category, status in (
            ("held", "held"),
            ("announced", "announced"),
            ("self_round", "held"),
            ("self_announced", "announced"),
        ):
            for m in info.get(category):
                token = info.sentence.tokens[m.start]
                intent = token in self.lexicon.words("intent")
                if m.end <= marker.start and info.clause(m.start) == clause and not intent:
                    found.append((m.end, status))
        return max(found)[1] if found else None

    @staticmethod
    def _historic(info: Analysis, ctx: Context, g: Group) -> bool:
        """Whether a year next to the meeting puts it years before the article ("their summit in
        Helsinki in 2018", "the 1991 declaration"): history recalled for comparison, not news."""
        return _years_before(info, ctx, g.start, g.end, whole=False)

    @staticmethod
    def _aim_object(info: Analysis, g: Group, marker: Match | None) -> bool:
        """Whether an aim word (attempt, readiness, ensure) right before the meeting governs it.

        An aim word that is part of the meeting's verb ("would hold talks") does not, nor one
        before a meeting that its own attribute types ("preparations for the upcoming summit").
        """
        if marker is not None and marker.start >= g.end:
            # "planning for another round of negotiations was underway": the verb is the planning's.
            return any(
                m.end <= g.start and g.start - m.end <= AIM_REACH and info.clause(m.start) == info.clause(g.start)
                for m in info.get("preparation")
            )
        return any(
            m.end <= g.start
            and g.start - m.end <= AIM_REACH
            and info.clause(m.start) == info.clause(g.start)
            and (marker is None or m.end <= marker.start or m.start >= marker.end)
            for m in info.get("aim")
        )

    @staticmethod
    def _hosted(info: Analysis, g: Group) -> bool:
        """Whether the meeting named is the host event of another ("on the sidelines of …")."""
        return any(m.end <= g.start and g.start - m.end <= SIDELINES_REACH for m in info.get("sidelines"))

    def _called_off(self, info: Analysis, g: Group) -> tuple[str, Match] | None:
        """("postponed" | "cancelled", the word) when the sentence puts off or calls off this meeting.

        The word must be near the meeting (in its clause, or across commas when no other clause
        reports a holding) and not negated, hedged, conditional or denied: "denied that the summit
        was cancelled" and "may be postponed" state nothing.
        """
        if info.get("denial") or info.get("conditional"):
            return None
        held_clauses = {info.clause(h.start) for h in info.get("held") + info.get("self_round")}
        nouns = info.get("round") + info.get("summit")
        found = []
        for status, category in (("postponed", "postpone"), ("cancelled", "call_off")):
            for m in info.get(category):
                near = distance(g.start, g.end, m.start, m.end)
                # "The summit the two leaders were due to hold …, has been called off": with no other
                # meeting between them, the verb reaches its subject further back.
                between = any(g.end <= n.start < m.start or m.end <= n.start < g.start for n in nouns)
                # "بعد تأجيلها مرتين، عقدت الجولة": a holding reported in another clause wins.
                # "called off a meeting to arrange the summit": the word puts off the nearer meeting.
                # "Talks due Sunday between the leaders of … were called off": in one clause, the
                # verb after its subject reaches it over any length.
                subject = g.end <= m.start and info.clause(g.start) == info.clause(m.start)
                if between or (near > LATE_VERB and not subject) or held_clauses - {info.clause(m.start)}:
                    continue
                negated = any(
                    n.end <= m.start
                    and m.start - n.end < NEGATION_WINDOW
                    and info.clause(n.start) == info.clause(m.start)
                    for n in info.get("negation")
                )
                if negated or self.reader.hedged(info, m.start, m.end):
                    continue
                found.append((near, status, m))
        if not found:
            return None
        _, status, m = min(found, key=lambda f: f[0])
        return status, m

    def _type_group(self, info: Analysis, g: Group, ctx: Context, dates: Sequence[DateHit]) -> None:
        """Set ``g.status`` (held, announced, postponed, cancelled) and the marker that says so, or
        leave it None when the group is no meeting of the track: a called-off meeting first, then
        what rules a meeting out, then its nearest marker, else its date."""
        off = self._called_off(info, g)
        if off is not None:
            g.status, g.marker = off
            return
        if self._not_a_meeting(info, g):
            return
        candidates = self._markers(info, g)
        if self._aim_object(info, g, candidates[0][3] if candidates else None):
            # "في محاولة لإحياء المحادثات", "لضمان عقد اجتماع", "ready for talks": the meeting is
            # what someone tries, hopes or stands ready for, not a fact or a plan.
            return
        departure = self._departed_for(info, g)
        if departure is not None and (not candidates or candidates[0][2] == "announced"):
            # "توجه عراقجي إلى مسقط للمشاركة في الجولة الثالثة", "left for Muscat to attend the
            # talks": the talks are still to come when the delegate sets off.
            g.status, g.marker = "announced", departure
            return
        arrival = self._arrived_for(info, g, ctx, dates)
        if arrival is not None and (not candidates or candidates[0][2] == "announced"):
            # "Делегация России прибыла для переговоров", "arrived in Washington to hold talks":
            # the delegation came for talks that take place on its arrival.
            g.status, g.marker = "held", arrival
            return
        if candidates:
            _, _, status, marker = candidates[0]
            if status == "announced" and self._unfulfilled(info, g, marker):
                return  # "وكان من المفترض أن يجتمع الرئيسان", "talks had been expected": a past plan
            self._type_by_marker(info, g, ctx, dates, status, marker)
            return
        # No verb: a stated date says whether the meeting is past or to come, unless the meeting
        # is what someone stands ready for or would hold on a condition ("ready to meet him, if he
        # comes to Moscow"): the date is then the statement's.
        if self.reader.aimed(info, g.start) or any(m.start >= g.end for m in info.get("conditional")):
            return
        if self.reader.hedged(info, g.start, g.end):
            return  # "احتمالات نجاح اللقاء", "the chances of the meeting": the date is the statement's
        g.status = self._status_by_date(info, g, ctx, dates)

    @staticmethod
    def _unfulfilled(info: Analysis, g: Group, marker: Match) -> bool:
        """Whether a past-plan phrase ("was supposed to", "كان من المفترض أن يجتمع") announces the
        meeting after it in its clause (a relative clause after the noun, "اللقاء الذي كان مزمعا",
        only describes the meeting the sentence goes on about)."""
        clause = info.clause(g.start)
        lo = min(g.start, marker.start)
        return any(
            u.start < g.start and lo - u.end <= UNFULFILLED_REACH and info.clause(u.start) == clause
            for u in info.get("unfulfilled")
        )

    def _departed_for(self, info: Analysis, g: Group) -> Match | None:
        """The departure verb a meeting is the purpose of (shortly before it; the traveller's name,
        the time and the destination between them, commas included), when not negated or hedged."""
        clause = info.clause(g.start)
        # "توجه … على رأس وفد إلى أنقرة لحضور اجتماع": the meeting named as the journey's purpose.
        attend = self.lexicon.words("attend")
        purpose = any(t in attend for t in info.sentence.tokens[max(0, g.start - 2) : g.start])
        departures = [
            m
            for m in info.get("departure")
            if m.end <= g.start and (purpose or g.start - m.end <= DEPARTURE_REACH) and info.clause(m.start) <= clause
        ]
        if not departures or self.reader.negated(info, departures[-1].start):
            return None
        return None if self.reader.hedged(info, departures[-1].start, g.end) else departures[-1]

    def _arrived_for(self, info: Analysis, g: Group, ctx: Context, dates: Sequence[DateHit]) -> Match | None:
        """The arrival verb a meeting is the purpose of (in its clause, shortly before it), when
        neither a hedge, "ahead of" nor a day ahead of publication makes the talks still to come."""
        clause = info.clause(g.start)
        arrivals = [
            m
            for m in info.get("arrival")
            if m.end <= g.start and g.start - m.end <= ARRIVAL_REACH and info.clause(m.start) == clause
        ]
        if not arrivals or self._ahead(dates, ctx) or self.reader.hedged(info, arrivals[-1].start, g.end):
            return None
        if any(arrivals[-1].end <= b.start < g.start for b in info.get("before") + info.get("to_begin")):
            # "arrived on Tuesday ahead of planned talks", "arrived in Egypt to begin negotiations":
            # the talks are to come.
            return None
        return arrivals[-1]

    def _not_a_meeting(self, info: Analysis, g: Group) -> bool:
        """Whether the group names no meeting of the track: negated, a host event, a body's
        meeting, a call, a meeting with an outsider, or the talks going on."""
        if self.reader.negated(info, g.start):
            return True
        if self._hosted(info, g):
            return True  # "on the sidelines of the ASEAN summit": the host event, not a development
        if any(-2 <= m.start - g.end <= 2 or 0 <= g.start - m.end <= 1 for m in info.get("organization")):
            return True  # "اجتماع مجلس الأمن", "the NATO summit": a body's meeting, not the track's
        if g.summit and any(0 <= m.start - g.end <= 1 or 0 <= g.start - m.end <= 1 for m in info.get("forum")):
            return True  # "القمة الأفريقية", "the Arab summit": a regional forum's summit
        both = bool(self.reader.parties) and all(side & info.parties for side in self.reader.parties)
        if not both and any(-2 <= m.start - g.end <= 2 or 0 <= g.start - m.end <= 1 for m in info.get("ministerial")):
            return True  # "the OSCE ministerial meeting": a body's session, unless the two sides are its parties
        if any(0 <= m.start - g.end <= 1 or 0 <= g.start - m.end <= 1 for m in info.get("remote")):
            return True  # "محادثات هاتفية", "telephone talks": a call
        if self._with_outsider(info, g) or self._outsider_met(info, g):
            return True  # "اجتماعه المرتقب مع الرئيس الأوكراني": a meeting with someone else
        if self._mediator_only(info, g):
            return True  # "وفد حماس يتوجه إلى القاهرة للقاء مسؤولين مصريين": one side with the mediator
        # "اتفقا على مواصلة المفاوضات", "ready to continue talks": the process goes on; no meeting
        # is set by it, and the talks it continues are reported (or not) on their own.
        return any(
            m.end <= g.start and g.start - m.end <= CONTINUE_REACH and info.clause(m.start) == info.clause(g.start)
            for m in info.get("continue")
        )

    @staticmethod
    def _markers(info: Analysis, g: Group) -> list[tuple[int, int, str, Match]]:
        """The markers that could type the group, nearest first (on a tie the announcement wins:
        "خطط لعقد محادثات" is intent, not a holding)."""
        candidates: list[tuple[int, int, str, Match]] = []
        # "will also begin negotiations", "سوف تبدأ": a verb of holding under a future word is a plan.
        future_ends = [a.end for a in info.get("announced")]
        for status, m in g.markers:
            clause = info.clause(m.start)
            if status == "held" and any(0 <= m.start - e <= 1 and info.clause(e) == clause for e in future_ends):
                status = "announced"
            candidates.append((distance(g.start, g.end, m.start, m.end), 0 if status == "announced" else 1, status, m))
        for m in info.get("after"):
            if m.end <= g.start and g.start - m.end <= 2 and info.clause(m.start) == info.clause(g.start):
                candidates.append((0, 1, "held", m))
        # "لبدء مفاوضات", "to begin talks": the talks are what someone comes or prepares for.
        for m in info.get("weak_announced") + info.get("to_begin"):
            if m.end <= g.start and g.start - m.end <= 1:
                candidates.append((0, 0, "announced", m))
        if g.own:
            candidates.append((0, 0 if g.own == "announced" else 1, g.own, Match("self", "", g.start, g.end)))
        candidates.sort(key=lambda c: (c[0], c[1]))
        return candidates

    def _type_by_marker(
        self, info: Analysis, g: Group, ctx: Context, dates: Sequence[DateHit], status: str, marker: Match
    ) -> None:
        """Type the group by its nearest marker, corrected by hedges, intent and dates."""
        if self.reader.negated(info, marker.start):
            return
        lo, hi = min(marker.start, g.start), max(marker.end, g.end, self._predicate_end(info, g))
        g.tentative = self.reader.hedged(info, lo, hi)
        g.status = "announced" if g.tentative else status
        g.marker = marker
        g.content = any(c.start == marker.start for c in info.get("content"))
        if g.status == "announced" and self.reader.undone(info):
            g.status, g.marker = None, None
            return
        intent = info.sentence.tokens[marker.start] in self.lexicon.words("intent")
        governing = self._governing_status(info, marker) if intent else None
        if intent and governing is None and self.reader.aimed(info, marker.start):
            # "مستعدة لإجراء محادثات", "ready to hold talks": a disposition, not a plan.
            g.status, g.marker = None, None
            return
        if status == "held" and marker.category == "after" and self._ahead(dates, ctx):
            # "خلال اجتماع في اسطنبول يوم 2 يونيو" written on 28 May: a meeting still to come.
            g.status = "announced"
        elif governing is not None and not g.tentative:
            # "التقى دبلوماسيون ... لإجراء محادثات", "met … to hold talks": the verb before says.
            g.status = governing
        elif g.status == "announced" and intent and not g.tentative and any(_past_day(h) for h in dates):
            # "returned to Istanbul last Thursday to hold the round": a past day wins.
            g.status = "held"
        elif g.status == "held" and self._future_in_clause(info, marker, dates):
            # "محادثات تعقد يوم الاثنين المقبل": the present tense with a future date (in its
            # clause: "the talks began and will go on tomorrow" were held).
            g.status = "announced"
        elif g.status == "announced" and not g.tentative and self._under_way_today(info, marker):
            # "الدوحة تستضيف اليوم الأحد جولة مفاوضات": the present tense on the story's day, under way.
            g.status = "held"

    @staticmethod
    def _future_in_clause(info: Analysis, marker: Match, dates: Sequence[DateHit]) -> bool:
        """Whether one of ``dates`` in the marker's clause is still to come."""
        clause = info.clause(marker.start)
        return any(
            is_future(hit) and info.clause(start) == clause and any(hit is d for d in dates)
            for start, _, hit in info.dates
        )

    def _under_way_today(self, info: Analysis, marker: Match) -> bool:
        """Whether an Arabic present-tense verb (no future prefix) right next to "today" ("اليوم")
        types the meeting, or a Persian compound verb in the present with "today" shortly before it
        in its clause ("امروز … در تهران برگزار می‌شود")."""
        words = info.sentence.tokens[marker.start : marker.end]

        def today(before: int, after: int) -> bool:
            return any(
                (hit.direction == "today" or hit.relative == ("day", 0))
                and (0 <= s - marker.end <= after or 0 <= marker.start - e <= before)
                and info.clause(s) == info.clause(marker.start)
                for s, e, hit in info.dates
            )

        if len(words) > 1:
            compound = any(words[-1].startswith(p) for p in self.lexicon.words("compound_present"))
            return compound and today(TODAY_BEFORE_COMPOUND, 0)
        present = words[0][:1] in self.lexicon.words("present_prefixes")
        future = any(words[0].startswith(p) for p in self.lexicon.words("future_prefixes"))
        return present and not future and today(1, 1)

    @staticmethod
    def _predicate_end(info: Analysis, g: Group) -> int:
        """The end of the verb shortly after the meeting that predicates it in its clause ("الجولة
        المقبلة من المفاوضات قد تعقد في مسقط"), else the meeting's end: a hedge before that verb
        hedges the meeting."""
        clause = info.clause(g.start)
        verbs = [
            m.end
            for category in ("held", "announced")
            for m in info.get(category)
            if 0 <= m.start - g.end <= PREDICATE_REACH and info.clause(m.start) == clause
        ]
        return min(verbs, default=g.end)

    @staticmethod
    def _status_by_date(info: Analysis, g: Group, ctx: Context, dates: Sequence[DateHit]) -> str | None:
        """A meeting with no marker: held or announced by the first date that says which."""
        for hit in dates:
            if hit.relative is not None and hit.relative[0] == "day" and ctx.published is not None:
                if hit.relative[1] == 0:
                    continue  # "today's meeting": over or still to come, the day does not say
                # "talks in Istanbul yesterday were constructive", "talks tomorrow".
                return "announced" if hit.relative[1] > 0 else "held"
            if hit.weekday is not None and ctx.published is not None:
                # "Thursday's talks", "talks on Monday": the nearer such day, unless the text says.
                ahead = (hit.weekday - ctx.published.weekday()) % 7
                behind = (ctx.published.weekday() - hit.weekday) % 7
                nearer_ahead = hit.direction == "next" or (hit.direction != "past" and 0 < ahead < behind)
                return "announced" if nearer_ahead else "held"
            if not hit.absolute or (hit.day is None and ctx.published is None):
                continue
            span = info.sentence.token_at(hit.start), info.sentence.token_at(hit.end)
            if hit.day is None and distance(g.start, g.end, *span) > 2:
                continue  # "since taking office in January … talks": a month far off dates something else
            if hit.direction in ("next", "past"):
                return "announced" if hit.direction == "next" else "held"
            late = False
            if ctx.published is not None and hit.calendar == "gregorian" and hit.month is not None:
                pub = ctx.published.date()
                year = hit.year or pub.year
                late = (year, hit.month, hit.day or 0) > (pub.year, pub.month, pub.day if hit.day else 0)
            return "announced" if late else "held"
        return None

    def sentence_drafts(self, info: Analysis, ctx: Context) -> list[Statement]:
        if not any(info.matches.get(c) for c in DRAFT_SOURCES):
            return []  # (most sentences: the rules below would find nothing to read)
        groups = self._groups(info)
        deals = self._deal_triggers(info)
        # Type the groups with their own dates first (a date-only meeting needs them).
        pre_anchors = [(g.start, g.end) for g in groups] + [(m.start, m.end) for _, m in deals]
        for i, g in enumerate(groups):
            self._type_group(info, g, ctx, self.reader.owned_dates(info, pre_anchors, i))
            previous = groups[i - 1] if i else None
            # "met on Thursday in Istanbul for a second round of talks": the verb's meeting.
            if (
                g.status is None
                and not g.summit
                and previous is not None
                and previous.own is not None
                and previous.status is not None
                and info.clause(previous.start) == info.clause(g.start)
                and g.start - previous.end <= SELF_REACH
            ):
                g.status, g.tentative = previous.status, previous.tentative
        for i, g in enumerate(groups):
            # "met on the sidelines of the EPC summit in Tirana": the host event's place is the
            # meeting's, so the search for a place goes on past the host.
            after = [o for o in groups[i + 1 :] if not self._hosted(info, o)]
            stop = after[0].start if after else None
            # A place between an earlier meeting of the clause and this one is the earlier one's.
            floor = max((o.end for o in groups[:i] if info.clause(o.start) == info.clause(g.start)), default=0)
            g.location = self.reader.group_location(info, g, stop, floor)
        for m in info.get("proposal"):
            if self._outsiders_offer(info, m):
                # "عرض كازاخستان لاستضافة محادثات": the talks are the outsider's offer, not a plan.
                for g in groups:
                    if 0 <= g.start - m.end <= ACCEPT_REACH and info.clause(g.start) == info.clause(m.start):
                        g.suppressed = True
        drafts = self._deal_drafts(info, ctx, groups, deals)
        drafts.extend(self._exchange_drafts(info, ctx, groups, deals))
        anchors = [(g.start, g.end) for g in groups] + [(m.start, m.end) for _, m in deals]
        spans = {i: (g.marker.start, g.marker.end) for i, g in enumerate(groups) if g.marker is not None}
        for i, g in enumerate(groups):
            if g.status is None or g.suppressed or self._first_since(info, groups, g):
                continue
            dates = self.reader.owned_dates(info, anchors, i, markers=spans)
            if g.marker is not None and g.marker.category == "departure":
                # "توجه … مساء أمس السبت … لحضور اجتماع": the day before the meeting is the journey's.
                dates = [h for h in dates if info.sentence.token_at(h.start) >= g.start]
            drafts.extend(self._event_drafts(info, ctx, g, dates))
        return drafts

    def _event_drafts(self, info: Analysis, ctx: Context, g: Group, dates: list[DateHit]) -> list[Statement]:
        if self._historic(info, ctx, g):
            return []
        summit = g.summit or self.reader.leaders_meet(info, g)
        etype: DevelopmentType = f"{'summit' if summit else 'round'}_{g.status}"  # type: ignore[assignment]
        # A meeting put off or called off was a plan: its date reads as a plan's.
        announced = g.status != "held"
        new_round = not summit and any(g.start - 1 <= m.start <= g.end + 1 for m in info.get("new"))

        city, country = self.reader.split_place(g.location)
        if self._visit_elsewhere(info, g, country):
            return []

        def draft(date: Resolved, ordinal: int | None) -> Statement:
            return Statement(
                etype,
                info.sentence,
                city,
                date,
                ordinal,
                set(info.topics),
                set(info.actors),
                g.tentative,
                new_round,
                country=country,
                # "another meeting on 27 February in Turkey focused on …" states a meeting of its own.
                content=g.content and ordinal is None and country is None and not any(h.absolute for h in dates),
                background=g.marker is not None and g.marker.category == "after",
            )

        # "the previous rounds in Istanbul on 27 February and 10 April": one round per date.
        first = info.sentence.starts[g.start]
        days = [h for h in dates if h.absolute and h.start >= first]
        if not announced and len(days) >= 2 and len({h.day is None for h in days}) == 1:
            days.sort(key=lambda h: h.start)
            ordinals = sorted(self.reader.ordinals(info, g.start, g.end, reach=4))
            values = [v for _, v in ordinals] if len(ordinals) == len(days) else [None] * len(days)
            return [draft(resolve(h, ctx.published, ctx.year, False), v) for h, v in zip(days, values, strict=True)]
        ordinals = self.reader.ordinals(info, g.start, g.end)
        ordinal = None if new_round or not ordinals else ordinals[0][1]
        date = self.reader.resolve_date(info, dates, announced, ctx)
        if not announced and date.precision == "day" and self._ended(info, g):
            # "اختتمت المحادثات الأحد بعد يومين", "concluded two days of talks on Sunday": the day
            # given is the last; a meeting is dated by its first.
            lengths = [int(m.value) for m in info.get("duration") if distance(g.start, g.end, m.start, m.end) <= 4]
            if lengths and date.date is not None:
                start = (dt.date.fromisoformat(date.date) - dt.timedelta(days=max(lengths) - 1)).isoformat()
                date = Resolved(start, "day", start)
        past = self._recent_past(dates, ctx) if g.status == "announced" and not g.tentative else None
        if past is not None:
            # "the summit on 15 August", read in September: a past event stated as a fact.
            etype = "summit_held" if summit else "round_held"
            date = past
        return [draft(date, ordinal)]

    def _visit_elsewhere(self, info: Analysis, g: Group, country: str | None) -> bool:
        """Whether the "meeting" is only a visit by one side to an outside country ("Bessent plans
        to join Trump for a state visit in London"): no meeting of the track."""
        reader = self.reader
        if not reader.parties or country is None or country in reader.inside or country in reader.mediators:
            return False
        nouns = [m for m in info.get("round") + info.get("summit") if g.start <= m.start < g.end]
        visits = {(v.start, v.end) for v in info.get("visit_noun")}
        only_visits = bool(nouns) and all(
            any(s <= m.start < e or m.start <= s < m.end for s, e in visits) for m in nouns
        )
        return only_visits and not all(info.parties & side for side in self.reader.parties)

    def _ended(self, info: Analysis, g: Group) -> bool:
        """Whether the meeting is reported as ended (its marker an end verb, or "after" it)."""
        if g.marker is None:
            return False
        words = self.lexicon.words("end_verbs")
        return g.marker.category == "after" or info.sentence.tokens[g.marker.start] in words

    @staticmethod
    def _first_since(info: Analysis, groups: Sequence[Group], g: Group) -> bool:
        """Whether the meeting is "the first … since" another one ("في أول لقاء مباشر بينهما منذ"):
        a description of another meeting the sentence reports, not a meeting of its own."""
        if len(groups) < 2 or not any(g.start - 2 <= m.start < g.start and m.value == "1" for m in info.get("ordinal")):
            return False
        since = any(0 <= a.start - g.end <= SINCE_REACH for a in info.get("after"))
        return since and any(o is not g and o.status is not None for o in groups)

    @staticmethod
    def _in_purpose(info: Analysis, groups: Sequence[Group], k: int) -> bool:
        """Whether an aim word stands between meeting ``k`` and the meeting before it."""
        return k > 0 and any(groups[k - 1].end <= a.start < groups[k].start for a in info.get("aim"))

    @staticmethod
    def _ahead(dates: Sequence[DateHit], ctx: Context) -> bool:
        """Whether the meeting's year-less day falls in the weeks after publication."""
        if ctx.published is None:
            return False
        today = ctx.published.date()
        for hit in dates:
            if hit.day is None or hit.year is not None or hit.calendar != "gregorian" or is_past(hit):
                continue
            ahead = resolve(hit, ctx.published, ctx.year, True)
            if ahead.date is not None and 0 < (dt.date.fromisoformat(ahead.date) - today).days <= RECENT_PAST:
                return True
        return False

    @staticmethod
    def _recent_past(dates: Sequence[DateHit], ctx: Context) -> Resolved | None:
        """The date of an "announced" meeting when it lies days to weeks before publication.

        A year-less day up to ``RECENT_PAST`` days back is read as past rather than as next year's.
        """
        if ctx.published is None or not dates:
            return None
        hit = dates[0]
        if hit.day is None or hit.calendar != "gregorian" or hit.direction == "next" or is_future(hit):
            return None
        past = resolve(hit, ctx.published, ctx.year, False)
        if past.date is None:
            return None
        behind = (ctx.published.date() - dt.date.fromisoformat(past.date)).days
        return past if 2 < behind <= RECENT_PAST else None

    # ---------------------------------------------------------------- agreements and proposals
    def _deal_triggers(self, info: Analysis) -> list[tuple[str, Match]]:
        found: list[tuple[str, Match]] = []
        blocked = info.get("announced") + info.get("false_friend")
        # "أدى إلى تحقيق بعض التقدم، مثل ضمان الخدمات المصرفية": progress with what it achieved named.
        achieved = [
            Match("agreement", m.value, m.start, m.end)
            for m in info.get("progress")
            if any(0 <= e.start - m.end <= EXAMPLE_REACH for e in info.get("example"))
        ]
        achieved += self._signed_after_subject(info)
        for category in ("agreement", "proposal"):
            taken: list[tuple[int, int]] = []
            listed = info.get(category) + (achieved if category == "agreement" else [])
            for m in sorted(listed, key=lambda m: (m.start, -m.end)):
                if any(m.start < e and s < m.end for s, e in taken):
                    continue
                # "will sign an agreement" is blocked; "signed the much-anticipated peace agreement"
                # is not: only the trigger's own first and last words count, not the words it skips.
                if any(b.start <= m.start < b.end or b.start < m.end <= b.end for b in blocked):
                    continue
                if self.reader.negated(info, m.start) or self.reader.hedged(info, m.start, m.end):
                    continue
                if category == "agreement" and self.reader.aimed(info, m.start):
                    continue
                if category == "agreement" and self._spoken_of(info, m):
                    continue  # "مشددا على أن التوصل إلى اتفاق يتطلب وقتا": reaching a deal talked about
                if category == "agreement" and self._future_verb_before(info, m.start):
                    continue  # "زيارة ستتضمن توقيع اتفاقيات": a signing to come
                if any(0 <= m.start - p.end <= DISCUSS_REACH for p in info.get("discuss_purpose")):
                    continue  # "لمناقشة مقترح اتفاق السلام", "to discuss a deal": the talks' subject
                if any(0 <= m.start - p.end <= PROGRESS_REACH for p in info.get("in_progress")):
                    continue  # "بصدد بلورة مقترح", "in the process of drafting a proposal": not made yet
                if self._talks_about(info, m):
                    continue  # "محادثات حول اتفاق أمني", "talks on a security deal": the subject again
                if any(0 <= h.start - m.end <= POST_HEDGE_REACH for h in info.get("hedge")):
                    continue  # "اتفاق أمني محتمل" (a possible security agreement): the adjective follows
                if category == "agreement" and self._agreed_to_continue(info, m):
                    continue
                if self.reader.inside and self._outsider_near(info, m.start, m.end, people=False):
                    continue  # "Iran and the IAEA signed an agreement": a deal with someone else
                if category == "proposal" and m.end - m.start == 1 and self._qualifies(info, m):
                    continue  # "a proposed 30-day ceasefire": the ceasefire is named, not proposed here
                if category == "proposal" and self._proposal_to_come(info, m.start):
                    continue  # "would submit a counter-proposal", "ستقدم مقترحا": not made yet
                if category == "proposal" and self.reader.inside and not info.parties & self.reader.inside:
                    continue
                if category == "proposal" and self._outsiders_offer(info, m):
                    continue
                taken.append((m.start, m.end))
                if category == "agreement" and self._accepts_mediators_offer(info, m):
                    found.append(("proposal", m))  # one side's answer to the mediators, not a deal of both
                    continue
                found.append((category, m))
        return found

    def _qualifies(self, info: Analysis, m: Match) -> bool:
        """Whether a one-word proposal trigger is a participle used as an adjective: a determiner
        right before it and a word right after ("a proposed ceasefire", "Trump's proposed plan"),
        or a definite participle after a definite noun ("الجولة الثالثة المقترحة")."""
        toks = info.sentence.tokens
        if m.start == 0:
            return False
        # "الجولة الثالثة المقترحة", "الخطة المقترحة": a definite adjective after a definite noun.
        if toks[m.start].startswith("ال") and toks[m.start - 1].startswith("ال"):
            return True
        participle = toks[m.start].endswith("ed")
        after = m.end < len(toks) and toks[m.end] not in self.lexicon.words("determiners")
        return participle and toks[m.start - 1] in self.lexicon.words("determiners") and after

    def _accepts_mediators_offer(self, info: Analysis, m: Match) -> bool:
        """Whether the deal is one side accepting a mediator's proposal ("حماس توافق على مقترح قطر
        ومصر", "accepted the Egyptian-Qatari proposal"): its position towards the other side, a
        proposal of the track, not an agreement of both (the other side's proposal accepted is one)."""
        mediators = self.reader.mediators
        if not mediators:
            return False
        nouns = self.lexicon.words("proposal_nouns")
        toks = info.sentence.tokens
        for j in range(max(0, m.end - 1), min(m.end + OFFER_REACH, len(toks))):
            if toks[j] in nouns:
                # "مقترح قطر ومصر", "a framework advanced by US President Donald Trump"
                owners = [c.value for c in info.get("country") if j < c.start <= j + OWNER_REACH]
                owners += [
                    self.lexicon.people[p.value].country for p in info.get("person") if j < p.start <= j + OWNER_REACH
                ]
                return bool(owners) and all(o in mediators for o in owners)
        return False

    def _spoken_of(self, info: Analysis, m: Match) -> bool:
        """Whether a deal is told by its verbal noun ("التوصل إلى اتفاق") with no verb or "after"
        that reports it reached ("تم التوصل", "أعلن … التوصل", "بعد التوصل") before it, a "that"
        ending the search: the reaching of a deal is then a subject, an aim or a condition."""
        toks = info.sentence.tokens
        if toks[m.start] not in self.lexicon.words("verbal_nouns"):
            return False
        governors = self.lexicon.words("verbal_noun_governors")
        that = {c.start for c in info.get("complementizer")}
        for j in range(m.start - 1, max(-1, m.start - GOVERNOR_REACH - 1), -1):
            if toks[j] in governors:
                return False
            if j in that:
                break
        return True

    def _signed_after_subject(self, info: Analysis) -> list[Match]:
        """ "Signed" whose object follows a long subject of names and titles ("وقع رئيس الوزراء
        الإثيوبي آبي أحمد والرئيس الصومالي حسن شيخ محمود على اتفاقية إعلان أنقرة"): an agreement
        trigger from the verb to the deal noun."""
        toks = info.sentence.tokens
        nouns = self.lexicon.words("deal_nouns")
        ahead = self.lexicon.words("governs_ahead")
        found = []
        for v in info.get("sign"):
            j = self.reader.listed_until(info, v.end, len(toks))
            if j == v.end:
                continue
            j += 1 if j < len(toks) and toks[j] in ahead else 0
            if j < len(toks) and toks[j] in nouns and info.clause(j) == info.clause(v.start):
                found.append(Match("agreement", "", v.start, j + 1))
        return found

    def _talks_about(self, info: Analysis, m: Match) -> bool:
        """Whether the deal or proposal ``m`` is only a subject: named after "about" ("درباره پیشنهاد
        ایالات متحده", "about the U.S. proposal"), or what talks named just before are about
        ("محادثات حول اتفاق أمني محتمل", "negotiations on a peace agreement")."""
        preps = [p for p in info.get("topic_prep") if 0 <= m.start - p.end <= 1]
        nouns = self.lexicon.words("deal_nouns") | self.lexicon.words("proposal_nouns")
        near = any(0 <= m.start - p.end <= ABOUT_REACH for p in info.get("topic_prep"))
        if near and info.sentence.tokens[m.start] in nouns:
            return True  # "درباره پیشنهاد ایالات متحده", "about the deal": the subject of something said
        meetings = info.get("round") + info.get("summit")
        return any(0 <= p.start - g.end <= TALKS_ABOUT_REACH for p in preps for g in meetings)

    def _proposal_to_come(self, info: Analysis, start: int) -> bool:
        """Whether a future word or an Arabic future verb stands shortly before ``start`` in its clause."""
        toks = info.sentence.tokens
        clause = info.clause(start)
        near = [j for j in range(max(0, start - FUTURE_REACH), start) if info.clause(j) == clause]
        future = self.lexicon.words("future_words")
        return any(toks[j] in future for j in near) or any(self._future_verb_before(info, j + 1) for j in near)

    def _future_verb_before(self, info: Analysis, start: int) -> bool:
        """Whether the token before ``start`` is an Arabic future-tense verb (سـ + present prefix)."""
        if start == 0:
            return False
        token = info.sentence.tokens[start - 1]
        present = tuple(self.lexicon.words("present_prefixes"))
        return len(token) > FUTURE_VERB_MIN and any(
            token.startswith(f) and token[len(f) :].startswith(present) for f in self.lexicon.words("future_prefixes")
        )

    def _deal_drafts(
        self, info: Analysis, ctx: Context, groups: list[Group], deals: list[tuple[str, Match]]
    ) -> list[Statement]:
        """The agreements and proposals of the sentence (and the summit a signing by both leaders is)."""
        anchors = [(g.start, g.end) for g in groups] + [(m.start, m.end) for _, m in deals]
        spans = {i: (g.marker.start, g.marker.end) for i, g in enumerate(groups) if g.marker is not None}
        accepted = self._accepted_proposals(info, groups, deals)
        drafts: list[Statement] = []
        for k, (category, m) in enumerate(deals):
            if k not in accepted:
                dates = self._deal_dates(info, anchors, len(groups) + k, spans)
                drafts += self._deal(info, ctx, groups, category, m, dates)
        return drafts

    def _deal(
        self, info: Analysis, ctx: Context, groups: list[Group], category: str, m: Match, dates: list[DateHit]
    ) -> list[Statement]:
        """One agreement or proposal trigger ``m`` read: none when it only sets a meeting."""
        if _years_before(info, ctx, m.start, m.end, whole=not dates):
            return []  # "the 2015 nuclear deal", "Under the 2015 agreement, Iran agreed to …": history
        clause = info.clause(m.start)
        # "proposed a ceasefire during talks in Istanbul": talks after "during" are the setting.
        settings = {a.end for a in info.get("after")}
        later = [g for g in groups if g.start >= m.end and info.clause(g.start) == clause and g.start not in settings]
        # "следующую встречу Путин предложил провести в Москве": the object may come first.
        object_first = [g for g in groups if 0 <= m.start - g.end <= 3 and info.clause(g.start) == clause]
        topics = set(info.topics)
        location = None
        if category == "agreement":
            if self._agreed_meeting(info, m, later) or any(self._meeting_aimed_at(info, g) for g in object_first):
                # (object first: "برای برگزاری دور بعدی مذاکرات توافق کردند", agreed to hold the next round)
                return []
            if self._agreed_visit(info, m):
                # "اتفق مع شي على أنه سيزور الصين": agreed on a leader's visit, a summit to come.
                when = self.reader.resolve_date(info, dates, True, ctx)
                return [Statement("summit_announced", info.sentence, None, when, None, topics, set(info.actors))]
        elif (later and later[0].start - m.end <= 12) or object_first:
            # "proposed that the next meeting be held in Moscow": the proposal is the news.
            target = later[0] if later and later[0].start - m.end <= 12 else object_first[-1]
            target.suppressed = True
            location = target.location
            topics.add("follow_up_meeting")
        if location is None:
            location = self._deal_location(info, m, groups)
        city, country = self.reader.split_place(location)
        when = self.reader.resolve_date(info, dates, False, ctx)
        if category == "agreement" and _after_publication(when, ctx):
            return []  # "من المقرر أن يتم التوقيع على الاتفاقية يوم 27 يونيو 2025": a signing to come
        deal = Statement(
            "agreement" if category == "agreement" else "proposal",
            info.sentence,
            city,
            when,
            None,
            topics,
            set(info.actors),
            country=country,
        )
        if category == "agreement" and self._signed_by_leaders(info, m):
            # "President A and Prime Minister B signed a peace deal at the White House": a
            # signing by both leaders is a meeting of theirs, where and when they signed.
            return [deal, dataclasses.replace(deal, type="summit_held", topics=set(topics))]
        return [deal]

    def _agreed_meeting(self, info: Analysis, m: Match, later: list[Group]) -> bool:
        """Whether the agreement ``m`` is only to hold a meeting: "agreed to hold a meeting"
        announces it, and "اتفق مع الرئيس الصيني على الاجتماع" (agreed on a meeting) makes the
        meeting agreed on an announced one (typed here)."""
        if any(g.status == "announced" and g.start - m.end <= 15 for g in later):
            return True
        ahead = self.lexicon.words("governs_ahead")
        agreed_on = [
            g
            for g in later
            if g.status is None
            and not g.suppressed
            and g.start - m.end <= AGREED_ON_REACH
            and info.sentence.tokens[g.start - 1] in ahead
            and not self._hosted(info, g)
        ]
        if agreed_on:
            agreed_on[0].status = "announced"
        return bool(agreed_on)

    def _meeting_aimed_at(self, info: Analysis, g: Group) -> bool:
        """Whether the meeting is one still to come or the purpose of what follows ("برای برگزاری
        دور بعدی مذاکرات", for holding the next round)."""
        purpose = self.lexicon.words("purpose")
        return g.status == "announced" or any(t in purpose for t in info.sentence.tokens[max(0, g.start - 2) : g.start])

    def _agreed_visit(self, info: Analysis, m: Match) -> bool:
        """Whether the agreement ``m`` is on a visit of one side's leader to the other ("agreed with
        Xi that he would visit China early next year")."""
        clause = info.clause(m.start)
        that = [c.start for c in info.get("complementizer")]
        for v in info.get("visit_noun"):
            near = m.end <= v.start <= m.end + AGREED_ON_REACH
            if near and (info.clause(v.start) == clause or any(m.end <= c < v.start for c in that)):
                return self.reader.leader_visit(info, v.start, v.end)
        return False

    def _deal_dates(
        self, info: Analysis, anchors: list[tuple[int, int]], index: int, spans: dict[int, tuple[int, int]]
    ) -> list[DateHit]:
        """The dates the deal at ``anchors[index]`` owns, without the day a deal takes effect
        ("a deal … in force from 14 May" was not made that day)."""
        dates = self.reader.owned_dates(info, anchors, index, report_fallback=True, markers=spans)
        effective = self.lexicon.words("effective_from")
        toks = info.sentence.tokens
        starts = {id(hit): s for s, _, hit in info.dates}
        return [h for h in dates if not (starts[id(h)] > 0 and toks[starts[id(h)] - 1] in effective)]

    def _with_outsider(self, info: Analysis, g: Group) -> bool:
        """Whether the meeting is "with" an outside country or one of its people: the first party
        named after a "with" right after the meeting noun (a title or adjective may stand between)."""
        if not self.reader.inside:
            return False
        # "Aliyev and Pashinyan met with Trump", "оба политика … на встрече с Трампом": both sides
        # are there, and the outsider hosts a three-way meeting of the track.
        clause = info.clause(g.start)
        before = {
            self.lexicon.people[p.value].country
            for p in info.get("person")
            if p.end <= g.start and info.clause(p.start) == clause
        }
        pair = any(
            m.end <= g.start and info.clause(m.start) == clause
            for m in info.get("pair_pronoun") + info.get("party_noun")
        )
        if pair or all(side & before for side in self.reader.parties):
            return False
        for w in info.get("with_party"):
            if not 0 <= w.start - g.end <= WITH_REACH or info.clause(w.start) != info.clause(g.start):
                continue
            named = self._named_countries(info)
            first = next((country for pos, country in named if w.end <= pos <= w.end + WITH_REACH), None)
            return first is not None and first not in self.reader.inside and first not in self.reader.mediators
        return False

    def _country_spans(self, info: Analysis) -> list[tuple[int, int, str]]:
        """(start, end, country) of every country the sentence names, itself or by one of its people."""
        spans = [(p.start, p.end, self.lexicon.people[p.value].country) for p in info.get("person")]
        return spans + [(c.start, c.end, c.value) for c in info.get("country")]

    def _named_countries(self, info: Analysis) -> list[tuple[int, str]]:
        """(position, country) of every country the sentence names, itself or by one of its people."""
        return sorted((start, country) for start, _, country in self._country_spans(info))

    def _listed_after(self, info: Analysis, start: int) -> set[str]:
        """The countries of the list of parties that starts right after token ``start`` ("between
        the Hamas delegation and the Egyptian and Qatari mediators", "Israel, the US, Egypt and
        Hamas"): each named within ``LIST_GAP`` tokens of the one before."""
        # "the mediators" in the list stand for the track's mediators.
        spans = self._country_spans(info) + [(m.start, m.end, MEDIATORS) for m in info.get("mediator_noun")]
        found: set[str] = set()
        last = start
        for begin, end, country in sorted(spans):
            if begin < last:
                continue
            if begin - last > LIST_GAP:
                break
            found.add(country)
            last = end
        return found

    def _mediator_only(self, info: Analysis, g: Group) -> bool:
        """Whether the meeting is one side's with a mediator: the parties its clause names after
        "between" are one side and mediators; or, the other side named nowhere in the sentence,
        the mediator (or its people) right after the meeting noun, or after its "with"."""
        mediators = self.reader.mediators
        if not mediators:
            return False
        named = self._named_countries(info)
        clause = info.clause(g.start)
        betweens = [m.end for m in info.get("between_party") if info.clause(m.start) == clause]
        if betweens:
            # "between the Hamas delegation and the Egyptian and Qatari mediators": one side and
            # the mediators only, whoever else the sentence names; "between the two sides": both.
            after = set().union(*(self._listed_after(info, e) for e in betweens))
            sides = [side for side in self.reader.parties if side & after]
            helpers = after & (mediators | {MEDIATORS})
            return len(sides) == 1 and bool(helpers) and not after - helpers - sides[0]
        if self._one_side_with_mediators(info, g):
            return True
        if all(side & info.parties for side in self.reader.parties):
            return False
        if any(info.clause(m.start) == clause for c in ("pair_pronoun", "dual_pronoun") for m in info.get(c)):
            return False  # "the two delegations": both are there
        withs = [w.end for w in info.get("with_party") if 0 <= w.start - g.end <= WITH_REACH]
        first = next(
            (country for pos, country in named if any(0 <= pos - e <= WITH_REACH for e in [g.end, *withs])), None
        )
        return first in mediators

    def _one_side_with_mediators(self, info: Analysis, g: Group) -> bool:
        """Whether one side's people meet "with" mediators only, whoever else the sentence names
        ("Mikati met with French President Macron and thanked him for his efforts to stop the
        Israeli attacks"): the parties before the meeting are one side, the list after its "with"
        mediators."""
        clause = info.clause(g.start)
        helpers = self.reader.mediators | {MEDIATORS}
        before = {c for at, _, c in self._country_spans(info) if at < g.start and info.clause(at) == clause}
        sides = [side for side in self.reader.parties if side & before]
        for w in info.get("with_party"):
            if not 0 <= w.start - g.end <= WITH_REACH or info.clause(w.start) != clause:
                continue
            after = self._listed_after(info, w.start)
            if after and after <= helpers and len(sides) == 1:
                return True
        return False

    def _outsider_met(self, info: Analysis, g: Group) -> bool:
        """Whether the people named around the meeting in its clause are one side's and an outside
        country's ("Netanyahu met Trump at the White House", "Umerov met Witkoff in Miami"): a
        meeting of one side with someone else, however the sentence puts it."""
        if not self.reader.inside:
            return False
        clause = info.clause(g.start)
        # "the two leaders", "both delegations", "hosted by Trump", "برئاسة فيصل بن فرحان": the
        # pair is there and the outsider hosts or chairs.
        counterparts = {m.start for m in info.get("counterpart")}
        if any(
            info.clause(m.start) == clause
            and not any(s <= m.start < e for s, e, _ in info.dates)
            and m.start not in counterparts  # "نظيره الروسي": whose counterpart, the people say
            for c in ("pair_pronoun", "party_noun", "leader_noun", "dual_pronoun", "presence", "mediator")
            for m in info.get(c)
        ):
            return False
        return self._outsider_near(info, g.start, g.end)

    def _outsider_near(self, info: Analysis, start: int, end: int, *, people: bool = True) -> bool:
        """Whether the actors named near ``start:end`` in its clause (people, and bodies such as the
        IAEA) are one side and someone else, not both sides: "Iran and the IAEA signed an agreement
        in Cairo", "Araghchi met Grossi in Tehran"."""
        clause = info.clause(start)
        # (Countries named alone do not count: a host country stands beside the pair it hosts.)
        # For a deal only bodies count: a third leader often hosts the signing ("signed at a meeting
        # with Trump").
        actors = [(p.start, p.end, self.lexicon.people[p.value].country) for p in info.get("person") if people]
        dated = [(a, b) for a, b, _ in info.dates]
        # ("في السبعة والعشرين من فبراير": "twenty" in a date is no G20)
        bodies = [o for o in info.get("organization") if not any(a <= o.start < b for a, b in dated)]
        actors += [(o.start, o.end, "@body") for o in bodies]
        countries = {
            who for s, e, who in actors if info.clause(s) == clause and distance(s, e, start, end) <= MET_REACH
        }
        outsiders = countries - self.reader.inside - self.reader.mediators
        return bool(outsiders) and not all(side & countries for side in self.reader.parties)

    def _agreed_to_continue(self, info: Analysis, m: Match) -> bool:
        """Whether what was agreed on is to continue ("اتفق الوزيران، …، على مواصلة المفاوضات"):
        the first "on"/"to" after the verb is followed by a continue word, however long the subject."""
        toks = info.sentence.tokens
        ahead = self.lexicon.words("governs_ahead")
        nxt = next((j for j in range(m.end, min(len(toks), m.end + AGREED_ON_REACH + 4)) if toks[j] in ahead), None)
        if nxt is not None and any(c.start == nxt + 1 for c in info.get("continue")):
            return True
        # "اتفقتا على تبادل مقترحات مفصلة", "договорились о том, что каждая сторона представит своё
        # видение": what was agreed is a step of the talks (exchanging proposals), not a deal.
        clause = info.clause(m.start)
        that = [c.start for c in info.get("complementizer")]
        return any(
            m.end <= p.start <= m.end + PROCEDURE_REACH
            and (info.clause(p.start) == clause or any(m.end <= c < p.start for c in that))
            for p in info.get("procedure")
        )

    def _outsiders_offer(self, info: Analysis, m: Match) -> bool:
        """Whether the proposal is an outside country's ("عرض كازاخستان لاستضافة المحادثات",
        "Kazakhstan's offer to host"): its owner stands right next to the noun."""
        if not self.reader.inside:
            return False
        toks = info.sentence.tokens
        # The owner right after the noun (عرض كازاخستان) wins over a word before it (الروسي بعرض).
        owners = [c for c in info.get("country") if c.start == m.end] or [
            c for c in info.get("country") if c.end == m.start or (c.end == m.start - 1 and toks[c.end] == "s")
        ]
        return bool(owners) and all(c.value not in self.reader.inside for c in owners)

    @staticmethod
    def _accepted_proposals(info: Analysis, groups: list[Group], deals: list[tuple[str, Match]]) -> set[int]:
        """Deals that make up "A proposed a summit in Budapest and B agreed at once": a proposed
        meeting accepted in the same sentence is an announced meeting, not a proposal and an
        agreement. Returns the indices of both deals; the meeting is typed announced."""
        skipped: set[int] = set()
        for k, (category, m) in enumerate(deals):
            if category != "proposal":
                continue
            target = next((g for g in groups if 0 <= g.start - m.end <= ACCEPT_REACH), None)
            if target is None:
                continue
            for j, (other, a) in enumerate(deals):
                later = [g for g in groups if g.start >= a.end]
                if other == "agreement" and 0 <= a.start - target.end <= ACCEPT_REACH and not later:
                    target.status, target.tentative, target.suppressed = "announced", False, False
                    skipped |= {k, j}
        return skipped

    def _signed_by_leaders(self, info: Analysis, trigger: Match) -> bool:
        """Whether the agreement is a signing and both sides' leaders (no envoy) are its signers."""
        if not any(s.start < trigger.end and trigger.start < s.end for s in info.get("sign") + info.get("signing")):
            return False
        return self.reader.leaders_meet(info, Group(trigger.start, trigger.end, own="held"))

    def _exchange_trigger(self, info: Analysis) -> Match | None:
        """The first swap phrase, or release of a captive, that is stated as done: not negated,
        hedged, aimed at ("efforts to resume the exchange of prisoners") or the subject of talks
        ("لبحث تفاصيل تبادل الأسرى", "to discuss the exchange")."""
        swaps = info.get("swap")
        captives = info.get("captive")
        return next(
            (
                m
                for m in sorted(swaps + info.get("release"), key=lambda m: m.start)
                if not self.reader.negated(info, m.start)
                and not self.reader.hedged(info, m.start, m.end)
                and not self.reader.aimed(info, m.start)
                and not any(0 <= m.start - p.end <= DISCUSS_REACH + 1 for p in info.get("discuss_purpose"))
                and (m in swaps or any(0 <= c.start - m.end <= CAPTIVE_REACH for c in captives) or swaps)
            ),
            None,
        )

    def _exchange_drafts(
        self, info: Analysis, ctx: Context, groups: list[Group], deals: list[tuple[str, Match]]
    ) -> list[Statement]:
        """A prisoner exchange between the two sides, as an agreement (topic ``prisoner_exchange``).

        A swap phrase (مقابل الإفراج, in exchange for, обмен заключёнными) or a release (أفرجت عن,
        freed) of a captive (citizen, المعلم) counts, once per sentence, when both sides are named
        (capitals and nationality words included): a Russia–Ukraine swap is not the track's.
        """
        if not self.reader.parties or any(d[0] == "agreement" and "prisoner_exchange" in info.topics for d in deals):
            return []
        sides = {m.value for m in info.get("country")} | info.parties
        sides |= {self.lexicon.cities[m.value].country for m in info.get("city")}
        if not all(side & sides for side in self.reader.parties):
            return []
        captives = info.get("captive")
        trigger = self._exchange_trigger(info)
        if trigger is None:
            return []
        # "Russia freed 150 Ukrainian prisoners", "Russia and Ukraine swapped …": an outside
        # country next to the swap or its captives is a party; one after "mediated by" is not.
        brokers = [m.end for m in info.get("mediator")]
        spots = [(trigger.start, trigger.end)] + [(c.start, c.end) for c in captives]
        for m in info.get("country"):
            neutral = m.value in self.reader.inside or m.value in self.reader.mediators
            if neutral or any(0 <= m.start - b <= 2 for b in brokers):
                continue
            if any(distance(s, e, m.start, m.end) <= OUTSIDER_REACH for s, e in spots):
                return []
        anchors = [(g.start, g.end) for g in groups] + [(m.start, m.end) for _, m in deals]
        anchors.append((trigger.start, trigger.end))
        dates = self.reader.owned_dates(info, anchors, len(anchors) - 1, report_fallback=True)
        if not dates and len(anchors) == 1:
            # The swap is the sentence's only news: a date further on is still its date.
            dates = [hit for _, _, hit in info.dates if hit.absolute]
        cities = [name for _, name, _ in info.venues if not name.startswith("@")]
        city, country = self.reader.split_place(cities[-1] if cities else None)
        return [
            Statement(
                "agreement",
                info.sentence,
                city,
                self.reader.resolve_date(info, dates, False, ctx),
                None,
                {"prisoner_exchange"},
                set(info.actors),
                country=country,
            )
        ]

    def _deal_location(self, info: Analysis, m: Match, groups: Sequence[Group]) -> str | None:
        clause = info.clause(m.start)
        for pos, name, locative in info.venues:
            # "signed a historic peace deal at the White House", "وقعا اتفاقا في الرياض"
            if m.end <= pos <= m.end + DEAL_PLACE_REACH and locative and info.clause(pos) == clause:
                return name
        opening = self.reader.opening_place(info, m.start) or self.reader.hosting_place(info, m.start)
        if opening is not None:
            return opening
        # "زيارته إلى أديس أبابا … بعد نحو شهر من توقيع": a deal the sentence dates by "after" is
        # an earlier one, not reached at the meeting it names.
        # ("agreed after talks in Geneva", "خلال مشاورات في إسطنبول": a word right before the
        # meeting places the deal at it.)
        afters = info.get("after")
        located = [
            g
            for g in groups
            if g.location is not None
            and not any(
                g.end <= a.start < m.start if g.end <= m.start else m.end <= a.start and a.end < g.start for a in afters
            )
        ]
        if located:
            return min(located, key=lambda g: distance(g.start, g.end, m.start, m.end)).location
        return None
