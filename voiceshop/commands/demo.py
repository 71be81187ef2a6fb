"""`voiceshop demo`: a scripted voice shopping session, end to end through TTS, ASR, NLU, skill and TTS."""

from __future__ import annotations

import json
import re
import tempfile
import time
from pathlib import Path
from typing import Any

import click

from speech.cloud import SPEAKER_PHRASES
from speech.speaker import NOT_CAUGHT
from speech.tts import check_voice
from voiceshop.commands.speaker import DEMO_USER, build_loop
from voiceshop.errors import UserError

# What the user says before checking out, in order; after the lines marked True the user also answers
# the skill's follow-up questions (which product, add it?) until it asks nothing more.
SCRIPT_BEFORE: list[tuple[str, bool]] = [
    ("open voice shop", False),
    ("search for coffee", False),
    ("the second one", False),
    ("add two of them", False),
    ("add two bananas", True),
    ("what's in my cart", False),
    ("check out", False),
]
FOLLOW_UPS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"which one would you like", re.I), "the first one"),
    (re.compile(r"how many would you like", re.I), "add one of them"),
    (re.compile(r"would you like to add (it|them)|just to check|to your cart\?|want (it|them), or hear other options", re.I), "yes"),
]
SCRIPT_AFTER = ["where is my order", "stop"]

# The checkout asks what it needs in an order the skill decides: answer what was asked.
ANSWERS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"voice code|four.digit", re.I), "one two three four"),
    (re.compile(r"which address|deliver to\b.*\?|what address", re.I), "ship it to my home address"),
    (re.compile(r"which card|pay with\b.*\?|charge\?", re.I), "pay with my visa"),
    (re.compile(r"when would you like|when should i deliver|delivery time|which day", re.I), "deliver it tomorrow morning"),
    (re.compile(r"shall i place|place the order\?|would you like to|is that right|should i", re.I), "yes"),
]
PLACED = re.compile(r"order is placed|order number", re.I)
MAX_ANSWERS = 8

# The same session in Korean (`--locale ko-KR`).
KO_SCRIPT_BEFORE: list[tuple[str, bool]] = [
    ("보이스 샵 열어 줘", False),
    ("커피 찾아 줘", False),
    ("두 번째 거", False),
    ("두 개 담아 줘", False),
    ("바나나 두 송이 담아 줘", True),
    ("장바구니에 뭐 있어", False),
    ("결제할게", False),
]
KO_FOLLOW_UPS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"어떤 걸로 할까요"), "첫 번째 거"),
    (re.compile(r"몇 개 담을까요"), "한 개 담아 줘"),
    (re.compile(r"담을까요"), "네"),
]
KO_ANSWERS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"음성 코드"), "일 이 삼 사"),
    (re.compile(r"어디로 배송|어느 주소"), "집으로 보내 줘"),
    (re.compile(r"어떤 카드"), "비자로 결제해 줘"),
    (re.compile(r"언제 받으시겠어요|언제 배송"), "내일 오전에 배송해 줘"),
    (re.compile(r"주문할까요|할까요"), "네"),
]
KO_PLACED = re.compile(r"주문이 완료됐어요|주문 번호")
SCRIPTS: dict[str, tuple[Any, ...]] = {
    "en-US": (SCRIPT_BEFORE, FOLLOW_UPS, SCRIPT_AFTER, ANSWERS, PLACED, "en-us+klatt2"),
    "ko-KR": (KO_SCRIPT_BEFORE, KO_FOLLOW_UPS, ["내 주문 어디쯤이야", "그만"], KO_ANSWERS, KO_PLACED, "ko"),
}
"""Per locale: lines before checkout, follow-ups, lines after, checkout answers, 'placed', the user's voice."""


def answer_for(speech: str, answers: list[tuple[re.Pattern[str], str]] | None = None) -> str | None:
    """The demo user's answer to the skill's question, or None when it asked nothing we know."""
    for pattern, answer in ANSWERS if answers is None else answers:
        if pattern.search(speech):
            return answer
    return None


def _say(loop: Any, line: str, n: int, out_dir: Path, voice: str | None) -> dict[str, Any]:
    from speech.audio import load_wav

    sp = loop.speaker
    start = time.perf_counter()
    user_wav = sp.synthesizer.synthesize(line, out_dir / f"turn-{n:02d}-user.wav", voice=voice)
    audio = load_wav(user_wav)
    tts_in = time.perf_counter() - start
    vt = sp.hear(audio, source=str(user_wav))
    return {"said": line, "user_audio": str(user_wav), "vt": vt, "tts_in": tts_in}


