"""Conversation benchmark: the shopping conversations of tests/conversations/, typed as a shopper says
them, through the local NLU and the in-process skill (the path of `voiceshop chat`).

    .venv/bin/python bench/conversations.py [--data tests/conversations] [--failures] [--json]
    .venv/bin/python bench/conversations.py --locale ko-KR     # the Korean set, tests/conversations-ko
    .venv/bin/python bench/conversations.py --holdout [--locale ko-KR]  # tests/conversations[-ko]-holdout

Prints the share of conversations that reach their end state (cart, orders, address, card, slot), the
share that pass every check (what was said, too), the share of turns understood (not a fallback, not
an apology for not understanding, and every check on the answer met), and words per answer: mean, 90th
percentile (all answers, and outside the checkout read-back), and the kinds of answer that run longest.
Targets: >= 90% of conversations reach their end state; p90 under 30 words outside the read-back.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from voiceshop.conversations import (  # noqa: E402
    ConversationResult,
    ConversationRunner,
    figures,
    load_conversations,
    percentile,
)


def update_known(path: Path, results: list[ConversationResult]) -> None:
    """Remove the names of passing conversations from the known-failures list (its comments and reasons
    stay as written) and print the failing ones it does not list."""
    if not path.exists():
        print(f"error: {path} not found", file=sys.stderr)
        return
    passing = {r.conversation.name for r in results if r.passed}
    failing = {r.conversation.name for r in results if not r.passed}
    kept: list[str] = []
    listed: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        item = line.strip()
        if item.startswith("- "):
            name = item[2:].strip().strip("'\"")
            listed.add(name)
            if name in passing:
                print(f"now passes, taken off the list: {name}")
                continue
        kept.append(line)
    path.write_text("".join(kept), encoding="utf-8")
    for name in sorted(failing - listed):
        print(f"fails and is not listed (fix it or list it with a reason): {name}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--locale", default="en-US", help="the conversations' language (ko-KR reads tests/conversations-ko)")
    parser.add_argument("--data", help="a conversation file or folder (default: the locale's set)")
    parser.add_argument(
        "--holdout", action="store_true", help="the locale's holdout set (tests/conversations-holdout, -ko-holdout)"
    )
    parser.add_argument("--model", help="the interaction model (default: the locale's)")
    parser.add_argument("--failures", action="store_true", help="print every conversation that fails a check")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument(
        "--update-known",
        action="store_true",
        help="take the conversations that now pass off DATA/_known_failures.yaml, and name those that fail unlisted",
    )
    args = parser.parse_args()

    default_data = "conversations" if args.locale == "en-US" else "conversations-" + args.locale.split("-")[0]
    if args.holdout:
        default_data += "-holdout"
    args.data = args.data or str(REPO / "tests" / default_data)
    conversations = load_conversations(Path(args.data))
    runner = ConversationRunner(Path(args.model) if args.model else None, locale=args.locale)
    start = time.perf_counter()
    try:
        results = [runner.run(c) for c in conversations]
    finally:
        runner.close()
    seconds = time.perf_counter() - start
    fig = figures(results)
    kinds = sorted(
        ((kind, sum(w) / len(w), percentile(w, 90), len(w)) for kind, w in fig.by_kind.items()),
        key=lambda k: -k[1],
    )
    summary = {
        "conversations": fig.conversations,
        "end_state_share": round(fig.end_state_share, 4),
        "all_checks_share": round(fig.passed / fig.conversations, 4) if fig.conversations else 0.0,
        "turns": fig.turns,
        "understood_share": round(fig.understood_share, 4),
        "words_mean": round(sum(fig.words) / len(fig.words), 1) if fig.words else 0.0,
        "words_p90": percentile(fig.words, 90),
        "words_p90_outside_read_back": percentile(fig.words_outside_read_back, 90),
        "longest_kinds": [
            {"kind": k, "mean": round(m, 1), "p90": p, "answers": n} for k, m, p, n in kinds[:6]
        ],
        "seconds": round(seconds, 1),
    }
    if args.update_known:
        update_known(Path(args.data) / "_known_failures.yaml", results)
    if args.failures:
        for result in results:
            if not result.passed:
                print(result.explain(), end="\n\n")
    if args.json:
        print(json.dumps(summary))
        return 0
    print(f"conversations            {fig.conversations} ({seconds:.1f} s)")
    print(
        f"reach their end state    {fig.reached_end_state}/{fig.conversations} = {fig.end_state_share:.1%}  (target >= 90%)"
    )
    print(f"pass every check         {fig.passed}/{fig.conversations} = {summary['all_checks_share']:.1%}")
    print(f"turns understood         {fig.understood}/{fig.turns} = {fig.understood_share:.1%}")
    print(
        f"words per answer         mean {summary['words_mean']}, p90 {summary['words_p90']:.0f};"
        f" p90 outside the checkout read-back {summary['words_p90_outside_read_back']:.0f}  (target < 30)"
    )
    print("longest kinds of answer  (mean, p90 words, answers)")
    for kind, mean, p90, n in kinds[:6]:
        print(f"  {kind:32} {mean:5.1f} {p90:4.0f} {n:5}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
