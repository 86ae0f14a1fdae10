"""Datelines, dates and the lines that are never a title, in the forms news agencies write them.

`find_dateline(line)` recognises an agency dateline at the start of a paragraph and gives its
place, source and date words:

* English and other Latin-script wires: ``TOKYO, Feb 1 (Reuters) -``, ``LONDON (AP) —``,
  ``NEW DELHI [India], Jan 5 (ANI):``, ``GREEN BAY, Wis. --`` (place only), ``(CNN) --``
  (source only), ``date 2026-02-01 Tokyo [Japan], February 1 (ANI):``;
* French and Spanish: ``PARIS, 17 nov (AFP) -``, ``Madrid, 17 nov (EFE).-``;
* Arabic (no letter case, the Arabic comma): ``دمشق، سوريا (CNN) --``, ``القاهرة، ١٧ نوفمبر (رويترز) -``,
  and the same form in Bengali, Hindi, Tamil and Thai: ``ঢাকা, ১৭ নভেম্বর (বাসস) -``;
* Chinese: ``新华社北京11月17日电``, ``中新网上海3月2日电（记者 …）``;
* Japanese: ``【6月18日 AFP】``, ``【ワシントン共同】``;
* Korean: ``(서울=연합뉴스)``, ``[서울=뉴시스]``.

`parse_date(words)` reads a date only when the words give day, month and year (python-dateutil,
plus the scripts' own forms: ``2024年11月17日``, ``2024년 11월 17일``, Thai months with Buddhist-era
years ``21 ม.ค.2561``, French, Spanish and Arabic month names, and digits of any script such as
``٢٠٢٤`` or ``２０２４``). Nothing is ever filled in: ``11月17日`` alone gives no date.

`is_not_a_title(line)` tells image and file names, URLs, date/time fragments and call-outs
("Please share your videos…", "Photo: …/Getty Images") from lines that can be titles.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

import regex

__all__ = ["Dateline", "find_dateline", "parse_date", "is_not_a_title", "leading_date", "trailing_credit"]


@dataclass(frozen=True)
class Dateline:
    """What a dateline says; `end` is where the article's own first sentence begins."""

    place: str
    source: str
    date_words: str
    end: int


_MONTHS_EN = (
    r"Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?"
)
_MONTHS_FR = r"janv(?:ier)?|févr(?:ier)?|mars|avr(?:il)?|mai|juin|juil(?:let)?|août|sept(?:embre)?|oct(?:obre)?|nov(?:embre)?|déc(?:embre)?"
_MONTHS_ES = (
    r"ene(?:ro)?|feb(?:rero)?|mar(?:zo)?|abr(?:il)?|may(?:o)?|jun(?:io)?|jul(?:io)?|ago(?:sto)?"
    r"|sep(?:tiembre)?|set(?:iembre)?|oct(?:ubre)?|nov(?:iembre)?|dic(?:iembre)?"
)
_MONTH = r"(?:" + _MONTHS_EN + "|" + _MONTHS_FR + "|" + _MONTHS_ES + r")\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th|er)?"
_DATE_WORDS = (
    r"(?:\d{4}-\d{1,2}-\d{1,2}"
    r"|" + _MONTH + r"\s+" + _DAY + r"(?:,?\s+\d{4})?"
    r"|" + _DAY + r"\s+(?:de\s+)?" + _MONTH + r"(?:,?\s+(?:de\s+)?\d{4})?"
    r"|(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?)"
)
_SEP = r"(?P<sep>--|\.?-|[:–—]|$)"

