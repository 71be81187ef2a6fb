"""Conversation test sets: whole shopping conversations, typed as a shopper would say them, run through
the same path as `voiceshop chat` (text -> local NLU -> Alexa JSON -> the in-process skill), each on a
fresh demo-account database at a fixed time, with checks on what was said and on the end state (cart,
orders, their address, card and delivery slot).

A conversation file (YAML) holds one conversation or a list of them:

    name: brand coffee then check out
    about: the shopper names a brand; the cart must hold that brand's coffee
    past_orders:                       # optional: orders placed before the conversation, by SKU
      - {days_ago: 6, items: {COFF-004: 1}}
    turns:
      - open voice shop
      - say: add a bag of dunkin coffee
        hears: [dunkin]                # every phrase must be in the answer (case-insensitive)
        not_hears: [folgers]           # none of these may be
      - ...
    end:
      cart: [{product: dunkin coffee, quantity: 1}]   # exactly these lines ([] = empty; absent = not checked)
      orders:                          # every order of the shopper, oldest first (absent = not checked)
        - {status: CONFIRMED, items: [{product: dunkin coffee, quantity: 1}],
           address: home, card: visa, day: tomorrow, window: evening}

A product is named by words that must all appear in its brand, name, kind or size (`dunkin coffee`),
or exactly by `sku`. Each conversation gets its own user id, database copy and clock.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from speech.cloud import Turn, VoiceCloud

NOW = datetime(2026, 12, 8, 15, 0, tzinfo=UTC)
"""Every conversation happens at this moment: Tuesday 8 December 2026, 10 AM in the shop's timezone."""
SHOP_TZ = ZoneInfo("America/New_York")

_TURN_KEYS = {"say", "hears", "not_hears", "advance_minutes"}
_END_KEYS = {"cart", "orders"}
_ORDER_KEYS = {"status", "items", "address", "card", "day", "window", "total", "total_won"}
_CONV_KEYS = {"name", "about", "turns", "end", "past_orders"}
_WORD = re.compile(r"[a-z0-9%\uac00-\ud7a3]+")  # Hangul too: Korean products are named in it


class ConversationFileError(ValueError):
    """A conversation file that does not follow the format."""


@dataclass
class ScriptTurn:
    """One line the shopper says and what the answer must (not) contain."""

    say: str
    hears: list[str] = field(default_factory=list)
    not_hears: list[str] = field(default_factory=list)
    advance_minutes: int = 0
    """Minutes that pass before this line is said (orders move on with the clock)."""


@dataclass
class Conversation:
    name: str
    turns: list[ScriptTurn]
    end: dict[str, Any]
    about: str = ""
    past_orders: list[dict[str, Any]] = field(default_factory=list)
    source: str = ""


@dataclass
class TurnResult:
    said: str
    speech: str
    intent: str | None
    """The intent the request carried (None for a launch or when the speaker answered itself)."""
    kind: str
    """What sort of answer it was, for the words-per-answer figures: the intent, or `checkout_read_back`."""
    understood: bool
    problems: list[str]

    @property
    def words(self) -> int:
        return len(self.speech.split())


@dataclass
class ConversationResult:
    conversation: Conversation
    turns: list[TurnResult]
    end_problems: list[str]

    @property
    def reached_end_state(self) -> bool:
        return not self.end_problems

    @property
    def said_problems(self) -> list[str]:
        return [f"turn {i + 1} ({t.said!r}): {p}" for i, t in enumerate(self.turns) for p in t.problems]

    @property
    def passed(self) -> bool:
        return self.reached_end_state and not self.said_problems

    def explain(self) -> str:
        lines = [f"conversation {self.conversation.name!r} ({self.conversation.source})"]
        for t in self.turns:
            lines.append(f"  you> {t.said}\n  [{t.intent}] {t.speech}")
        lines += [f"  - {p}" for p in self.said_problems + self.end_problems]
        return "\n".join(lines)


# -- reading ----------------------------------------------------------------------------------


