"""Sentences and words in fourteen languages, as a reader stepping with `)` and `w` sees them.

The sentences are news sentences written for these tests; ICU (UAX #29 with its dictionaries for
Chinese, Japanese, Thai and Burmese) finds the boundaries, newsdesk keeps abbreviations whole.
"""

from __future__ import annotations

import pytest

from newsdesk.annotations import icu
from newsdesk.annotations.text import next_word, prev_word, sentences, tokens, word_at

pytestmark = pytest.mark.skipif(not icu.available(), reason="ICU (icu4py) is not installed")

# language: (sentences of one paragraph, words that must come out whole)
STORIES: dict[str, tuple[list[str], list[str]]] = {
    "english": (
        ["Dr. Smith met officials from the U.S. State Department on Monday.",
         "Former president George H.W. Bush was also mentioned.",
         "Talks resume at 9 a.m. tomorrow."],
        ["Smith", "U.S", "H.W", "a.m", "Department"]  # w stops at a word, not its final dot,
    ),
    "german": (
        ["Die Bundesregierung hat am Montag ein neues Gesetz beschlossen.",
         "Es soll z. B. den Ausbau der Windkraft beschleunigen.",
         "Kritik kam von der Opposition."],
        ["Bundesregierung", "Windkraft", "beschleunigen"],
    ),
    "french": (
        ["Le président a rencontré M. Dupont à Paris.",
         "Ils ont parlé de l'énergie et du commerce.",
         "« C'est un accord historique », a-t-il déclaré."],
        ["président", "rencontré", "l'énergie", "C'est"],
    ),
    "spanish": (
        ["¿Habrá un acuerdo antes de fin de año?", "El Sr. García dijo que sí.",
         "Las negociaciones continúan en Madrid."],
        ["Habrá", "García", "negociaciones", "continúan"],
    ),
    "russian": (
        ["Президент провёл встречу с министрами в Москве.", "Обсуждались вопросы энергетики и торговли.",
         "Встреча продолжалась три часа."],
        ["Президент", "провёл", "Москве", "энергетики"],
    ),
    "arabic": (
        ["عقد الرئيس اجتماعا مع الوزراء في القاهرة.", "وناقش الاجتماع قضايا الطاقة والتجارة.",
         "هل سيتم توقيع الاتفاق؟", "نعم، الأسبوع المقبل."],
        ["الرئيس", "القاهرة", "والتجارة", "الاتفاق"],
    ),
    "hebrew": (
        ["ראש הממשלה נפגש היום עם שר החוץ בירושלים.", "השניים דנו בנושאי אנרגיה וסחר.",
         "הפגישה נמשכה שלוש שעות."],
        ["הממשלה", "בירושלים", "אנרגיה"],
    ),
    "hindi": (
        ["प्रधानमंत्री ने आज नई दिल्ली में बैठक की।", "बैठक में ऊर्जा और व्यापार पर चर्चा हुई।",
         "क्या समझौता होगा?", "अधिकारियों ने कहा कि हाँ।"],
        ["प्रधानमंत्री", "दिल्ली", "व्यापार", "अधिकारियों"],
    ),
    "bengali": (
        ["প্রধানমন্ত্রী আজ ঢাকায় একটি বৈঠক করেছেন।", "বৈঠকে জ্বালানি ও বাণিজ্য নিয়ে আলোচনা হয়েছে।",
         "চুক্তি কবে হবে?"],
        ["প্রধানমন্ত্রী", "ঢাকায়", "জ্বালানি", "বাণিজ্য"],
    ),
    "chinese": (
        ["中英两国领导人在东京举行会谈。", "双方同意加强经济安全合作！", "外交部发言人表示，会谈取得了积极成果。"],
        ["东京", "会谈", "经济", "外交部"],
    ),
    "japanese": (
        ["東京で日英首脳会談が行われた。", "首相は記者団に「大きな一歩だ」と述べた。", "英国側は来年の訪問を招請した。"],
        ["東京", "首脳", "会談", "首相", "来年"],
    ),
    "korean": (
        ["한일 정상은 오늘 도쿄에서 회담을 열었다.", "양국은 경제 안보 협력을 강화하기로 합의했다.",
         "외교부 대변인은 회담이 긍정적이었다고 밝혔다."],
        ["도쿄에서", "회담을", "합의했다"],
    ),
    "thai": (
        # Thai marks no sentence end; the abbreviation "น." (o'clock) must not end one either.
        ["นายกรัฐมนตรีเดินทางถึงเชียงใหม่เวลา 10.00 น. เพื่อประชุมเรื่องเศรษฐกิจ"],
        ["รัฐมนตรี", "เชียงใหม่", "เวลา", "ประชุม", "เศรษฐกิจ"],
    ),
    "burmese": (
        ["မြန်မာနိုင်ငံ အစိုးရသည် ယနေ့ အစည်းအဝေး ကျင်းပခဲ့သည်။", "ကုန်သွယ်ရေး အကြောင်း ဆွေးနွေးခဲ့ကြသည်။"],
        ["မြန်မာနိုင်ငံ", "အစိုးရ", "အစည်းအဝေး", "ကုန်သွယ်ရေး"],
    ),
}
_JOINER = {"chinese": "", "japanese": ""}