def _print(rec: dict[str, Any], as_json: bool) -> None:
    vt = rec["vt"]
    if as_json:
        out = vt.to_json()
        out["said"] = rec["said"]
        out["audio"] = str(vt.audio_out) if vt.audio_out else None
        out["timings"] = {"tts_in": round(rec["tts_in"], 4), **{k: round(v, 4) for k, v in vt.timings.items()}}
        click.echo(json.dumps(out))
        return
    t = vt.transcript
    heard = t.text if t and t.text else f"(not understood; engine heard {t.raw!r})" if t else "(nothing)"
    tm = vt.timings
    click.echo(f"you said : {rec['said']}")
    click.echo(f"heard    : {heard}")
    if t and t.rewritten:
        click.echo(f"  (the engine heard {t.raw!r})")
    click.echo(f"speaker  : {vt.speech}")
    click.echo(
        f"  timings: TTS in {rec['tts_in']:.2f}s, ASR {tm.get('asr', 0):.2f}s, NLU+skill {tm.get('nlu_skill', 0):.2f}s, "
        f"TTS out {tm.get('tts_out', 0):.2f}s; audio: {rec['user_audio']} -> {vt.audio_out}"
    )
    click.echo()


@click.command()
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("out/demo"), show_default=True,
              help="Where the user's and the speaker's WAVs are written.")
@click.option("--asr", "engine", type=click.Choice(["vosk", "pocketsphinx", "pocketsphinx-jsgf", "pocketsphinx-open"]),
              help="ASR engine (default: the locale's choice).")
@click.option("--voice", help="espeak-ng voice the demo user speaks with (default: en-us+klatt2; ko for ko-KR).")
@click.option("--locale", default="en-US", show_default=True, type=click.Choice(sorted(SCRIPTS)),
              help="The session's language: its script, model and shop.")
@click.option("--answer-voice", help="espeak-ng voice of the speaker's answers (default: espeak-ng's).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object a turn (speaker's fields, 'said', 'timings').")
@click.option("--rescore/--no-rescore", default=None,
              help="Let Whisper tiny.en choose between the sentences heard, and what it hears itself "
                   "(default: on when installed).")
def demo(out_dir: Path, engine: str | None, voice: str | None, locale: str, answer_voice: str | None, as_json: bool,
         rescore: bool | None) -> None:
    """A scripted voice shopping session, from "open voice shop" to a placed order.

    Each line of the user is synthesised to a WAV, recognised, understood, answered by the skill (in
    process, a fresh temporary database, the demo account with voice code 1234) and spoken back to a
    WAV. The checkout's questions (address, card, delivery time, confirmation, voice code) are answered
    as the skill asks them. Exit status 1 when no order was placed.

    \b
    Examples:
      voiceshop demo
      voiceshop demo --asr pocketsphinx-open --voice en-us+klatt --out-dir /tmp/demo
      voiceshop demo --locale ko-KR      # in Korean, with Vosk's Korean model (espeak-ng's Korean is poor)
    """
    from speech.asr import SnappingRecognizer

    script_before, follow_ups, script_after, answers, placed_re, user_voice = SCRIPTS[locale]
    voice = voice or user_voice
    check_voice(voice)  # before anything is printed or built: the user's voice is the demo's input
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="voiceshop-demo-") as tmp:
        loop = build_loop(model_path=None, locale=locale, engine=engine, endpoint=None, db=Path(tmp) / "demo.db",
                          user_id=DEMO_USER, out_dir=out_dir, voice=answer_voice, rescore=rescore)
        sp = loop.speaker
        n = 0
        placed = False
        try:
            if not as_json:
                rescored = isinstance(sp.recognizer, SnappingRecognizer) and sp.recognizer.rescorer is not None
                second = " + Whisper rescoring" if rescored else ""
                click.echo(f"Voice Shop demo: user voice {voice}, ASR {sp.recognizer.engine}{second}; audio in {out_dir}/\n")
            not_caught = SPEAKER_PHRASES.get(locale, {}).get("not_caught", NOT_CAUGHT)
            for first_line, follow in script_before:
                line = first_line
                for _step in range(4):
                    for _attempt in (1, 2):  # not caught: say it once more, as a person would
                        n += 1
                        rec = _say(loop, line, n, out_dir, voice)
                        _print(rec, as_json)
                        if rec["vt"].speech != not_caught:
                            break
                    if not follow:
                        break
                    reply = rec["vt"].speech
                    answer = next((a for p, a in follow_ups if p.search(reply)), None)
                    if answer is None:
                        break
                    line = answer
            speech = rec["vt"].speech
            asked = speech
            for _ in range(MAX_ANSWERS):
                if placed_re.search(speech):
                    placed = True
                    break
                if speech != not_caught:
                    asked = speech
                answer = answer_for(asked, answers)  # not caught: say the same answer again, as a person would
                if answer is None:
                    break
                n += 1
                rec = _say(loop, answer, n, out_dir, voice)
                _print(rec, as_json)
                speech = rec["vt"].speech
            placed = placed or bool(placed_re.search(speech))
            for line in script_after:
                n += 1
                _print(_say(loop, line, n, out_dir, voice), as_json)
        finally:
            sp.close()
            sp.synthesizer.close()
    if not placed:
        raise UserError("the demo session ended without a placed order", exit_code=1)
    if not as_json:
        click.echo(f"Order placed. {n} turns; every WAV is in {out_dir}/")
