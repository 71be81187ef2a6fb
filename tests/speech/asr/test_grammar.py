from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from speech.asr import PocketSphinxRecognizer, create_recognizer
from speech.asr.snap import Snap, Snapper, value_words
from speech.asr.sphinx_engine import phones
from speech.grammar import Grammar, arpa_bigram, arpa_templates, build_grammar, phrase_list
from speech.interaction_model import load_interaction_model
from tests.speech.conftest import DATA
from tests.support.paths import REPO

MINI = DATA / "mini_model.json"


@pytest.fixture(scope="module")
def mini() -> Grammar:
    return build_grammar(load_interaction_model(MINI))


@pytest.mark.parametrize(
    "text",
    [
        "add two bottles of milk",
        "add twenty five gallon of oat milk",
        "add ground coffee to my cart",
        "my code is nine oh one two",
        "deliver it next friday",
        "deliver it on november twenty eighth",
        "what's in my cart",
        "open voice shop",
        "ask voice shop to add whole milk",
        "stop",
        "yes please",
    ],
)
def test_grammar_accepts_what_the_model_can_say(mini: Grammar, text: str) -> None:
    assert mini.accepts(text)


@pytest.mark.parametrize("text", ["add two bottles of bread", "add to bottles of milk", "what is the weather", "my code is one two"])
def test_grammar_refuses_what_the_model_cannot_say(mini: Grammar, text: str) -> None:
    assert not mini.accepts(text)


def test_grammar_snaps_near_sentences_and_rejects_far_ones(mini: Grammar) -> None:
    snapped = Snapper(mini).snap("add to bottles of milk")
    assert snapped.text is not None and snapped.text.startswith("add two bottles of") and mini.accepts(snapped.text)
    assert Snapper(mini).snap("what is the weather like today").text is None
    snapped = Snapper(mini, phones=phones).snap("what's in my card")  # near by sound
    assert snapped.text == "what's in my cart"


@pytest.mark.parametrize("heard", ["what to three four", "my code is nine two three four five", "one two three"])
def test_grammar_snap_never_makes_up_a_code(mini: Grammar, heard: str) -> None:
    """The phrase list holds a few sample codes; snapping a heard code to the nearest of them would
    make up a voice code (a wrong one counts towards the lockout). Other digits than heard: rejected."""
    for snap in (Snapper(mini).snap(heard), Snapper(mini, phones=phones).snap(heard)):
        assert snap.text is None, snap


def test_grammar_snap_keeps_a_code_heard_with_a_homophone(mini: Grammar) -> None:
    assert Snapper(mini, phones=phones).snap("my code is one two three for").text == "my code is one two three four"


@pytest.fixture(scope="module")
def shop() -> Grammar:
    return build_grammar(load_interaction_model(REPO / "interaction_model.json"))


def test_value_words_are_the_words_only_slot_values_say(shop: Grammar) -> None:
    assert {"coffee", "pasta", "visa", "afternoon"} <= value_words(shop)
    assert not {"add", "my", "cart", "remove", "two", "tomorrow", "first"} & value_words(shop)


@pytest.mark.parametrize(
    "heard", ["remove the coffee to my cart", "add the coffee to my car", "remove the bananas form my cart"]
)
def test_grammar_snap_never_swaps_a_heard_product_for_another(shop: Grammar, heard: str) -> None:
    """The phrase list holds a sample of products per template: the nearest listed sentence to a heard
    one often names another product ('remove the pasta from my cart', as measured on espeak-ng en-us)."""
    for snap in (Snapper(shop).snap(heard), Snapper(shop, phones=phones).snap(heard)):
        said = set(heard.split()) & value_words(shop)
        assert snap.text is None or not (set(snap.text.split()) & value_words(shop)) - said, snap


def test_grammar_snap_never_grows_a_heard_product_into_another(mini: Grammar) -> None:
    # 'milk' and 'whole milk' name one product; 'oat milk' is another
    snapper = Snapper(mini)
    assert snapper._keep_heard(Snap("add two bottles of oat milk", 90.0, "add to bottles of milk"),
                               "add to bottles of milk").text is None
    kept = snapper._keep_heard(Snap("add two bottles of whole milk", 90.0, "add to bottles of milk"),
                               "add to bottles of milk")
    assert kept.text == "add two bottles of whole milk"


def test_grammar_snap_may_drop_a_stray_word_around_a_product(shop: Grammar) -> None:
    assert Snapper(shop, phones=phones).snap("look for the butter").text == "look for butter"


def test_grammar_phrases_use_every_slot_value(mini: Grammar) -> None:
    text = " ".join(mini.phrases)
    for value in ("oat milk", "whole milk", "ground coffee", "gallon", "bottles"):
        assert value in text