_LATIN = regex.compile(
    r"^[ \t]*(?:date[ \t]+(?P<iso>\d{4}-\d{2}-\d{2})[ \t]+)?"
    r"(?P<place>(?P<caps>\p{Lu}[\p{Lu}\p{M}.'’ -]{1,40}?)|\p{Lu}[\p{L}\p{M}.'’ -]{0,40}?)"
    r"(?:[ \t]*\[(?P<country>[^\[\]\n]{1,40})\])?"
    r"(?:[ \t]*,[ \t]*(?P<date>" + _DATE_WORDS + r"))?"
    r"[ \t]*\((?P<source>[^()\n]{1,40})\)[ \t]*" + _SEP
)
# GREEN BAY, Wis. --   NEW ORLEANS -   TRENTON —   (a place in capitals, no source)
_PLACE_ONLY = regex.compile(
    r"^[ \t]*(?P<place>\p{Lu}[\p{Lu}\p{M}.'’ ]{1,40}?)(?:,[ \t]*(?P<region>\p{Lu}[\p{L}.]{1,12}(?:[ \t]\p{Lu}[\p{L}.]{1,12})?))?"
    r"[ \t]+(?:--|[-–—])[ \t]+(?=\S)"
)
_SOURCE_ONLY = regex.compile(r"^[ \t]*\((?P<source>\p{Lu}[\p{L}.& ]{1,20})\)[ \t]*(?:--|[-–—:])[ \t]*")
# Scripts without letter case: the place cannot be told by capitals, the (SOURCE) tells it.
_CASELESS = r"\p{Arabic}\p{Hebrew}\p{Bengali}\p{Devanagari}\p{Tamil}\p{Thai}"
_ARABIC_DIGITS = r"\d"
_RTL_PLACE = regex.compile(
    r"^[ \t]*(?P<place>[" + _CASELESS + r"][" + _CASELESS + r"\p{M} ،,-]{1,40}?)"
    r"(?:[ \t]*[،,][ \t]*(?P<date>" + _ARABIC_DIGITS + r"{1,2}[ \t]+[" + _CASELESS + r"\p{M}]+(?:[ \t]+" + _ARABIC_DIGITS + r"{4})?))?"
    r"[ \t]*\((?P<source>[^()\n]{1,40})\)[ \t]*(?:--|[-–—:])[ \t]*"
)
_CJK_DATE = r"(?:[0-9０-９]{4}年)?[0-9０-９]{1,2}月[0-9０-９]{1,2}日"
_XINHUA = regex.compile(
    r"^[ \t]*(?P<source>新华社|中新社|中新网|人民网|新华网|央视网|中国新闻网|法新社|路透社|美联社)"
    r"(?P<place>\p{Han}{2,8}?)(?P<date>" + _CJK_DATE + r")电(?:[（(][^）)\n]{0,30}[）)])?[ \t]*"
)
_JAPANESE = regex.compile(
    r"^[ \t]*【(?P<place>[^】\d０-９\s]{1,20}?)?[ \t]*(?P<date>" + _CJK_DATE + r")?[ \t]*"
    r"(?P<source>AFP(?:=時事)?|ロイター|共同|時事|CNN|AP|Reuters|新華社|聯合|ブルームバーグ|Bloomberg)】[ \t]*"
)
_KOREAN = regex.compile(
    r"^[ \t]*[(\[](?P<place>[^=()\[\]\n]{1,20})=(?P<source>[^()\[\]\n]{1,20})[)\]][ \t]*"
    r"(?:\p{Hangul}{2,4}[ \t]+(?:기자|특파원)[ \t]*=?[ \t]*)?"
)


def _latin(line: str) -> Dateline | None:
    match = _LATIN.match(line)
    if match is None:
        return None
    if not (match.group("iso") or match.group("caps") or match.group("country") or match.group("date")):
        return None
    if match.group("sep") == "" and len(line.strip()) > match.end() + 1:
        return None
    place = " ".join(match.group("place").split()).strip(" ,.-")
    if match.group("caps") and place.isupper():
        place = " ".join(word.capitalize() if len(word) > 2 else word for word in place.split())
    country = (match.group("country") or "").strip()
    place = f"{place}, {country}" if country else place
    words = match.group("iso") or match.group("date") or ""
    return Dateline(place, match.group("source").strip(), words, match.end())


def _place_only(line: str) -> Dateline | None:
    match = _PLACE_ONLY.match(line)
    if match is None or not match.group("place").strip(" .").isupper() or len(match.group("place").strip()) < 3:
        return None
    place = " ".join(word.capitalize() if len(word) > 2 else word for word in match.group("place").split())
    region = match.group("region")
    return Dateline(f"{place}, {region}" if region else place, "", "", match.end())


def find_dateline(line: str, *, with_source: bool = False) -> Dateline | None:
    """The agency dateline opening `line`, or None; `with_source`: only forms that name a source."""
    found = _latin(line)
    if found is not None:
        return found
    for pattern in (_XINHUA, _JAPANESE, _KOREAN, _RTL_PLACE):
        match = pattern.match(line)
        if match is not None:
            groups = match.groupdict()
            place = " ".join((groups.get("place") or "").split()).strip(" ,،-")
            return Dateline(place, match.group("source").strip(), groups.get("date") or "", match.end())
    match = _SOURCE_ONLY.match(line)
    if match is not None:
        return Dateline("", match.group("source").strip(), "", match.end())
    return None if with_source else _place_only(line)


