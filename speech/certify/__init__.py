"""Certification: test utterance files run offline with a pass/fail report, plus the model checks.

    files = read_test_files([Path("tests/certify")])
    report = Certifier(nlu, conversations=..., model=model).run(files)
    report.to_json(), report.exit_status(thresholds)

Readers: `nlu_sets` (Amazon annotation sets in JSON and CSV, sentence YAML), `dialogs` (Bespoken test
scripts), `audio_sets` (WAVs with a manifest); `files` tells them apart by content. Scoring in
`scoring`, assertions in `assertions`, the runner in `runner`, the checks in `checks`, and the reports
in `report` (terminal and JSON), `junit` and `html`.
"""