def test_grammar_words_cover_every_phrase_and_one_shot_prefix(shop: Grammar) -> None:
    # the recognisers build their vocabulary from `words`: a phrase word missing there drops the phrase
    # ('ask' once was, and with it every "ask voice shop to ..." request)
    assert "ask" in shop.words
    assert {w for p in shop.phrases for w in p.split()} <= shop.words
    rec = create_recognizer("en-US", engine="pocketsphinx", grammar=shop, snap=False)
    assert isinstance(rec, PocketSphinxRecognizer) and rec.arpa is not None
    grams = {line.split("\t")[1] for line in rec.arpa.splitlines() if "\t" in line}
    assert {"ask", "ask voice", "voice shop"} <= grams


def test_jsgf_parses_in_pocketsphinx_and_says_unknown_words_as_espeak_does(mini: Grammar) -> None:
    rec = create_recognizer("en-US", engine="pocketsphinx-jsgf", grammar=mini, snap=False)
    assert isinstance(rec, PocketSphinxRecognizer)
    assert rec.missing == [] and "xyzzyplugh" in rec.spelled and "xyzzyplugh" in (rec.jsgf or "")
    rec._load()  # raises EngineError when pocketsphinx cannot parse the JSGF


def test_jsgf_drops_the_words_nothing_can_pronounce(mini: Grammar, monkeypatch: pytest.MonkeyPatch) -> None:
    import speech.asr.sphinx_engine

    monkeypatch.setattr(speech.asr.sphinx_engine, "espeak_pronunciations", lambda words: {})  # as without espeak-ng
    rec = create_recognizer("en-US", engine="pocketsphinx-jsgf", grammar=mini, snap=False)
    assert isinstance(rec, PocketSphinxRecognizer)
    assert rec.missing == ["xyzzyplugh"]  # reported, and left out of the grammar
    assert "xyzzyplugh" not in (rec.jsgf or "")
    rec._load()


@pytest.mark.slow
def test_arpa_bigram_is_a_loadable_language_model(mini: Grammar, tmp_path: Path) -> None:
    text = arpa_bigram(mini.phrases)
    assert text.startswith("\\data\\") and "\\2-grams:" in text and text.rstrip().endswith("\\end\\")
    rec = PocketSphinxRecognizer(arpa=text)
    rec._load()


def _bigrams(arpa: str) -> dict[tuple[str, str], float]:
    section = arpa.split("\\2-grams:")[1].split("\\end\\")[0]
    out = {}
    for line in section.strip().splitlines():
        logp, pair = line.split("\t")
        a, b = pair.split()
        out[(a, b)] = 10 ** float(logp)
    return out


@pytest.mark.slow
def test_arpa_templates_says_every_slot_value_wherever_its_slot_is(tmp_path: Path) -> None:
    values = {"PRODUCT": ["milk", "eggs", "peanut butter", "oat milk", "zzyzx bars"]}
    weights = {"add {PRODUCT}": 40.0, "remove the {PRODUCT} please": 40.0, "help": 40.0, "frobnicate it": 40.0}
    keep = {"add", "remove", "the", "please", "help", "milk", "eggs", "peanut", "butter", "oat", "it"}
    text = arpa_templates(weights, values, keep)
    bi = _bigrams(text)
    # all four values it can hear follow both 'add' and 'the', each as likely as the next
    after_add = [bi[("add", w)] for w in ("milk", "eggs", "peanut", "oat")]
    assert max(after_add) == pytest.approx(min(after_add))
    assert all(("the", w) in bi for w in ("milk", "eggs", "peanut", "oat"))
    assert ("peanut", "butter") in bi and ("butter", "please") in bi and ("milk", "</s>") in bi
    # a value with a word it cannot hear and a template with one are left out
    assert not any("zzyzx" in pair or "frobnicate" in pair for pair in bi)
    assert ("<s>", "help") in bi
    # a heavier template is likelier
    heavier = _bigrams(arpa_templates({**weights, "help": 400.0}, values, keep))
    assert heavier[("<s>", "help")] > bi[("<s>", "help")]
    PocketSphinxRecognizer(arpa=text)._load()