# ---------------------------------------------------------------------------------------------
# Dates

_MONTH_NAMES = {
    # French
    "janvier": 1, "janv": 1, "février": 2, "févr": 2, "fevrier": 2, "mars": 3, "avril": 4, "avr": 4,
    "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "août": 8, "aout": 8, "septembre": 9,
    "octobre": 10, "novembre": 11, "décembre": 12, "déc": 12,
    # Spanish
    "enero": 1, "ene": 1, "febrero": 2, "marzo": 3, "abril": 4, "abr": 4, "mayo": 5, "junio": 6,
    "julio": 7, "agosto": 8, "ago": 8, "septiembre": 9, "setiembre": 9, "octubre": 10,
    "noviembre": 11, "diciembre": 12, "dic": 12,
    # Arabic (Egyptian/Gulf and Levantine names)
    "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "ابريل": 4, "مايو": 5, "يونيو": 6, "يوليو": 7,
    "أغسطس": 8, "اغسطس": 8, "سبتمبر": 9, "أكتوبر": 10, "اكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
    "شباط": 2, "آذار": 3, "نيسان": 4, "أيار": 5, "حزيران": 6, "تموز": 7, "آب": 8, "أيلول": 9,
    "تشرين الأول": 10, "تشرين الثاني": 11, "كانون الأول": 12, "كانون الثاني": 1,
    # Thai abbreviations
    "ม.ค.": 1, "ก.พ.": 2, "มี.ค.": 3, "เม.ย.": 4, "พ.ค.": 5, "มิ.ย.": 6, "ก.ค.": 7, "ส.ค.": 8,
    "ก.ย.": 9, "ต.ค.": 10, "พ.ย.": 11, "ธ.ค.": 12,
}
_EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December"]
_NAME = regex.compile(
    r"(?<![\p{L}])(?:" + "|".join(regex.escape(n) for n in sorted(_MONTH_NAMES, key=len, reverse=True))
    + r")(?:\.(?=\s|\d|$))?(?![\p{L}])",
    regex.IGNORECASE,
)
_YMD = regex.compile(r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]")
_DE = regex.compile(r"(?<=\d)\s+de\s+|\s+de\s+(?=\d)", regex.IGNORECASE)
_ISO_DATE = regex.compile(r"\d{4}-\d{2}-\d{2}")
_DIGIT = regex.compile(r"\d")
_NON_ASCII_DIGIT = regex.compile(r"[^\x00-\x7f]")


def _ascii_digits(words: str) -> str:
    if not _NON_ASCII_DIGIT.search(words):
        return words
    return "".join(str(unicodedata.digit(c)) if c.isdigit() and not c.isascii() else c for c in words)


def parse_date(words: str) -> date | None:
    """A date from `words` only if they give day, month and year: nothing is ever filled in."""
    words = _ascii_digits(words.strip())
    if not words or _DIGIT.search(words) is None:
        return None
    if _ISO_DATE.fullmatch(words):
        try:
            return date.fromisoformat(words)
        except ValueError:
            return None
    ymd = _YMD.search(words)
    if ymd:
        try:
            return date(int(ymd.group(1)), int(ymd.group(2)), int(ymd.group(3)))
        except ValueError:
            return None
    buddhist = "ม.ค." in words or any(name in words for name in _MONTH_NAMES if "." in name and not name.isascii())

    def english(match: regex.Match[str]) -> str:
        name = match.group().rstrip(".")
        number = _MONTH_NAMES.get(name.lower()) or _MONTH_NAMES.get(name + ".") or _MONTH_NAMES.get(match.group())
        return f" {_EN_MONTHS[number - 1]} " if number else match.group()

    words = _NAME.sub(english, _DE.sub(" ", words))
    if buddhist:
        words = regex.sub(r"\b(2[4-6]\d\d)\b", lambda m: str(int(m.group(1)) - 543), words)
    from dateutil import parser  # imported when needed: it costs ~40 ms at start-up

    try:
        first = parser.parse(words, default=datetime(2001, 1, 1), fuzzy=True)
        second = parser.parse(words, default=datetime(2004, 2, 2), fuzzy=True)
    except (ValueError, OverflowError, TypeError, parser.ParserError):
        return None
    if first.date() != second.date():
        return None  # something (day, month or year) came from the defaults, not the text
    return first.date()