def _paragraph(language: str) -> str:
    return _JOINER.get(language, " ").join(STORIES[language][0])


@pytest.mark.parametrize("language", sorted(STORIES))
def test_sentences_end_where_the_language_ends_them(language: str) -> None:
    text = _paragraph(language)
    assert [text[s:e] for s, e in sentences(text)] == STORIES[language][0]


@pytest.mark.parametrize("language", sorted(STORIES))
def test_w_and_b_step_over_real_words(language: str) -> None:
    text = _paragraph(language)
    seen, i = [], 0
    while (i := next_word(text, i)) < len(text):
        seen.append(i)
    starts = ([0] if text[0].isalnum() else []) + seen
    words = [text[slice(*word_at(text, i))] for i in starts]
    for expected in STORIES[language][1]:
        assert expected in words, f"{expected!r} is not a word of {words}"
    # b visits the same word starts backwards, and no word is a lone punctuation mark.
    back, j = [], len(text)
    while (j := prev_word(text, j)) > 0:
        back.append(j)
    assert back[::-1] == seen
    assert not [w for w in words if not any(c.isalnum() for c in w)]


@pytest.mark.parametrize("language", ["chinese", "japanese", "thai", "burmese"])
def test_a_sentence_without_spaces_is_several_tokens_not_one_per_character(language: str) -> None:
    sentence = STORIES[language][0][0]
    found = [sentence[s:e] for s, e in tokens(sentence)]
    letters = sum(1 for c in sentence if c.isalpha())
    assert 3 < len(found) < letters * 0.8, found
    for word in STORIES[language][1]:
        if word in sentence:
            assert word in found or any(word in f for f in found)


def test_abbreviations_and_initials_stay_inside_their_sentence() -> None:
    text = "Mr. Ito met Dr. Lee in the U.S. capital. He praised H.W. Bush. It ended at 5 p.m. on Friday."
    assert [text[s:e] for s, e in sentences(text)] == [
        "Mr. Ito met Dr. Lee in the U.S. capital.", "He praised H.W. Bush.", "It ended at 5 p.m. on Friday."
    ]
    assert "U.S." in [text[s:e] for s, e in tokens(text)]


def _lines(text: str, width: int) -> list[str]:
    from newsdesk.tui.widgets.wrap import WrappedText

    wrapped = WrappedText(text, width)
    return [text[s:e] for s, e in zip(wrapped.starts, wrapped.ends)]


def test_wrapped_lines_never_start_with_closing_punctuation() -> None:
    text = "「東京で会談が行われた」、と首相は述べた。両国は協力を深める。中国外交部表示，会谈取得了积极成果。"
    for width in range(8, 30):
        for line in _lines(text, width)[1:]:
            assert line[0] not in "、。，」）！？", f"width {width}: {line!r}"


def test_korean_wraps_between_words_not_inside_them() -> None:
    text = "한일 정상은 오늘 도쿄에서 회담을 열고 경제 안보 협력을 강화하기로 합의했다."
    words = set(text.split())
    for width in range(12, 40):
        for line in _lines(text, width):
            assert all(piece in words for piece in line.split()), f"width {width}: {line!r}"


def test_thai_wraps_between_dictionary_words() -> None:
    text = "นายกรัฐมนตรีเดินทางถึงจังหวัดเชียงใหม่เพื่อเข้าร่วมการประชุมว่าด้วยความร่วมมือทางเศรษฐกิจ"
    words = {text[s:e] for s, e in tokens(text)}
    for width in (12, 16, 20):
        lines = _lines(text, width)
        assert len(lines) > 1
        for line in lines:
            assert {line[s:e] for s, e in tokens(line)} <= words, f"width {width}: {line!r}"