@pytest.mark.slow
def test_arpa_templates_of_the_real_model_holds_fills_its_sampled_phrases_lack() -> None:
    from speech.interaction_model import default_model_path

    g = build_grammar(load_interaction_model(default_model_path()))
    sampled = _bigrams(arpa_bigram(g.phrases, weights=g.weights))
    counted = _bigrams(arpa_templates(g.template_weights(), g.slot_values))
    # a product the draw leaves out after 'add' (which one moves with every sample added to the model)
    left = next(w for w in (v.split()[0] for v in g.slot_values["PRODUCT"]) if ("add", w) not in sampled)
    assert ("add", left) in counted and ("add", "milk") in counted
    assert set(sampled) <= set(counted)  # every pair the sample says, and more
    firsts = [v.split()[0] for v in g.slot_values["PRODUCT"]]
    values = value_words(g)
    once = [w for w in firsts if firsts.count(w) == 1 and w in values]  # begins one product ('chai'), no more
    assert len(once) > 100 and max(counted[("add", w)] for w in once) == pytest.approx(min(counted[("add", w)] for w in once))


def _pairs(phrases: list[str]) -> Counter[tuple[str, str]]:
    out: Counter[tuple[str, str]] = Counter()
    for p in phrases:
        words = ["<s>", *p.split(), "</s>"]
        out.update(zip(words, words[1:], strict=False))
    return out


def test_phrase_list_says_every_value_in_every_place_its_slot_is() -> None:
    values = {"PRODUCT": [f"thing{i}" for i in range(60)] + ["peanut butter", "zzyzx bars"],
              "NUM": ["one", "two", "three"]}
    weights = {"add {PRODUCT}": 40.0, "please add {PRODUCT}": 40.0, "remove the {PRODUCT} please": 40.0,
               "add {NUM} {PRODUCT}": 40.0, "help": 40.0, "check out": 10.0, "frobnicate it": 40.0}
    keep = {"add", "please", "remove", "the", "help", "check", "out", "one", "two", "three", "peanut", "butter",
            *values["PRODUCT"][:60]}
    phrases = phrase_list(weights, values, keep)
    pairs = _pairs(phrases)
    heard = [v for v in values["PRODUCT"] if v != "zzyzx bars"]
    for v in heard:
        first, last = v.split()[0], v.split()[-1]
        # after 'add', after 'the' and after a number; before the end and before 'please'
        assert pairs[("add", first)] and pairs[("the", first)] and pairs[("three", first)], v
        assert pairs[(last, "</s>")] and pairs[(last, "please")], v
    assert pairs[("peanut", "butter")] and pairs[("<s>", "please")] and pairs[("please", "add")]
    # what cannot be heard is not said: a value with an unknown word, a template with one
    assert not any("zzyzx" in p or "frobnicate" in p for p in phrases)
    # the values of a place are said evenly, and a template without slots as often as its weight
    after_add = [pairs[("add", v.split()[0])] for v in heard]
    assert max(after_add) - min(after_add) <= 1
    assert phrases.count("help") == 40 and phrases.count("check out") == 10
    # every sentence is one the templates can say
    g = Grammar(invocation="", templates=list(weights), slot_values=values)
    assert all(g.accepts(p) for p in set(phrases))
    # past a limit each place says its share of it, and every value is still said somewhere
    weighed = 4 * 40 + 40 + 10  # what the weights of the templates it can say ask for
    limit = (weighed + len(phrases)) // 2
    short = phrase_list(weights, values, keep, limit=limit)
    assert len(short) <= limit + len(weights)  # a phrase more a template at most, rounding up
    assert short.count("help") == 40 and len(phrase_list(weights, values, keep, limit=1)) == weighed
    assert "help" not in phrase_list({**weights, "help": 0.0}, values, keep)  # a template weighing nothing
    assert all(any(f" {v} " in f" {p} " for p in short) for v in heard)


def test_phrase_list_says_listed_pairs_of_a_run_not_every_combination() -> None:
    values = {"FEATURE": ["cheap", "acme", "zenith"], "PRODUCT": ["milk", "acme milk", "bread", "cheese", "jam"]}
    weights = {"the {FEATURE} {PRODUCT} please": 40.0, "add {PRODUCT}": 40.0}
    every = phrase_list(weights, values)
    crossed = {p for p in every if p.endswith(" please")}
    assert len(crossed) == 15  # without pairs, every brand with every product
    paired = phrase_list(weights, values, pairs={("FEATURE", "PRODUCT"): [("acme", "milk"), ("zenith", "cider")]})
    said = {p for p in paired if p.endswith(" please")}
    assert "the acme milk please" in said  # a listed pair, said although the turn would not say it
    assert len(said) <= 1 + 5 and len(said) < len(crossed)  # and otherwise each value in turn
    assert all(any(f" {v} " in f" {p} " for p in said) for vs in values.values() for v in vs)
    assert not any("cider" in p for p in paired)  # a pair with a value the type lacks is not said
    assert [p for p in paired if p.startswith("add")] == [p for p in every if p.startswith("add")]


