"""Agency datelines in seven languages give place, source and date; junk lines never become titles."""

from __future__ import annotations

from datetime import date

import pytest

from newsdesk.annotations.datelines import find_dateline, is_not_a_title, parse_date
from newsdesk.annotations.reading import parse_article

BODY_EN = " Officials met on Tuesday to discuss energy and trade. They agreed to meet again."


@pytest.mark.parametrize(
    "lead, place, source, published",
    [
        ("WASHINGTON (Reuters) -", "Washington", "Reuters", None),
        ("TOKYO, Nov 17, 2025 (Reuters) -", "Tokyo", "Reuters", date(2025, 11, 17)),
        ("NEW DELHI [India], January 5, 2026 (ANI):", "New Delhi, India", "ANI", date(2026, 1, 5)),
        ("PARIS, 17 novembre 2025 (AFP) -", "Paris", "AFP", date(2025, 11, 17)),
        ("Madrid, 17 nov 2025 (EFE).-", "Madrid", "EFE", date(2025, 11, 17)),
        ("دمشق، سوريا (CNN) --", "دمشق، سوريا", "CNN", None),
        ("القاهرة، ١٧ نوفمبر ٢٠٢٥ (رويترز) -", "القاهرة", "رويترز", date(2025, 11, 17)),
        ("新华社北京2025年11月17日电", "北京", "新华社", date(2025, 11, 17)),
        ("新华社北京11月17日电（记者张三）", "北京", "新华社", None),  # no year: no date invented
        ("【6月18日 AFP】", "", "AFP", None),
        ("【ワシントン共同】", "ワシントン", "共同", None),
        ("(서울=연합뉴스) 홍길동 기자 =", "서울", "연합뉴스", None),
        ("GREEN BAY, Wis. --", "Green Bay, Wis.", "", None),
        ("(CNN) --", "", "CNN", None),
        ("ঢাকা, ১৭ নভেম্বর (বাসস) -", "ঢাকা", "বাসস", None),
        ("नई दिल्ली, 17 नवंबर 2025 (भाषा) -", "नई दिल्ली", "भाषा", None),
    ],
)
def test_an_agency_dateline_gives_place_source_and_date_and_stays_out_of_the_title(lead, place, source, published):
    body = lead + BODY_EN if lead[0].isascii() or lead.startswith("(") else lead + "首脳は会談で協力を確認した。次回は来年開く。"
    article = parse_article("A headline for the story\n\n" + body + "\n")
    assert (article.place, article.source, article.published) == (place, source, published)
    derived = parse_article(body + "\n")
    assert derived.title_derived and not derived.title.startswith(lead[:4])
    assert (derived.place, derived.source) == (place, source)


@pytest.mark.parametrize(
    "words, expected",
    [
        ("2024年11月17日", date(2024, 11, 17)),
        ("２０２４年１１月１７日", date(2024, 11, 17)),
        ("2024년 11월 17일", date(2024, 11, 17)),
        ("٢٠٢٤-١١-١٧", date(2024, 11, 17)),
        ("21 ม.ค.2561", date(2018, 1, 21)),
        ("17 de noviembre de 2024", date(2024, 11, 17)),
        ("17 novembre 2024", date(2024, 11, 17)),
        ("11月17日", None),
        ("November 17", None),
    ],
)
def test_dates_in_each_scripts_own_form_and_never_invented(words, expected):
    assert parse_date(words) == expected


@pytest.mark.parametrize(
    "line",
    ["google.JPG", "IMG_2041.jpeg", "https://example.com/news/1", "www.example.org", "12:30 PM",
     "21 ม.ค.2561 เวลาประมาณ 12.00 น.", "December 28, 2014:", "Photo: Silver Screen Collection/Getty Images",
     "Please share your videos, pictures and stories at iReport.", "Sign up for our newsletter"],
)
def test_file_names_urls_dates_and_call_outs_are_never_titles(line):
    assert is_not_a_title(line)
    article = parse_article(line + "\n\nThe minister arrived in Tokyo on Monday. Talks began at once.\n")
    assert article.title == "The minister arrived in Tokyo on Monday"


def test_a_real_headline_is_still_a_title():
    assert not is_not_a_title("Starmer extends invitation to Japan's prime minister")
    assert find_dateline("Starmer extends invitation (again) to Japan") is None


def test_a_thai_report_opening_with_date_and_time_has_that_date_and_a_title_after_it():
    text = "21 ม.ค.2561 เวลาประมาณ 12.00 น. ผู้สื่อข่าวรายงานว่านายกรัฐมนตรีเดินทางถึงเชียงใหม่ แล้วเข้าร่วมประชุม\n"
    article = parse_article(text)
    assert article.published == date(2018, 1, 21)
    assert article.title.startswith("ผู้สื่อข่าวรายงาน")


def test_a_bengali_paragraph_ending_in_a_danda_is_not_a_standfirst():
    text = "ঢাকায় বৈঠক\n\nআজ একটি বৈঠক হয়েছে। আলোচনা ফলপ্রসূ হয়েছে।\n\nআরও খবর আসছে।\n"
    article = parse_article(text)
    assert article.title == "ঢাকায় বৈঠক" and article.standfirst == ""
