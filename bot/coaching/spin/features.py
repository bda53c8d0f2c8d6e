"""A question as sparse features: the same text always gives the same features, in any order.

Chinese: character 1-4-grams (Traditional folded to Simplified for the common characters of
sales talk). English: word 1-3-grams. Both: cue phrases that carry a SPIN type across topics
("would it help", "what effect", "如果", "影响"), including counting words next to trouble
words ("how often ... break down", "多久 ... 故障"), which ask about a problem, not the set-up.
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
    "經濟總覺讓給從過來麼將還這樣長錯缺頭疼煩擔憂慮鍵協調聯繫導致帶動變換換測試"
    "幾訴頻當種類權義驗錄臺歷勞報帳賬訂購採買賣續紀記計劃週團專辦項預證藥護診師職資訊"
    "環穩狀態擴張廣東輛賠償虧貸結審較優勢爭競聽讀寫該沒誰裡裏邊簡闆啟達遞郵號碼擊盤絕斷"
    "異災夠頁雜亂舊舉礙礎順滯積離訓練課學習億萬壽蓋戶歡嚴緊張獲識別讀幣額",
    "们这个么吗会对满额帮决务业产实应时间现统系费际还后发为与点题难处价节况们问们"
    "响题响员机构营销说话谈内两开关单样样数据库层级准确认议设备进货运输医疗银险宝"
    "电脑软体云网络线维护检测质标误延迟损坏压减轻松节约钱贵厂车队仓储门店顾客户"
    "经济总觉让给从过来么将还这样长错缺头疼烦担忧虑键协调联系导致带动变换换测试"
    "几诉频当种类权义验录台历劳报账账订购采买卖续纪记计划周团专办项预证药护诊师职资讯"
    "环稳状态扩张广东辆赔偿亏贷结审较优势争竞听读写该没谁里里边简板启达递邮号码击盘绝断"
    "异灾够页杂乱旧举碍础顺滞积离训练课学习亿万寿盖户欢严紧张获识别读币额",
)

_EN_COUNT = (
    r"\b(how (many|often|much|frequently|regularly)|what (share|percentage|proportion|fraction))\b"
)
_EN_TROUBLE = (
    r"\b(fail|break|broke|wrong|error|mistake|complain|late|cancel|reject|denied|denial|crash|"
    r"freez|froze|down|jam|stuck|miss|defect|bug|outage|problem|issue|trouble|no-show|redo|"
    r"rework|resubmit|chase|escalat|overrid|workaround|by hand|fall through|go bad|expire|"
    r"repair|overdue|unpaid|damaged|missing|leave|leaving|quit|drop out|dropp?ing out|reopen|"
    r"slip|bounce|lapse|unnoticed|notice|overlook|forg[eo]t|abandon|get through|gets through|"
    r"turn\w* out|come back|comes back|returned|disput)\w*"
)
_EN_CONSEQUENCE = (
    r"\b(cost|lose|losing|lost|affect|impact|effect|penalt|revenue|overtime|walk out|churn|"
    r"mean for|money|waste)\w*"
)
_ZH_COUNT = r"多少|几|多久|多长时间|经常|常常|时常|老是|总是|频率|频繁|多不多|高不高|次数"
_ZH_TROUBLE = (
    r"故障|坏|投诉|抱怨|出错|错|麻烦|问题|延误|迟|慢|卡|退单|退货|缺货|停机|宕机|当机|bug|"
    r"失败|拒|对不上|爽约|漏|误报|返工|不准|纠纷|差评|过期|逾期|拖欠|超期|要修|返修|报修|修一次"
)
_ZH_CONSEQUENCE = r"损失|影响|成本|导致|代价|赔|多花|耽误|收入|加班|流失|罚"

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
    ("zh", r"有帮助|有幫助|帮助|幫助|帮到|帮上|有用|价值|價值|值得|好处|好處|意义|意義|重要"),
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
    # counting words that ask how often something goes wrong (problem) or what it costs
    # (implication), rather than about the set-up: "how often do the presses break down?"
    ("en", _EN_COUNT + r".*" + _EN_TROUBLE),
    ("en", _EN_COUNT + r".*" + _EN_CONSEQUENCE),
    ("en", r"^\s*(when|whenever|if|each time|every time|after)\b[^?]*,\s*(what|how|does|do|is)\b"),
    ("zh", f"({_ZH_COUNT}).*({_ZH_TROUBLE})|({_ZH_TROUBLE}).*({_ZH_COUNT})"),
    ("zh", f"({_ZH_COUNT}).*({_ZH_CONSEQUENCE})|({_ZH_CONSEQUENCE}).*({_ZH_COUNT})"),
    ("zh", r"意味着|意味著|对.{0,12}(有什么|有多大|有没有|有)(帮助|好处|价值|意义|用)|的话"),
    ("zh", r"会不会(影响|导致|让|拖|耽误|增加|错过)|对.{0,12}有(什么|多大)影响"),
    # problem: how the current way of working is judged (easy, reliable, accurate, up to date)
    (
        "en",
        r"\b(easy|awkward|clunky|confusing|reliabl\w*|unreliable|accura\w*|inaccura\w*|"
        r"consistent\w*|inconsistent|smooth\w*|tricky|painful|tedious|messy|chaotic|outdated|"
        r"out of date|expensive|costly|time-consuming|cumbersome|fiddly|nightmare|sore|weak|"
        r"shortage|short of|run out|backlog|overload\w*|stretched|behind|glitch\w*|crash\w*|"
        r"outage|downtime|rework|scramble|juggl\w*|workaround|confident|comfortable)\b",
    ),
    (
        "zh",
        r"难|方便|复杂|繁琐|稳定|可靠|不顺|卡住|卡顿|拖|丢|漏|乱|缺|吃力|头大|折腾|手忙脚乱|没底|"
        r"靠猜|意见|出岔子|状况|毛病|老化|过时|落后|负担|压力|好用|不好",
    ),
    # implication, asked without an effect word: what it puts at risk, holds up, or hurts
    (
        "en",
        r"\b(risk\w*|hurt\w*|harm\w*|damag\w*|reputation|trust|credibility|morale|"
        r"burn\w* (\w+ )?out|wear\w* (\w+ )?(out|down)|tie[sd]? up|tied up|hold\w* (up|back)|"
        r"push\w* (back|out)|slow\w* down|harder to|fines?|penalt\w*|exposed|spread\w*|"
        r"as a result|because of (that|it|this)|bottom line|margins?)\b",
    ),
    (
        "zh",
        r"风险|口碑|信任|信誉|士气|牵连|连带|拖累|拖慢|耽搁|罚|利润|营收|业绩|流失|回头|打乱|"
        r"受到.{0,4}影响|会怎样|会怎么样|出什么事|后果",
    ),
    # problem, asked without a problem word: is it enough, does it keep up, is it too slow
    (
        "en",
        r"\b(too|enough|ever|keep up|cope|struggl\w*|than (you'd|you would|it should)|"
        r"as \w+ as you'd|drawbacks?|downsides?|weak spots?|let\w* (you|\w+) down|bother\w*|"
        r"annoy\w*|headaches?)\b",
    ),
    (
        "zh",
        r"够不够|够用|跟得上|扛得住|准不准|准时|方便吗|顺手|习惯|吃力|放心|信得过|缺点|不喜欢|"
        r"痛点|困扰|短板|不稳定|太慢|太复杂|偏高|不够",
    ),
    # what a problem causes, leads people to do, or sends elsewhere; its weight is learned
    # ("what causes…", "do you end up…" also ask about a problem)
    (
        "en",
        r"\b(caus\w*|result\w* (in|from)|come\w* out of|end\w* up|instead of|competitors?|"
        r"pull\w* (\w+ )?(off|away|into|in to)|knock\w* on|take\w* (\w+ )?away from|"
        r"on top of|at the expense of)\b",
    ),
    # problem: what is disliked, missing or not working about the current way
    (
        "en",
        r"\b(don't like|do not like|dislike\w*|not working|isn't working|doesn't work|"
        r"work\w* well|fall\w* (apart|short|over|down)|gaps?|blind spots?|incidents?|breach\w*|"
        r"lack\w*|limit\w*|end of (its|their) (useful )?life)\b",
    ),
    # counting a consequence after a when/if clause: "how many shoppers leave when the tills
    # are down?" asks what the problem costs (implication)
    ("en", _EN_COUNT + r".*\b(when|whenever|if|every time|each time|after|because)\b"),
)
_CUES = tuple((lang, re.compile(pattern)) for lang, pattern in CUES)
# A cue that matches is several features, so that against a question's many n-grams (each
# weighed 1/sqrt(n)) it counts for more than one word does, at the same L2 per weight.
CUE_COPIES = 3


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
    # English is read by whole words, not character n-grams: those learned the topic of a
    # question (its industry's vocabulary) more than its type, and generalised worse.
    for word in words:
        found.add(f"w:{word}")
    for first, second in itertools.pairwise(words):
        found.add(f"w2:{first} {second}")
    for first, second, third in zip(words, words[1:], words[2:], strict=False):
        found.add(f"w3:{first} {second} {third}")
    if words:
        found.add(f"wb:^{' '.join(words[:2])}")
    for index, (cue_lang, pattern) in enumerate(_CUES):
        if cue_lang == lang and pattern.search(norm):
            found.update(f"cue:{index}.{copy}" for copy in range(CUE_COPIES))
    found.add(f"lang:{lang}")
    return sorted(found)