@pytest.mark.slow
def test_vosk_phrase_list_of_the_real_model_says_every_product_after_add() -> None:
    from speech.interaction_model import default_model_path

    g = build_grammar(load_interaction_model(default_model_path()))
    pairs = _pairs(g.vosk_phrases())
    sampled = _pairs(g.phrases)
    firsts = {v.split()[0] for v in g.slot_values["PRODUCT"]}
    assert any(not sampled[("add", w)] for w in firsts), "the draw says every product after 'add'"
    assert all(pairs[("add", w)] for w in firsts)
    assert set(sampled) <= set(pairs)  # every pair the sampled phrases say, and more
    limited = phrase_list(g.template_weights(), g.slot_values, limit=50_000)  # a catalogue too big
    assert len(limited) <= 50_000 + len(g.template_weights())
    assert firsts <= {b for (_, b) in _pairs(limited)}  # every product is still said
    assert Grammar.from_phrases(["one two", "three"]).vosk_phrases() == ["one two", "three"]


def test_real_model_grammar_words_missing_from_the_dictionary_are_reported() -> None:
    from speech.interaction_model import default_model_path

    g = build_grammar(load_interaction_model(default_model_path()))
    rec = create_recognizer("en-US", engine="pocketsphinx", grammar=g, snap=False)
    assert isinstance(rec, PocketSphinxRecognizer)
    assert all(w in g.words for w in rec.missing + rec.spelled)
    assert "almondmilk" in rec.spelled  # built from 'almond' + 'milk'


def test_grammar_one_word_less_finds_sentences_outside_the_phrase_sample(mini: Grammar) -> None:
    heard = "add twenty five gallon of oat milk to"
    assert Snapper(mini).one_word_less(heard) == ["add twenty five gallon of oat milk"]
    assert Snapper(mini).one_word_less("what is the weather") == []
    snapped = Snapper(mini, phones=phones).snap(heard)
    assert snapped.text == "add twenty five gallon of oat milk"


@pytest.mark.slow
def test_accepts_answers_as_a_match_against_every_template_would(grammar: Grammar) -> None:
    """accepts() looks only at the templates that can start with the sentence's first word (and those
    that start with a slot), and remembers its answers: the same answers as matching every template."""
    import random

    from speech.grammar import _matches, _parse_template, _slot_sets

    sets = _slot_sets(grammar.slot_values)
    templates = [_parse_template(t) for t in grammar.templates]
    commands = [_parse_template(t) for t in grammar.commands]

    def every_template(text: str) -> bool:
        if any(_matches(p, text.split(), sets) for p in templates):
            return True
        prefix, rest = grammar.split_one_shot(text)
        return bool(prefix) and any(_matches(p, rest.split(), sets) for p in commands)

    rng = random.Random(5)
    sentences = rng.sample(grammar.phrases, 300)
    vocabulary = sorted({w for s in sentences for w in s.split()})
    mutated = []
    for s in sentences:  # a word dropped, swapped or added: mostly sentences no template says
        words = s.split()
        i = rng.randrange(len(words))
        mutated += [" ".join(words[:i] + words[i + 1 :]), " ".join([*words[:i], rng.choice(vocabulary), *words[i + 1 :]]),
                    " ".join([*words, rng.choice(vocabulary)])]
    said = [s for s in mutated if every_template(s)]
    assert 0 < len(said) < len(mutated)  # both kinds are checked
    for s in [*sentences, *mutated, "ask voice shop to add milk", "ask voice shop to fly"]:
        assert grammar.accepts(s) == every_template(s), s
        assert grammar.accepts(s) == every_template(s), s  # the remembered answer is the same
    assert not grammar.accepts("") and not every_template("")


def test_snap_remembers_its_answers(mini: Grammar) -> None:
    """A recogniser snaps a hypothesis to choose its sentence and again to list the second opinion's
    candidates: the second time is answered from memory, and the answer is what a fresh snapper gives."""
    heard = ["add to bottles of milk", "what to three four", "fly me to the moon", "add ground coffee to my cart"]
    snapper = Snapper(mini, phones=phones)
    first = [snapper.snap(h) for h in heard]
    again = [snapper.snap(h) for h in heard]
    assert all(a is b for a, b in zip(first, again, strict=True))
    fresh = build_grammar(load_interaction_model(MINI))
    assert [Snapper(fresh, phones=phones).snap(h) for h in heard] == first
    assert first[0].text is not None and first[0].text.startswith("add two bottles of") and first[2].text is None
    assert Snapper(mini, threshold=101.0, phones=phones).snap(heard[0]).text is None  # another threshold