def load_conversations(path: Path) -> list[Conversation]:
    """Every conversation in a YAML file, or in the *.yaml files of a folder (sorted)."""
    files = sorted(p for p in path.glob("*.yaml") if not p.name.startswith("_")) if path.is_dir() else [path]
    found: list[Conversation] = []
    for file in files:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        items = data if isinstance(data, list) else [data]
        for i, item in enumerate(items):
            found.append(_conversation(item, f"{file.name}#{i + 1}"))
    names = [c.name for c in found]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ConversationFileError(f"conversation names must be unique: {', '.join(dupes)}")
    return found


def _conversation(item: Any, where: str) -> Conversation:
    if not isinstance(item, dict) or not item.get("name") or not item.get("turns"):
        raise ConversationFileError(f"{where}: a conversation needs a name and turns")
    unknown = set(item) - _CONV_KEYS
    if unknown:
        raise ConversationFileError(f"{where}: unknown keys {sorted(unknown)}")
    turns = [_turn(t, where) for t in item["turns"]]
    end = item.get("end") or {}
    if not isinstance(end, dict) or set(end) - _END_KEYS or not end:
        raise ConversationFileError(f"{where}: `end` must check cart and/or orders")
    for order in end.get("orders") or []:
        if set(order) - _ORDER_KEYS:
            raise ConversationFileError(f"{where}: unknown order keys {sorted(set(order) - _ORDER_KEYS)}")
    return Conversation(
        name=str(item["name"]),
        turns=turns,
        end=end,
        about=str(item.get("about", "")),
        past_orders=list(item.get("past_orders") or []),
        source=where,
    )


def _turn(raw: Any, where: str) -> ScriptTurn:
    if isinstance(raw, bool):  # YAML reads a bare yes / no as a boolean
        return ScriptTurn("yes" if raw else "no")
    if isinstance(raw, str | int):
        return ScriptTurn(str(raw))
    if not isinstance(raw, dict) or "say" not in raw or set(raw) - _TURN_KEYS:
        raise ConversationFileError(f"{where}: a turn is a line, or a mapping with say/hears/not_hears")

    def phrases(key: str) -> list[str]:
        value = raw.get(key) or []
        return [str(v) for v in ([value] if isinstance(value, str) else value)]

    said = raw["say"]
    return ScriptTurn(
        ("yes" if said else "no") if isinstance(said, bool) else str(said),
        phrases("hears"),
        phrases("not_hears"),
        int(raw.get("advance_minutes", 0)),
    )


# -- running ----------------------------------------------------------------------------------


_NOT_UNDERSTOOD = (
    "sorry, i can't help with that",
    "i can only help with shopping",
    "sorry, something went wrong",
    "sorry, i didn't catch",
    "sorry, i didn't get that",
)


def load_known_failures(folder: Path) -> dict[str, str]:
    """Conversation name -> why it is known to fail, from FOLDER/_known_failures.yaml (reasons mapped to
    lists of names; a reason whose conversations all pass lists none). Empty when there is no file."""
    path = folder / "_known_failures.yaml"
    if not path.exists():
        return {}
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(raw, dict):
        raise ConversationFileError(f"{path}: expected a mapping of reasons to conversation names")
    return {str(name): str(reason) for reason, names in raw.items() for name in names or ()}


def judge(result: ConversationResult, known: dict[str, str]) -> str | None:
    """A conversation test's verdict: None when it passes and is not listed; the listed reason when it
    fails as known (the test marks it an expected failure); AssertionError when it fails unlisted, or
    passes though listed (the list must stay exactly the set that fails)."""
    name = result.conversation.name
    if name in known:
        if result.passed:
            raise AssertionError(f"{name!r} now passes: take it off _known_failures.yaml ({known[name]})")
        return known[name]
    if not result.passed:
        raise AssertionError(result.explain())
    return None


