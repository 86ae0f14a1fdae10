"""Short articles in Bengali, Arabic and Japanese for the screenshots of `newsdesk screenshots`.

Written for newsdesk in the style of wire copy (no text is taken from a publication), each with a
title line and an agency dateline, so the screenshots show wrapping, right-to-left order and the
metadata read from the text.
"""

from __future__ import annotations

__all__ = ["SCRIPT_SAMPLES"]

SCRIPT_SAMPLES: dict[str, str] = {
    "bengali": (
        "ঢাকায় দুই দেশের প্রধানমন্ত্রীর বৈঠক\n\n"
        "ঢাকা, ১৭ নভেম্বর (বাসস) - বাংলাদেশের রাজধানী ঢাকায় আজ একটি গুরুত্বপূর্ণ বৈঠক অনুষ্ঠিত হয়েছে। "
        "বৈঠকে দুই দেশের প্রধানমন্ত্রী অর্থনৈতিক সহযোগিতা, জ্বালানি নিরাপত্তা এবং বাণিজ্য বৃদ্ধির বিষয়ে "
        "আলোচনা করেন।\n\n"
        "পররাষ্ট্র মন্ত্রণালয়ের একজন মুখপাত্র বলেছেন যে আলোচনা অত্যন্ত ফলপ্রসূ হয়েছে। আগামী মাসে একটি "
        "সমঝোতা স্মারক স্বাক্ষরিত হবে বলে আশা করা হচ্ছে।\n"
    ),
    "arabic": (
        "اجتماع وزاري في دمشق لبحث التعاون الاقتصادي\n\n"
        "دمشق، سوريا (CNN) -- عقد وزراء الاقتصاد في عدد من الدول العربية اجتماعا في دمشق يوم الثلاثاء "
        "لبحث التعاون في مجالات الطاقة والتجارة. وقال المتحدث باسم الوزارة إن الاجتماع كان إيجابيا.\n\n"
        "وأضاف أن الجانبين اتفقا على عقد لقاء جديد في عام 2025 (في القاهرة) لمتابعة تنفيذ الاتفاق.\n"
    ),
    "japanese": (
        "日英首脳が東京で会談、経済安全保障で協力\n\n"
        "【11月17日 AFP】東京で日英首脳会談が行われ、両首脳は経済安全保障と重要鉱物の供給網について"
        "協力を深めることで合意した。首相は記者団に対し「大きな一歩だ」と述べた。\n\n"
        "英国側は来年の訪問を正式に招請した。両国は半導体やエネルギー分野でも協議を続ける。\n"
    ),
}
