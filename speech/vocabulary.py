"""The words of the speech side, written once: how people say Amazon's built-in intents, how they name a
skill to open it ("open voice shop", "ask voice shop to ..."), the built-ins that leave a dialog's
question, and how heard text is written before anything compares it.

    phrasebook("en-US").builtin["AMAZON.YesIntent"]   # every phrasing the NLU understands
    phrasebook("en-US").heard["AMAZON.YesIntent"]     # the common ones the recogniser's grammar listens for
    heard_text("What\u2019s in my cart?")             # "what's in my cart"

The NLU (`speech.nlu`), the recogniser's grammar (`speech.grammar`), the dialog layer (`speech.dialog`,
`speech.cloud`) and the validator (`speech.validate`) read them from here; the NLU then reads text
further (`speech.nlu.normalize.tokens`: contractions, numbers, fillers). The Korean phrasings are written
beside the Korean analyser (`speech.nlu.korean`) and reach the rest through `phrasebook("ko-KR")`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

__all__ = [
    "ASK_VERBS",
    "ENGLISH_LAUNCH",
    "ENGLISH_ONE_SHOT",
    "ENGLISH_PHRASINGS",
    "ESCAPE_INTENTS",
    "EXIT_WORDS",
    "FALLBACK_INTENT",
    "KOREAN_LAUNCH_ENDINGS",
    "KOREAN_LAUNCH_STEMS",
    "KOREAN_LAUNCH_SOFTENERS",
    "KOREAN_LAUNCH_VERBS",
    "KOREAN_ONE_SHOT_JOINS",
    "LAUNCH_PHRASES",
    "LAUNCH_VERBS",
    "NO_REPLIES",
    "QUIET_WORDS",
    "RESERVED_LAUNCH_WORDS",
    "YES_REPLIES",
    "Phrasebook",
    "Phrasings",
    "heard_text",
    "phrasebook",
]

FALLBACK_INTENT = "AMAZON.FallbackIntent"

ESCAPE_INTENTS = ("AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.HelpIntent", "AMAZON.NavigateHomeIntent")
"""Built-ins a user may say instead of answering the dialog's question (the voice cloud's escapes); with
the fallback, the built-ins Alexa requires of every skill."""


@dataclass(frozen=True)
class Phrasings:
    """How people say one built-in intent (written here, not copied)."""

    heard: tuple[str, ...]
    """The common phrasings: the recogniser's grammar listens for these, in this order."""
    more: tuple[str, ...] = ()
    """Further phrasings the NLU understands as well."""

    @property
    def all(self) -> tuple[str, ...]:
        return self.heard + self.more