class ConversationRunner:
    """Runs conversations through the local NLU and the in-process skill; one template database is
    made once and copied for each conversation."""

    def __init__(self, model_path: Path | None = None, workdir: Path | None = None, locale: str = "en-US") -> None:
        from speech.interaction_model import load_interaction_model, model_path_for
        from speech.nlu.compiler import compile_model

        self.locale = locale
        """The conversations' language: its model, NLU, requests and shop (ko-KR's has a store of its own)."""
        self.model_path = model_path or model_path_for(locale)
        self.model = load_interaction_model(self.model_path)
        self.nlu = compile_model(self.model_path, locale)
        self._own_dir = workdir is None
        self.workdir = workdir or Path(tempfile.mkdtemp(prefix="voiceshop-conversations-"))
        self._template = self.workdir / "template.db"
        self._count = 0

    def close(self) -> None:
        if self._own_dir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def _fresh_db(self) -> Path:
        if not self._template.exists():
            from skill.store.db import open_database

            open_database(self._template, locale=self.locale).conn.close()
        self._count += 1
        path = self.workdir / f"conversation-{self._count}.db"
        shutil.copyfile(self._template, self._shop(path))
        return path

    def _shop(self, path: Path) -> Path:
        """The database the locale's shop uses beside the skill's `path` (`path` itself for en-US)."""
        from skill.store.db import locale_path

        return Path(locale_path(path, self.locale))

    def run(self, conversation: Conversation) -> ConversationResult:
        from skill.app import create_invoker
        from skill.clock import FixedClock
        from skill.config import SkillConfig

        db_path = self._fresh_db()
        user_id = f"amzn1.ask.account.CONVERSATION{self._count}"
        clock = FixedClock(NOW)
        config = SkillConfig(db_path=db_path, demo_accounts=True)
        invoke = create_invoker(config, clock=clock)
        try:
            if conversation.past_orders:
                _place_past_orders(config, clock, user_id, conversation.past_orders, invoke, self.locale)
            cloud = VoiceCloud(self.nlu, invoke, self.model, user_id=user_id, clock=clock, locale=self.locale)
            results = [self._turn(cloud, clock, t) for t in conversation.turns]
            if cloud.session_open:
                cloud.end_session("USER_INITIATED")
            with _readonly(self._shop(db_path)) as db:
                end_problems = check_end_state(db, user_id, conversation.end, _shop_timezone(self.locale))
        finally:
            for path in {db_path, self._shop(db_path)}:
                path.unlink(missing_ok=True)
                for suffix in ("-wal", "-shm"):
                    Path(str(path) + suffix).unlink(missing_ok=True)
        return ConversationResult(conversation, results, end_problems)

    def _turn(self, cloud: VoiceCloud, clock: Any, script: ScriptTurn) -> TurnResult:
        if script.advance_minutes:
            clock.advance(timedelta(minutes=script.advance_minutes))
        turn = cloud.hear(script.say)
        intent = _intent(turn)
        speech = turn.speech or ""
        low = _plain(speech)
        problems = [f"expected to hear {p!r}" for p in script.hears if _plain(p) not in low]
        problems += [f"did not expect to hear {p!r}" for p in script.not_hears if _plain(p) in low]
        if turn.error:
            problems.append(f"error: {turn.error}")
        # A turn is understood when the answer meets the turn's own checks, if it has some (an honest
        # "I can only help with shopping" is the right answer to a question about the weather), and
        # otherwise when it is neither a fallback nor an apology for not understanding.
        understood = not problems and (
            bool(script.hears)
            or (intent != "AMAZON.FallbackIntent" and not any(m in low for m in _NOT_UNDERSTOOD))
        )
        return TurnResult(script.say, speech, intent, _kind(turn, intent), understood, problems)


def _intent(turn: Turn) -> str | None:
    request = (turn.request or {}).get("request") or {}
    intent = request.get("intent") or {}
    return intent.get("name") or (request.get("type") if turn.request else None)


def _kind(turn: Turn, intent: str | None) -> str:
    attrs = (turn.response or {}).get("sessionAttributes") or {}
    pending = attrs.get("pending") or {}
    if isinstance(pending, dict) and pending.get("kind") == "confirm_order":
        return "checkout_read_back"
    return intent or "speaker"


def _plain(text: str) -> str:
    return " ".join(text.lower().replace("\u2019", "'").split())


