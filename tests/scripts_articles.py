"""Short news articles in many scripts, for the terminal, wrapping and segmentation tests.

Written for these tests in the style of wire copy (no text is taken from a publication): each
paragraph is long enough to wrap several times at 80 columns and has a few real sentences.
"""

from __future__ import annotations

SCRIPT_ARTICLES: dict[str, str] = {
    "bengali": (
        "ঢাকায় দুই দেশের বৈঠক\n\n"
        "বাংলাদেশের রাজধানী ঢাকায় আজ একটি গুরুত্বপূর্ণ বৈঠক অনুষ্ঠিত হয়েছে। বৈঠকে দুই দেশের প্রধানমন্ত্রী "
        "অর্থনৈতিক সহযোগিতা, জ্বালানি নিরাপত্তা এবং বাণিজ্য বৃদ্ধির বিষয়ে আলোচনা করেন। পররাষ্ট্র মন্ত্রণালয়ের "
        "একজন মুখপাত্র বলেছেন যে আলোচনা অত্যন্ত ফলপ্রসূ হয়েছে।\n"
    ),
    "devanagari": (
        "दिल्ली में ऊर्जा पर बैठक\n\n"
        "भारत की राजधानी नई दिल्ली में आज प्रधानमंत्री ने एक महत्वपूर्ण बैठक की। बैठक में ऊर्जा सुरक्षा, "
        "व्यापार और रक्षा सहयोग पर विस्तार से चर्चा हुई। विदेश मंत्रालय के प्रवक्ता ने कहा कि बातचीत "
        "सकारात्मक रही और दोनों देश जल्द ही एक समझौते पर हस्ताक्षर करेंगे।\n"
    ),
    "myanmar": (
        "ရန်ကုန်တွင် ကုန်သွယ်ရေး အစည်းအဝေး\n\n"
        "မြန်မာနိုင်ငံ အစိုးရသည် ယနေ့ ရန်ကုန်မြို့တွင် စီးပွားရေး ဆိုင်ရာ အစည်းအဝေး တစ်ခုကို ကျင်းပခဲ့သည်။ "
        "အစည်းအဝေးတွင် ကုန်သွယ်ရေးနှင့် စွမ်းအင်ကဏ္ဍ အကြောင်း ဆွေးနွေးခဲ့ကြသည်။ "
        "ဝန်ကြီးဌာန ပြောခွင့်ရသူက ဆွေးနွေးပွဲ အောင်မြင်ခဲ့သည်ဟု ပြောကြားခဲ့သည်။\n"
    ),
    "thai": (
        "นายกรัฐมนตรีเยือนเชียงใหม่\n\n"
        "นายกรัฐมนตรีเดินทางถึงจังหวัดเชียงใหม่เมื่อเวลา 10.00 น. วันนี้ เพื่อเข้าร่วมการประชุมว่าด้วยความร่วมมือ"
        "ทางเศรษฐกิจกับประเทศเพื่อนบ้าน โฆษกรัฐบาลกล่าวว่าการหารือเป็นไปด้วยดีและทั้งสองฝ่ายจะลงนามบันทึก"
        "ความเข้าใจในเดือนหน้า\n"
    ),
    "tamil": (
        "சென்னையில் புதிய திட்டம்\n\n"
        "தமிழ்நாடு அரசு இன்று சென்னையில் புதிய பொருளாதார திட்டத்தை அறிவித்தது. இந்தத் திட்டம் "
        "விவசாயிகளுக்கும் சிறு தொழில்களுக்கும் உதவும் என்று முதலமைச்சர் தெரிவித்தார். அடுத்த மாதம் முதல் "
        "திட்டம் நடைமுறைக்கு வரும் என்று அதிகாரிகள் கூறினர்.\n"
    ),
    "cjk": (
        "日英首脳が東京で会談\n\n"
        "東京で日英首脳会談が行われ、両首脳は経済安全保障と重要鉱物の供給網について協力を深めることで合意した。"
        "首相は記者団に対し「大きな一歩だ」と述べた。英国側は来年の訪問を正式に招請した。\n\n"
        "中英两国领导人在东京举行会谈，双方同意加强经济安全合作。外交部发言人表示，会谈取得了积极成果。\n\n"
        "한일 정상은 오늘 도쿄에서 회담을 열고 경제 안보 협력을 강화하기로 합의했다. 외교부 대변인은 회담이 "
        "긍정적이었다고 밝혔다.\n"
    ),
    "emoji": (
        "Leaders meet in Tokyo 📰\n\n"
        "Leaders met in Tokyo 🇯🇵 and London 🇬🇧 today 😀 and families 👨‍👩‍👧 cheered the agreement 🎉 on "
        "energy ⚡ and trade 🚢 outside the venue. Officials said talks 🤝 went well 👏 and a visit is "
        "planned for next spring 🌸 with more meetings 📅 after that.\n"
    ),
    "combining": (
        "Cafe\u0301 talks in Hue\u0301\n\n"
        "The delegation met at a cafe\u0301 in Hue\u0301, where Tie\u0302\u0301ng Vie\u0323\u0302t signs "
        "welcomed visitors, and the minister spoke of a\u0300 new accord on e\u0301nergy. Journalists noted "
        "that the communique\u0301 used decomposed accents throughout: n\u0303, o\u0308, u\u0308, "
        "A\u030a and e\u0301\u0302\u0323 stacked on one letter.\n"
    ),
}