ENGLISH_PHRASINGS: dict[str, Phrasings] = {
    "AMAZON.YesIntent": Phrasings(
        heard=("yes", "yeah", "yes please", "sure", "okay", "yep", "correct", "that's right"),
        more=(
            "yup", "ok", "yes it is", "right", "absolutely", "of course", "definitely", "please do",
            "go ahead", "do it", "sounds good", "affirmative", "that is correct", "yes do it", "sure thing",
            "why not", "alright", "all right", "confirm", "i do", "yes i do", "fine", "uh huh", "that works",
            "perfect", "exactly", "sounds great", "that one", "yes that one", "go for it", "yes go for it",
            "let us do it", "works for me", "that is fine", "yes that is fine",
        ),
    ),
    "AMAZON.NoIntent": Phrasings(
        heard=("no", "nope", "no thanks", "no thank you"),
        more=(
            "nah", "not really", "no way", "negative", "not now", "i do not", "do not", "no it is not",
            "that is wrong", "wrong", "not that", "i do not think so", "no i do not", "not at all",
            "no not that one", "definitely not", "i would rather not", "don't", "no keep it", "keep it",
            "no leave it", "leave it", "no do not cancel it", "do not cancel it", "no i am good",
            "i am good", "hold off", "no that is fine", "not yet", "no not yet", "not today", "i will pass",
            "maybe later",
        ),
    ),
    "AMAZON.StopIntent": Phrasings(
        heard=("stop", "off", "shut up", "exit", "quit", "goodbye", "bye"),
        more=(
            "be quiet", "that is all", "that is enough", "enough", "good bye", "i am done", "we are done",
            "end", "leave", "stop talking", "i am finished", "close", "turn off", "that is all for today",
            "that will be all", "nothing else", "no that is all", "no nothing else", "we are done here",
            "i am all set", "all set", "that is it", "that is it for now", "that will do",
        ),
    ),
    "AMAZON.CancelIntent": Phrasings(
        heard=("cancel", "never mind", "forget it"),
        more=(
            "nevermind", "cancel that", "forget about it", "scratch that", "abort", "cancel it",
            "do not bother", "skip it",
        ),
    ),
    "AMAZON.HelpIntent": Phrasings(
        heard=("help", "help me", "what can you do", "what can i say"),
        more=(
            "what can i do", "how does this work", "i need help", "what are my options", "how do i use this",
            "what do i say", "i am confused", "i am lost", "what should i say", "how does it work",
            "options", "instructions",
        ),
    ),
    "AMAZON.RepeatIntent": Phrasings(
        heard=("repeat", "say that again", "repeat that", "what did you say"),
        more=(
            "what", "pardon", "come again", "sorry what", "can you repeat that", "say it again", "once more",
            "one more time", "i did not catch that", "i did not hear you", "again", "pardon me",
        ),
    ),
    "AMAZON.NextIntent": Phrasings(
        heard=("next", "next one", "skip"),
        more=(
            "more", "show me more", "more results", "the next one", "what else", "keep going", "continue",
            "go on", "next page", "anything else", "other options", "more options",
        ),
    ),
    "AMAZON.StartOverIntent": Phrasings(
        heard=("start over", "restart", "start again"),
        more=(
            "begin again", "from the beginning", "start from scratch", "reset", "let us start over",
            "start from the beginning", "begin from the start",
        ),
    ),
    "AMAZON.NavigateHomeIntent": Phrasings(
        heard=("go home", "home"),
        more=(
            "main menu", "go to the main menu", "take me home", "go to the start", "back to the start",
            "home screen", "go to home",
        ),
    ),
    "AMAZON.PreviousIntent": Phrasings(
        heard=(),
        more=(
            "previous", "go back", "back", "the previous one", "last one",
        ),
    ),
    "AMAZON.PauseIntent": Phrasings(
        heard=(),
        more=(
            "pause", "hold on", "wait",
        ),
    ),
    "AMAZON.ResumeIntent": Phrasings(
        heard=(),
        more=(
            "resume", "carry on", "unpause",
        ),
    ),
}
"""Built-in intent -> how people say it in English, so it works without samples, as on a real speaker."""

YES_REPLIES = frozenset({"yes", "yeah", "yep", "yup", "sure", "correct", "right", "ok", "okay", "affirmative",
                         "please do"})
NO_REPLIES = frozenset({"no", "nope", "nah", "negative", "wrong", "incorrect", "no thanks", "no thank you"})
"""First words of a reply that answer a yes/no question when the NLU heard another request in it."""

QUIET_WORDS = frozenset({"stop", "cancel", "never mind", "nevermind", "exit", "quit", "shut up", "be quiet",
                         "goodbye", "그만", "취소", "멈춰", "조용히 해", "종료", "됐어"})
"""Said out of session (either language), these just make the speaker stop talking."""
EXIT_WORDS = frozenset({"exit", "quit", "exit skill", "quit skill", "종료", "나가기", "스킬 종료"})
"""Said in session (either language), these close the skill without asking it."""

LAUNCH_VERBS = ("open", "launch", "start", "begin", "load", "run", "play", "resume", "use")
"""Verbs that open a skill named after them ("open voice shop", "start voice shop and add milk")."""
ASK_VERBS = ("ask", "tell")
"""Verbs that open a skill with a request ("ask voice shop to add milk", "tell voice shop i want eggs")."""
LAUNCH_PHRASES = ("talk to", "go to")
"""Phrases that name the skill to open, as the verbs do."""
RESERVED_LAUNCH_WORDS = frozenset({*LAUNCH_VERBS, *ASK_VERBS, "enable"})
"""Words an invocation name may not hold: Alexa's launch words ('enable' enables a skill)."""

