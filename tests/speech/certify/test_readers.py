"""Reading test files: every format, told apart by content, and malformed files named by file and line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from speech.certify.cases import AudioSet, DialogScript, NluSet
from speech.certify.files import read_test_file, read_test_files, sniff
from speech.errors import TestFileError

from .conftest import DATA


def _error(path: Path) -> str:
    with pytest.raises(TestFileError) as caught:
        read_test_file(path)
    return str(caught.value)


def test_read_annotation_json_reads_utterances_intents_slots_and_reference_time() -> None:
    nlu_set = read_test_file(DATA / "pass_annotations.json")
    assert isinstance(nlu_set, NluSet) and nlu_set.format == "annotation-json"
    add = nlu_set.cases[1]
    assert add.intent == "AddToCartIntent"
    assert {n: s.value for n, s in add.slots.items()} == {"quantity": "3", "unit": "can", "product": "tomato soup"}
    assert nlu_set.cases[2].reference_time == "2026-03-02T12:00:00.000Z"
    assert nlu_set.cases[3].slots == {}
    assert re.fullmatch(r"pass_annotations\.json:\d+", add.source)


def test_read_annotation_csv_maps_slot_columns() -> None:
    nlu_set = read_test_file(DATA / "annotations.csv")
    assert isinstance(nlu_set, NluSet) and nlu_set.format == "annotation-csv"
    assert [c.intent for c in nlu_set.cases] == ["SearchProductIntent", "AddToCartIntent", "TrackOrderIntent"]
    assert {n: s.value for n, s in nlu_set.cases[1].slots.items()} == {"product": "eggs", "quantity": "2", "unit": "carton"}
    assert nlu_set.cases[1].source == "annotations.csv:3"


def test_read_sentences_yaml_accepts_value_and_id() -> None:
    nlu_set = read_test_file(DATA / "sentences.yaml")
    assert isinstance(nlu_set, NluSet) and nlu_set.format == "sentences-yaml"
    first = nlu_set.cases[0]
    assert first.intent == "AddToCartIntent" and first.slots["product"].id == "milk"
    assert first.slots["unit"].value is None and first.slots["unit"].check_id and first.slots["unit"].id == "bottle"
    assert nlu_set.cases[1].slots["product"].value == "bread"
    assert nlu_set.cases[2].slots["product"].check_id and nlu_set.cases[2].slots["product"].id is None
    assert nlu_set.cases[3].intent == "AMAZON.HelpIntent"  # a sentence may expect another intent
    assert not first.strict_slots  # sentence files leave unlisted slots unchecked


def test_read_dialog_script_reads_steps_and_assertions() -> None:
    script = read_test_file(DATA / "pass_dialog.yaml")
    assert isinstance(script, DialogScript)
    assert script.configuration["locale"] == "en-US"
    assert [t.name for t in script.tests] == ["open, help, stop", "add a product by intent"]
    kinds = [s.kind for s in script.tests[1].steps]
    assert kinds == ["launch", "intent", "end"]
    direct = script.tests[1].steps[1]
    assert direct.intent == "AddToCartIntent" and direct.slots == {"product": "milk"}
    assert [(a.path, a.operator) for a in direct.assertions] == [("intent", ":"), ("slots", ":"), ("prompt", ":")]


def test_read_dialog_script_parses_operators_quoted_slots_and_any_of(tmp_path: Path) -> None:
    path = tmp_path / "ops.yaml"
    path.write_text(
        '- test: ops\n'
        '- AddToCartIntent product="oat milk" quantity=2 unit=bottle:\n'
        '    - response.outputSpeech.ssml =~ /oat/i\n'
        '    - request.intent.slots.quantity.value >= 2\n'
        '    - response.card != undefined\n'
        '    - prompt < 3\n'
        '- "hello":\n'
        '    - "first answer"\n'
        '    - "second answer"\n',
        encoding="utf-8",
    )
    script = read_test_file(path)
    assert isinstance(script, DialogScript)
    step = script.tests[0].steps[0]
    assert step.slots == {"product": "oat milk", "quantity": "2", "unit": "bottle"}
    assert [(a.operator, a.expected) for a in step.assertions] == [
        ("=~", "/oat/i"), (">=", 2), ("!=", None), ("<", 3)
    ]
    said = script.tests[0].steps[1]
    assert said.kind == "utterance" and said.assertions[0].expected == ["first answer", "second answer"]


def test_read_audio_manifests_in_csv_and_yaml() -> None:
    csv_set = read_test_file(DATA / "audio" / "manifest.csv")
    yaml_set = read_test_file(DATA / "audio" / "wrong.yaml")
    assert isinstance(csv_set, AudioSet) and isinstance(yaml_set, AudioSet)
    assert csv_set.cases[0].audio.name == "add_milk.wav" and csv_set.cases[0].audio.is_file()
    assert csv_set.cases[0].transcription == "add milk to my cart"
    assert csv_set.cases[0].slots["product"].value == "milk"
    assert yaml_set.cases[0].intent == "SearchProductIntent"


def test_read_audio_manifest_json_with_amazon_field_names(tmp_path: Path) -> None:
    wav = (DATA / "audio" / "check_out.wav").resolve()
    path = tmp_path / "asr.json"
    path.write_text(json.dumps({"audioAssets": [{"audioAsset": str(wav), "expectedTranscription": "check out"}]}))
    audio_set = read_test_file(path)
    assert isinstance(audio_set, AudioSet) and audio_set.cases[0].transcription == "check out"


def test_sniff_tells_kinds_by_content_not_extension(tmp_path: Path) -> None:
    json_as_txt = tmp_path / "set.txt"
    json_as_txt.write_text((DATA / "pass_annotations.json").read_text())
    dialog_no_ext = tmp_path / "script"
    dialog_no_ext.write_text((DATA / "pass_dialog.yaml").read_text())
    csv_as_data = tmp_path / "rows.data"
    csv_as_data.write_text((DATA / "annotations.csv").read_text())
    assert sniff(json_as_txt) == "annotation-json"
    assert sniff(dialog_no_ext) == "dialog"
    assert sniff(csv_as_data) == "annotation-csv"
    assert sniff(DATA / "README.md") is None
    assert isinstance(read_test_file(json_as_txt), NluSet)


def test_read_folder_takes_recognised_files_and_skips_others() -> None:
    files = read_test_files([DATA])
    names = sorted(Path(str(f.path)).name for f in files)
    assert "README.md" not in names
    assert {"pass_annotations.json", "annotations.csv", "sentences.yaml", "pass_dialog.yaml", "manifest.csv"} <= set(names)


def test_read_file_not_a_test_file_is_an_error() -> None:
    assert "not a test file" in _error(DATA / "README.md")


@pytest.mark.parametrize(
    ("name", "text", "line", "words"),
    [
        ("bad.json", '{"data": [\n  {"inputs": {"utterance": "x"},\n   "expected": []\n  },\n', 5, "not valid JSON"),
        ("noutt.json", '{"data": [\n  {"inputs": {"utterance": "hi"}, "expected": [{"intent": {"name": "A"}}]},\n'
         '  {"inputs": {},\n   "expected": [{"intent": {"name": "A"}}]}\n]}\n', 3, "utterance"),
        ("noname.json", '{"data": [\n {"inputs": {"utterance": "hi"},\n  "expected": [{"intent": {}}]}\n]}\n', 3,
         "intent.name"),
        ("rows.csv", "utterance,intent,slot[product]\nadd milk,AddToCartIntent,milk\nadd eggs,,eggs\n", 3,
         "intent is empty"),
        ("cols.csv", "utterance,intent\nadd milk,AddToCartIntent,milk\n", 2, "fields"),
        ("indent.yaml", "---\n- test: x\n- LaunchRequest: hi\n  - prompt: hi\n", 4, ""),
        ("path.yaml", "- test: x\n- LaunchRequest:\n    - prompt: hi\n    - outputSpeech.ssml == hi\n", 4,
         "unknown assertion path"),
        ("slots.yaml", "- test: x\n- LaunchRequest\n- AddToCartIntent product:\n    - prompt: hi\n", 3, "name=value"),
        ("empty_test.yaml", "configuration:\n  locale: en-US\n---\n- test: nothing\n", 4, "no steps"),
        ("sentences.yaml", "intent: AddToCartIntent\nsentences:\n  - text: add milk\n  - 42\n", 4, "sentence"),
        ("missing.csv", "audioAsset,expectedTranscription\nnot_here.wav,hello\n", 2, "not found"),
    ],
)
def test_read_malformed_file_names_file_and_line(tmp_path: Path, name: str, text: str, line: int, words: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    message = _error(path)
    assert message.startswith(f"{path}, line {line}:"), message
    assert words in message
    assert "\n" not in message


def test_read_folder_with_a_broken_json_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "good.csv").write_text((DATA / "annotations.csv").read_text())
    (tmp_path / "broken.json").write_text('{"data": [\n')
    with pytest.raises(TestFileError, match=r"broken\.json, line 2"):
        read_test_files([tmp_path])