def _place_past_orders(
    config: Any, clock: Any, user_id: str, orders: list[dict[str, Any]], invoke: Any, locale: str = "en-US"
) -> None:
    """Orders placed (and delivered) before the conversation starts, straight through the services, in
    the locale's own shop (its store and settings: SKUs of its catalog, prices in its money)."""
    from skill.config import config_for
    from skill.services import Services
    from skill.store.db import Store, locale_path

    config = config_for(config, locale)
    store = Store(locale_path(config.db_path, locale), locale)
    try:
        for i, spec in enumerate(sorted(orders, key=lambda o: -int(o.get("days_ago", 7)))):
            clock.set(NOW - timedelta(days=int(spec.get("days_ago", 7))))
            svc = Services(store.db(), clock, config)
            user = svc.accounts.ensure_user(user_id)
            assert user is not None
            svc.cart.clear(user_id)
            for sku, quantity in (spec.get("items") or {}).items():
                svc.cart.add(user_id, str(sku), int(quantity))
            svc.delivery.ensure_slots()
            slot = next(s for s in svc.delivery.upcoming() if svc.delivery.bookable(s))
            address = svc.delivery.default_address(user_id)
            card = svc.accounts.default_card(user_id)
            assert address is not None and card is not None
            svc.orders.place_order(
                user_id,
                idempotency_key=f"past:{user_id}:{i}",
                address_id=address.id,
                slot_id=slot.slot_id,
                card_id=card.id,
                code_given=True,  # history written by the harness, not a voice order
            )
        clock.set(NOW)
        svc = Services(store.db(), clock, config)
        for order in svc.orders.list_orders(user_id):
            svc.orders.refresh(order.order_id)
    finally:
        store.close()


# -- checking the end state -------------------------------------------------------------------


@contextmanager
def _readonly(path: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        yield conn
    finally:
        conn.close()


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower().replace("'", "").replace("_", " ")))


def _matches(spec: dict[str, Any], row: sqlite3.Row) -> bool:
    if "sku" in spec:
        return bool(row["sku"] == spec["sku"])
    wanted = _words(str(spec.get("product", "")))
    have = _words(" ".join(str(row[k]) for k in ("brand", "name", "generic", "size", "sku")))
    return bool(wanted) and wanted <= have


def _lines_problems(what: str, expected: list[dict[str, Any]], rows: list[sqlite3.Row]) -> list[str]:
    """Each expected line matches a different actual line with its quantity, and nothing is left over."""
    problems: list[str] = []
    left = list(rows)
    for spec in expected:
        hit = next((r for r in left if _matches(spec, r)), None)
        if hit is None:
            problems.append(f"{what}: no line for {spec.get('product') or spec.get('sku')!r}")
            continue
        left.remove(hit)
        if "quantity" in spec and int(spec["quantity"]) != hit["quantity"]:
            problems.append(
                f"{what}: {spec.get('product') or spec.get('sku')!r} has quantity {hit['quantity']},"
                f" expected {spec['quantity']}"
            )
    problems += [f"{what}: unexpected line {r['brand']} {r['name']} x{r['quantity']}" for r in left]
    return problems


def _describe(rows: list[sqlite3.Row]) -> str:
    return "; ".join(f"{r['brand']} {r['name']} x{r['quantity']}" for r in rows) or "nothing"


def _shop_timezone(locale: str) -> ZoneInfo:
    from skill.config import LOCALE_SETTINGS

    return ZoneInfo(str(LOCALE_SETTINGS.get(locale, {}).get("timezone", SHOP_TZ.key)))