ENGLISH_LAUNCH = ["open {inv}", "start {inv}", "launch {inv}", "talk to {inv}", "{inv}"]
ENGLISH_ONE_SHOT = ["ask {inv} to", "tell {inv} to", "ask {inv} for", "open {inv} and", "ask {inv}", "tell {inv}"]
"""What the recogniser's grammar says around the invocation name ({inv}): the launch phrases, and the
prefixes before a request in one breath."""

KOREAN_LAUNCH_VERBS = ("열어", "열어줘", "열어 줘", "열어 주세요", "열어줄래", "열어 줄래", "켜", "켜 줘", "켜줘", "켜 주세요",
                       "시작", "시작해", "시작해 줘", "시작해 주세요", "시작할게", "실행", "실행해", "실행해 줘",
                       "실행해 주세요", "불러 줘", "불러줘", "열기", "시작하기")
"""What follows a Korean invocation name to open the skill ("보이스 샵 열어 줘"); nothing at all does too."""
KOREAN_LAUNCH_STEMS = ("열어", "켜", "시작해", "시작", "실행해", "실행", "불러", "열기", "시작하기")
KOREAN_LAUNCH_ENDINGS = ("줘요", "줘", "주세요", "주실래요", "줄래요", "줄래", "주라", "봐요", "봐", "요")
"""The launch verbs' stems and the endings a shopper puts on them, polite or casual, spaced or not ("좀 열어
주세요", "열어 줘요", "켜 줄래", "열어봐"): the cloud opens the skill on any stem with any ending."""
KOREAN_LAUNCH_SOFTENERS = ("좀", "한번", "한 번", "어서", "얼른")
"""Words said before a Korean launch verb that change nothing ("보이스 샵 좀 열어 줘")."""
KOREAN_ONE_SHOT_JOINS = ("에서", "한테", "에게", "으로", "로", "열고", "켜고", "시작하고")
"""What joins a Korean invocation name to a request in one breath ("보이스 샵에서 우유 담아 줘"), tried in this order."""


@dataclass(frozen=True)
class Phrasebook:
    """How one language talks to a speaker around a skill's own requests."""

    builtin: dict[str, tuple[str, ...]]
    """Built-in intent -> every phrasing the NLU understands without samples."""
    heard: dict[str, list[str]]
    """Built-in intent -> the phrasings the recogniser's grammar listens for (yes, no and the escapes)."""
    launch: list[str]
    """How the skill is opened, {inv} its invocation name."""
    one_shot: list[str]
    """Prefixes that open the skill with a request said in the same breath."""


@cache
def phrasebook(locale: str) -> Phrasebook:
    """The phrasebook of `locale`: Korean for ko-*, else English."""
    if locale.startswith("ko"):
        from speech.nlu import korean

        phrases = dict(korean.KOREAN_BUILTIN_PHRASES)
        heard = {name: list(p) for name, p in phrases.items()}
        return Phrasebook(phrases, heard, korean.KOREAN_LAUNCH, korean.KOREAN_ONE_SHOT)
    builtin = {name: p.all for name, p in ENGLISH_PHRASINGS.items()}
    heard = {name: list(p.heard) for name, p in ENGLISH_PHRASINGS.items() if p.heard}
    return Phrasebook(builtin, heard, ENGLISH_LAUNCH, ENGLISH_ONE_SHOT)


_NOT_A_WORD = re.compile(r"[^\w' ]+")
_DIGIT_GROUP = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


def heard_text(text: str) -> str:
    """Heard or typed words as the speech side compares them: lower case, typographic apostrophes made
    plain, punctuation (but apostrophes) to spaces, single-spaced: "What\u2019s in my cart?" -> "what's in my cart".
    A comma grouping digits is dropped, so a typed amount stays one number ("15,000원" -> "15000원")."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").lower()
    text = _DIGIT_GROUP.sub("", text)
    return " ".join(_NOT_A_WORD.sub(" ", text).split())
