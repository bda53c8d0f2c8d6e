"""A question as sparse features: the same text always gives the same features, in any order.

Chinese: character 1-4-grams (Traditional folded to Simplified for the common characters of
sales talk). English: character 2-5-grams inside padded words, word 1-2-grams. Both: cue
phrases that carry a SPIN type across topics ("would it help", "what effect", "如果", "影响").
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from typing import Literal

Lang = Literal["zh", "en"]

# The text a question is read from is cut here, so 10,000 characters cost no more than 400.
MAX_CHARS = 400

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_PLACEHOLDER = re.compile(r"\[[^\]\n]{0,40}\]|【[^】\n]{0,40}】|\{[^}\n]{0,40}\}")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|\[x\]")
_QUESTION_WORDS = re.compile(
    r"\b(what|how|why|when|where|who|which|whom|whose|is|are|do|does|did|can|could|would|"
    r"will|should|have|has|had|was|were|may|might|shall)\b"
)
_ZH_QUESTION = re.compile(
    r"吗|嗎|呢|什么|甚麼|什麼|怎么|怎麼|怎样|怎樣|如何|多少|几|幾|哪|是否|有没有|有沒有|"
    r"会不会|會不會|能否|能不能|可不可以|是不是|为什么|為什麼|为何|為何|多久|多大|多长|多高|多快"
)

# Traditional -> Simplified for characters common in sales questions; the rest are learned
# from Traditional examples in the data.
_TRADITIONAL = str.maketrans(
    "們這個麼嗎會對滿額幫決務業產實應時間現統係費際還後發為與點題難處價節況們問們"
    "響題響員機構營銷說話談內兩開關單樣樣數據庫層級準確認議設備進貨運輸醫療銀險寶"
    "電腦軟體雲網絡線維護檢測質標誤延遲損壞壓減輕鬆節約錢貴廠車隊倉儲門店顧客戶"
    "經濟總覺讓給從過來麼將還這樣長錯缺頭疼煩擔憂慮鍵協調聯繫導致帶動變換換測試",
    "们这个么吗会对满额帮决务业产实应时间现统系费际还后发为与点题难处价节况们问们"
    "响题响员机构营销说话谈内两开关单样样数据库层级准确认议设备进货运输医疗银险宝"
    "电脑软体云网络线维护检测质标误延迟损坏压减轻松节约钱贵厂车队仓储门店顾客户"
    "经济总觉让给从过来么将还这样长错缺头疼烦担忧虑键协调联系导致带动变换换测试",
)

# Cue phrases, each a feature of its own: their weight is learned, not set here.
CUES: tuple[tuple[str, str], ...] = (
    # need-payoff
    ("en", r"\bwould it (help|be (useful|helpful|worth|valuable))"),
    ("en", r"\b(how|why) (would|could|might) (that|this|it|a|an|the)\b.*\b(help|benefit)"),
    ("en", r"\b(useful|helpful|valuable|worth|benefit|important to you|matter to you)\b"),
    ("en", r"\bif (you|we|it|there) (could|were|had|was)\b"),
    ("en", r"\b(what|how much) would .* (save|mean|be worth|gain)"),
    ("en", r"\b(ideal|solution|solve|improve|help you)\b"),
    # implication
    ("en", r"\b(effect|impact|affect|consequence|lead to|result in|knock-on|ripple)\w*"),
    (
        "en",
        r"\b(cost you|costing|lose|losing|lost|delay|downstream|spill|other (teams|departments))",
    ),
    ("en", r"\bwhat happens (when|if)\b"),
    ("en", r"\b(does|did|could|would) (that|this|it) (mean|cause|make|hurt|put)\b"),
    # problem
    (
        "en",
        r"\b(problem|difficult|hard|struggle|trouble|issue|dissatisf|unhappy|frustrat|"
        r"concern|worr|complain|pain|challenge|satisfied|happy with)\w*",
    ),
    ("en", r"\b(break|fail|slow|wrong|miss|error|mistake|bottleneck)\w*"),
    # situation
    ("en", r"^\s*how (many|much|long|often|old)\b"),
    ("en", r"\b(currently|at the moment|today|right now|do you use|are you using|who is)\b"),
    ("en", r"^\s*(what|which) (system|tool|software|supplier|vendor|process)"),
    # need-payoff (zh)
    ("zh", r"有帮助|有幫助|帮助|幫助|有用|价值|價值|值得|好处|好處|意义|意義|重要"),
    ("zh", r"如果|假如|要是|假设|假設|若能|若是"),
    ("zh", r"能否帮|节省|節省|省下|改善|提升|解决|解決|理想"),
    # implication (zh)
    ("zh", r"影响|影響|后果|後果|导致|導致|造成|带来|帶來|连锁|連鎖|波及|损失|損失|代价|代價"),
    ("zh", r"其他部门|其他部門|下游|延误|延誤|会不会让|會不會讓"),
    # problem (zh)
    (
        "zh",
        r"问题|問題|困难|困難|难题|難題|麻烦|麻煩|不满|不滿|担心|擔心|头疼|頭疼|抱怨|挑战|挑戰",
    ),
    ("zh", r"满意|滿意|顺利|順利|出错|出錯|慢|故障|瓶颈|瓶頸"),
    # situation (zh)
    ("zh", r"多少|几|幾|多久|多长|多長|哪些|哪家|哪个|哪個|目前|现在|現在|现有|現有|负责|負責"),
    ("zh", r"用的是|使用的是|采用|採用|是谁|是誰"),
)
_CUES = tuple((lang, re.compile(pattern)) for lang, pattern in CUES)


def language_of(text: str) -> Lang:
    """Any CJK character makes a line Chinese; everything else is read as English."""
    return "zh" if _CJK.search(text) else "en"


def normalized(text: str) -> str:
    """NFKC (full-width to half-width), lower case, placeholders as [x], spaces folded."""
    text = unicodedata.normalize("NFKC", text[: MAX_CHARS * 2])[:MAX_CHARS].lower()
    text = _PLACEHOLDER.sub(" [x] ", text.translate(_TRADITIONAL))
    return " ".join(text.split())


def looks_like_question(text: str, lang: Lang) -> bool:
    """A question mark or a question word: what a line needs to be read with confidence."""
    if "?" in text or "？" in text:
        return True
    if lang == "zh":
        return bool(_ZH_QUESTION.search(text))
    return bool(_QUESTION_WORDS.match(text.strip().lower()))


def features(text: str, lang: Lang) -> list[str]:
    """The sparse features of one question, in `lang` (its n-grams are counted once each)."""
    norm = normalized(text)
    found: set[str] = set()
    if lang == "zh":
        chars = "".join(ch for ch in norm if _CJK.match(ch) or ch.isalnum() or ch == "?")
        for size in (1, 2, 3, 4):
            for start in range(len(chars) - size + 1):
                found.add(f"z{size}:{chars[start : start + size]}")
        if chars:
            found.add(f"zb:^{chars[:2]}")
            found.add(f"ze:{chars[-2:]}$")
    words = _WORD.findall(norm)
    for word in words:
        found.add(f"w:{word}")
        if lang == "en" and word != "[x]":
            padded = f" {word} "
            for size in (2, 3, 4, 5):
                for start in range(len(padded) - size + 1):
                    found.add(f"c{size}:{padded[start : start + size]}")
    for first, second in itertools.pairwise(words):
        found.add(f"w2:{first} {second}")
    if words:
        found.add(f"wb:^{' '.join(words[:2])}")
    for index, (cue_lang, pattern) in enumerate(_CUES):
        if cue_lang == lang and pattern.search(norm):
            found.add(f"cue:{index}")
    found.add(f"lang:{lang}")
    return sorted(found)