def check_end_state(
    db: sqlite3.Connection, user_id: str, end: dict[str, Any], shop_tz: ZoneInfo = SHOP_TZ
) -> list[str]:
    """What differs between the database and the conversation's `end` (an empty list when all holds)."""
    problems: list[str] = []
    if "cart" in end:
        rows = db.execute(
            "SELECT p.sku, p.brand, p.name, p.generic, p.size, c.quantity FROM cart_items c"
            " JOIN products p ON p.sku = c.sku WHERE c.user_id = ? ORDER BY c.added_at, c.rowid",
            (user_id,),
        ).fetchall()
        found = _lines_problems("cart", list(end["cart"] or []), rows)
        if found:
            problems += found + [f"cart holds: {_describe(rows)}"]
    if "orders" in end:
        orders = db.execute(
            "SELECT o.order_id, o.status, o.total_cents, a.label AS address, m.label AS card, s.date, s.window"
            " FROM orders o LEFT JOIN addresses a ON a.id = o.address_id"
            " LEFT JOIN payment_methods m ON m.id = o.payment_method_id"
            " LEFT JOIN delivery_slots s ON s.slot_id = o.slot_id"
            " WHERE o.user_id = ? ORDER BY o.created_at, o.rowid",
            (user_id,),
        ).fetchall()
        expected = list(end["orders"] or [])
        if len(orders) != len(expected):
            problems.append(f"orders: {len(orders)} placed, expected {len(expected)}")
        for n, (spec, order) in enumerate(zip(expected, orders, strict=False), start=1):
            problems += _order_problems(db, f"order {n}", spec, order, shop_tz)
    return problems


def _order_problems(
    db: sqlite3.Connection, what: str, spec: dict[str, Any], order: sqlite3.Row, shop_tz: ZoneInfo = SHOP_TZ
) -> list[str]:
    problems: list[str] = []
    for key in ("status", "address", "card", "window"):
        if key in spec and str(spec[key]).lower() != str(order[key]).lower():
            problems.append(f"{what}: {key} is {order[key]}, expected {spec[key]}")
    if "total_won" in spec and int(spec["total_won"]) != order["total_cents"]:  # ko-KR: whole won
        problems.append(f"{what}: total is {order['total_cents']}원, expected {spec['total_won']}원")
    if "total" in spec and round(float(spec["total"]) * 100) != order["total_cents"]:
        problems.append(f"{what}: total is {order['total_cents'] / 100:.2f}, expected {spec['total']}")
    if "day" in spec:
        today = NOW.astimezone(shop_tz).date()
        offsets = {"today": 0, "tomorrow": 1}
        day = str(spec["day"]).lower()
        if day in offsets:
            wanted = (today + timedelta(days=offsets[day])).isoformat()
        else:
            wanted = next(
                (today + timedelta(days=k)).isoformat()
                for k in range(1, 8)
                if (today + timedelta(days=k)).strftime("%A").lower() == day
            )
        if order["date"] != wanted:
            problems.append(f"{what}: delivery day is {order['date']}, expected {spec['day']} ({wanted})")
    if "items" in spec:
        rows = db.execute(
            "SELECT i.sku, p.brand, p.name, p.generic, p.size, i.quantity FROM order_items i"
            " JOIN products p ON p.sku = i.sku WHERE i.order_id = ?",
            (order["order_id"],),
        ).fetchall()
        problems += _lines_problems(what, list(spec["items"]), rows)
    return problems


# -- figures ----------------------------------------------------------------------------------


@dataclass
class Figures:
    conversations: int
    reached_end_state: int
    passed: int
    turns: int
    understood: int
    words: list[int]
    words_outside_read_back: list[int]
    by_kind: dict[str, list[int]]

    @property
    def end_state_share(self) -> float:
        return self.reached_end_state / self.conversations if self.conversations else 0.0

    @property
    def understood_share(self) -> float:
        return self.understood / self.turns if self.turns else 0.0


def percentile(values: list[int], q: float) -> float:
    """The q-th percentile (0..100), nearest rank."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return float(ordered[int(rank) - 1])


def figures(results: list[ConversationResult]) -> Figures:
    turns = [t for r in results for t in r.turns if t.intent is not None or t.speech]
    by_kind: dict[str, list[int]] = {}
    for t in turns:
        by_kind.setdefault(t.kind, []).append(t.words)
    return Figures(
        conversations=len(results),
        reached_end_state=sum(r.reached_end_state for r in results),
        passed=sum(r.passed for r in results),
        turns=len(turns),
        understood=sum(t.understood for t in turns),
        words=[t.words for t in turns],
        words_outside_read_back=[t.words for t in turns if t.kind != "checkout_read_back"],
        by_kind=by_kind,
    )