# A date (and time) opening a paragraph: "December 28, 2014:", "Updated August 02, 2014.",
# "21 ม.ค.2561 เวลาประมาณ 12.00 น.", "2024年11月17日", "27-06-2012 |".
_THAI_MONTH = r"(?:" + "|".join(regex.escape(n) for n in _MONTH_NAMES if not n.isascii() and "." in n) + r")"
_LEADING_DATE = regex.compile(
    r"^[ \t]*(?:(?:Updated|Published|Posted|Last updated)[ \t]*:?[ \t]*)?"
    r"(?P<date>" + _DATE_WORDS + r"(?:[ \t]+\d{4})?"
    r"|\d{1,2}[ \t]*" + _THAI_MONTH + r"[ \t]*\d{4}"
    r"|" + _CJK_DATE + r"|\d{1,2}[-/.]\d{1,2}[-/.]\d{4})"
    r"(?P<time>[ \t,]*(?:at|à|a las|เวลา(?:ประมาณ)?)?[ \t]*\d{1,2}[:.]\d{2}(?:[ \t]*(?:[ap]\.?m\.?|น\.|[A-Z]{2,4}))*)?"
    r"(?P<tail>[ \t]*[:|.,–—-]?[ \t]*)",
    regex.IGNORECASE,
)


def leading_date(text: str, *, separated: bool = False) -> tuple[str, int] | None:
    """(date words, end) when `text` opens with a date or date and time fragment, else None.

    With `separated`, only a fragment set off from what follows (by a space, a colon, a bar...)
    counts: "６月12日の歴史的な…" opens with a date that belongs to its sentence.
    """
    match = _LEADING_DATE.match(text)
    if match is None or not _DIGIT.search(match.group("date")):
        return None
    if separated and not match.group("tail") and match.end() < len(text):
        return None
    return match.group("date"), match.end()


# ---------------------------------------------------------------------------------------------
# Lines that are never a title

_FILE_NAME = regex.compile(
    r"^\S{1,120}\.(?:jpe?g|png|gif|webp|bmp|tiff?|svg|heic|pdf|docx?|xlsx?|pptx?|txt|html?|mp[34]|mov|avi|zip)$",
    regex.IGNORECASE,
)
_URL = regex.compile(r"^(?:https?://|www\.)\S+$|^\S+\.(?:com|org|net|co\.\w\w|gov|edu)(?:/\S*)?$", regex.IGNORECASE)
_TIME = regex.compile(r"^[\d\s:./,-]*\d{1,2}[:.]\d{2}(?:\s*(?:[ap]\.?m\.?|น\.|[A-Z]{2,4}))?[\s.]*$", regex.IGNORECASE)
_CALL_OUT = regex.compile(
    r"^(?:photo|image|picture|video|watch|credit|caption|read more|related|see also|advertisement|sponsored"
    r"|click here|sign up|subscribe|follow us|share this|listen)\b\s*[:|-]?"
    r"|^(?:by|written by|reviewed by|written or reviewed by)\s+\S"
    r"|^in this (?:image|photo|file photo|picture)\b"
    r"|^\((?:file|photo|ap photo|reuters|afp|getty)[^)]*\)"
    r"|^\d+ of \d+\."
    r"|\b(?:share your (?:videos|photos|pictures|stories)|ireport|getty images|/afp|/reuters|/ap\b|file photo"
    r"|click here|sign up for|subscribe to|our newsletter|follow us on)\b",
    regex.IGNORECASE,
)


def is_not_a_title(line: str) -> bool:
    """Whether `line` is an image or file name, a URL, a date/time fragment or a call-out."""
    line = line.strip()
    if not line:
        return True
    if _FILE_NAME.match(line) or _URL.match(line) or _TIME.match(line) or _CALL_OUT.search(line):
        return True
    found = leading_date(line)
    return found is not None and found[1] >= len(line.rstrip(" .:|"))


# "... la hija del Rey. 27-06-2012 | Efe": a date and an agency closing the first paragraph.
_TRAILING_CREDIT = regex.compile(
    r"(?P<date>\d{1,2}[-/.]\d{1,2}[-/.]\d{4})[ \t]*\|[ \t]*(?P<source>\p{Lu}[\p{L}.& ]{1,24}?)[ \t]*$"
)


def trailing_credit(line: str) -> tuple[str, str] | None:
    """(date words, source) when `line` ends with a "27-06-2012 | Efe" credit, else None."""
    match = _TRAILING_CREDIT.search(line)
    return (match.group("date"), match.group("source").strip()) if match else None
