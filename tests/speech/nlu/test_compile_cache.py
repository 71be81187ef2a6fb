"""The disk cache of compiled NLUs (`compile_model(..., cache_dir=)`): a hit answers as the compiled NLU
does without compiling, and a changed model, a damaged entry or another locale is compiled afresh."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from speech.interaction_model import model_path_for
from speech.nlu import cache, compiler
from speech.nlu.compiler import CompiledNLU, compile_model
from tests.support.paths import REPO

KOREAN = ["우유 두 개 장바구니에 담아 줘", "신라면 세 봉지 넣어줘", "일이삼사", "다른 것도 들려 줘", "내일 오전에 배송해 줘",
          "두번째 거 자세히 알려 줘", "牛乳 주세요", "ㅇㅇ"]
ENGLISH = ["add two bottles of oat milk to my cart", "check out", "deliver it tomorrow morning", "what's the weather"]


def _same(a: CompiledNLU, b: CompiledNLU, sentences: list[str]) -> None:
    for text in sentences:
        x, y = a.resolve(text), b.resolve(text)
        assert (x.intent, round(x.confidence, 6)) == (y.intent, round(y.confidence, 6)), text
        assert {k: (v.value, v.id) for k, v in x.slots.items()} == {k: (v.value, v.id) for k, v in y.slots.items()}, text


def _copy_model(tmp_path: Path, locale: str) -> Path:
    path = tmp_path / f"{locale}.json"
    path.write_bytes(model_path_for(locale).read_bytes())
    return path


@pytest.mark.parametrize(("locale", "sentences"), [("ko-KR", KOREAN), ("en-US", ENGLISH)])
def test_a_cached_nlu_answers_as_the_compiled_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, locale: str, sentences: list[str]
) -> None:
    model = _copy_model(tmp_path, locale)
    store = tmp_path / "cache"
    fresh = compile_model(model, locale, cache_dir=store)
    assert len(list(store.glob(f"{locale}-*.pickle"))) == 1
    compiler._CACHE.clear()

    def no_compiling(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled again instead of read from the cache")

    monkeypatch.setattr(CompiledNLU, "__init__", no_compiling)
    cached = compile_model(model, locale, cache_dir=store)
    assert cached is not fresh and cached.locale == locale
    _same(fresh, cached, sentences)


def test_a_changed_model_or_another_locale_is_compiled_afresh(tmp_path: Path) -> None:
    model = _copy_model(tmp_path, "ko-KR")
    store = tmp_path / "cache"
    compile_model(model, "ko-KR", cache_dir=store)
    data = json.loads(model.read_text(encoding="utf-8"))
    intents = data["interactionModel"]["languageModel"]["intents"]
    deals = next(i for i in intents if i["name"] == "DealsIntent")
    deals["samples"].append("요즘 뭐가 제일 싸게 나왔어")
    model.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    compiler._CACHE.clear()
    changed = compile_model(model, "ko-KR", cache_dir=store)
    assert len(list(store.glob("ko-KR-*.pickle"))) == 2
    assert changed.resolve("요즘 뭐가 제일 싸게 나왔어").intent == "DealsIntent"
    assert cache.cache_key(b"{}", "ko-KR") != cache.cache_key(b"{}", "en-US")


def test_a_damaged_entry_is_compiled_again_and_rewritten(tmp_path: Path) -> None:
    model = _copy_model(tmp_path, "en-US")
    store = tmp_path / "cache"
    compile_model(model, "en-US", cache_dir=store)
    (entry,) = store.glob("*.pickle")
    entry.write_bytes(entry.read_bytes()[:100])  # cut short
    compiler._CACHE.clear()
    again = compile_model(model, "en-US", cache_dir=store)
    assert again.resolve("check out").intent == "CheckoutIntent"
    assert cache.load(store, entry.name) is not None  # whole again
    entry.write_bytes(b"not a pickle")
    assert cache.load(store, entry.name) is None


def test_an_unwritable_cache_folder_only_means_no_cache(tmp_path: Path) -> None:
    model = _copy_model(tmp_path, "en-US")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    nlu = compile_model(model, "en-US", cache_dir=blocker / "cache")  # a folder under a file
    assert nlu.resolve("check out").intent == "CheckoutIntent"


def test_a_new_process_reads_the_korean_nlu_and_teaches_the_analyser_its_words(tmp_path: Path) -> None:
    """An NLU read from the cache in a fresh process reads with an analyser taught the model's words (a
    brand an untaught analyser would split)."""
    model = _copy_model(tmp_path, "ko-KR")
    store = tmp_path / "cache"
    compile_model(model, "ko-KR", cache_dir=store)
    script = (
        "import sys, json; from pathlib import Path\n"
        "from speech.nlu import compiler\n"
        "from speech.nlu.compiler import CompiledNLU, compile_model\n"
        "def refuse(*a, **k): raise SystemExit('compiled again')\n"
        "CompiledNLU.__init__ = refuse\n"
        "nlu = compile_model(Path(sys.argv[1]), 'ko-KR', cache_dir=Path(sys.argv[2]))\n"
        "r = nlu.resolve(sys.argv[3])\n"
        "print(json.dumps([r.intent, {k: [v.value, v.id] for k, v in r.slots.items()}, nlu.reader.tokens(sys.argv[3])],"
        " ensure_ascii=False))\n"
    )
    text = "백산수 찾아 줘"  # without the shop's words the analyser reads '백' + '산수'
    out = subprocess.run(
        [sys.executable, "-c", script, str(model), str(store), text],
        capture_output=True, text=True, timeout=300, check=True, env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    intent, slots, words = json.loads(out.stdout)
    assert words[0] == "백산수"
    fresh = compile_model(model_path_for("ko-KR"), "ko-KR").resolve(text)
    assert intent == fresh.intent == "SearchProductIntent"
    assert slots == {k: [v.value, v.id] for k, v in fresh.slots.items()}


def test_the_nlu_command_keeps_its_nlu_in_the_cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from voiceshop.cli import cli

    monkeypatch.setenv("VOICESHOP_NLU_CACHE", str(tmp_path / "nlu"))
    compiler._CACHE.clear()
    first = CliRunner().invoke(cli, ["nlu", "--locale", "ko-KR", "--json", "라면 두 봉지 담아 줘"])
    assert first.exit_code == 0, first.output
    assert len(list((tmp_path / "nlu").glob("ko-KR-*.pickle"))) == 1
    compiler._CACHE.clear()
    second = CliRunner().invoke(cli, ["nlu", "--locale", "ko-KR", "--json", "라면 두 봉지 담아 줘"])
    assert second.output == first.output
    monkeypatch.setenv("VOICESHOP_NLU_CACHE", "")
    compiler._CACHE.clear()
    assert CliRunner().invoke(cli, ["nlu", "--json", "check out"]).exit_code == 0
    assert not list((tmp_path / "nlu").glob("en-US-*"))  # empty: no disk cache
