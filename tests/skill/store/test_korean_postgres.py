"""The ko-KR shop on PostgreSQL: a database of its own beside the en-US one (`<name>_ko_kr`), made on first
use, on the throwaway cluster the skill's PostgreSQL tests use."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from skill.app import create_invoker
from skill.config import SkillConfig
from skill.errors import StoreError
from skill.store.db import locale_path, open_database
from speech.cloud import VoiceCloud
from speech.interaction_model import load_interaction_model, model_path_for
from speech.nlu.compiler import compile_model


@pytest.fixture
def shop_url(pg_url: str) -> Iterator[str]:
    """A fresh en-US shop database; the ko-KR database made beside it is dropped afterwards too."""
    import psycopg

    yield pg_url
    korean = str(locale_path(pg_url, "ko-KR")).rsplit("/", 1)[1]
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{korean}" WITH (FORCE)')


def _count(url: str, sql: str) -> Any:
    db = open_database(url, seed_catalog=False)
    try:
        return db.execute(sql).fetchone()[0]
    finally:
        db.close()


def test_the_korean_database_is_named_beside_the_shops_own() -> None:
    assert locale_path("postgresql://shop:pw@db.example:5432/voiceshop", "ko-KR") == (
        "postgresql://shop:pw@db.example:5432/voiceshop_ko_kr"
    )
    assert locale_path("postgresql:///voiceshop?host=/run/postgresql", "ko-KR") == (
        "postgresql:///voiceshop_ko_kr?host=%2Frun%2Fpostgresql"
    )
    assert locale_path("postgresql://db.example/?dbname=shop&sslmode=require", "ko-KR") == (
        "postgresql://db.example/?dbname=shop_ko_kr&sslmode=require"
    )
    assert locale_path("postgresql://db.example/voiceshop", "en-US") == "postgresql://db.example/voiceshop"


@pytest.mark.empty_store  # the en-US store holds nothing until its own shop runs
def test_a_korean_order_on_postgresql_lands_in_the_korean_database(shop_url: str) -> None:
    config = SkillConfig(db_path=shop_url, demo_accounts=True)  # type: ignore[arg-type]
    model_path = model_path_for("ko-KR")
    cloud = VoiceCloud(
        compile_model(model_path, "ko-KR"), create_invoker(config), load_interaction_model(model_path), locale="ko-KR"
    )
    cloud.hear("보이스 샵 열어 줘")
    assert "원" in cloud.hear("라면 찾아 줘").speech
    assert "2봉지를 담았어요" in cloud.hear("첫 번째 거 두 봉지 담아 줘").speech
    cloud.hear("결제할게")
    assert "주문할까요" in cloud.hear("내일 오전").speech
    assert "음성 코드" in cloud.hear("주문해 줘").speech
    assert "주문이 완료됐어요" in cloud.hear("일이삼사").speech

    korean = str(locale_path(shop_url, "ko-KR"))
    ramen = _count(korean, "SELECT price_cents FROM products WHERE sku = 'KRMN-001'")
    assert _count(korean, "SELECT total_cents FROM orders") == 2 * ramen + 3000  # won, with 3,000원 delivery
    assert _count(korean, "SELECT count(*) FROM products") >= 200
    # the en-US database holds neither the Korean catalog nor the order
    assert _count(shop_url, "SELECT count(*) FROM products WHERE sku LIKE 'K%'") == 0
    assert _count(shop_url, "SELECT count(*) FROM orders") == 0

    # the en-US shop on the same URL goes on as before
    english = VoiceCloud(
        compile_model(model_path_for("en-US"), "en-US"), create_invoker(config),
        load_interaction_model(model_path_for("en-US")), user_id="amzn1.ask.account.EN", locale="en-US",
    )
    english.hear("open voice shop")
    assert "$" in english.hear("search for coffee").speech


def test_a_second_server_reuses_the_korean_database(shop_url: str) -> None:
    korean = str(locale_path(shop_url, "ko-KR"))
    open_database(korean, locale="ko-KR").close()  # made and seeded
    before = _count(korean, "SELECT count(*) FROM products")
    open_database(korean, locale="ko-KR").close()  # found, not made again, not seeded twice
    assert _count(korean, "SELECT count(*) FROM products") == before >= 200


def test_a_user_who_may_not_make_databases_is_told_what_to_do(shop_url: str) -> None:
    import psycopg

    with psycopg.connect(shop_url, autocommit=True) as admin:
        admin.execute("DROP ROLE IF EXISTS clerk")
        admin.execute("CREATE ROLE clerk LOGIN NOCREATEDB")
    try:
        scheme, rest = shop_url.split("://", 1)
        url = f"{scheme}://clerk@{rest.split('@', 1)[-1]}"  # the same database, as a user without CREATEDB
        with pytest.raises(StoreError, match="needs the database .*_ko_kr.*create it"):
            open_database(locale_path(url, "ko-KR"), locale="ko-KR")
        with pytest.raises(StoreError):
            open_database(locale_path(url, "fr-FR"), seed_catalog=False)  # no locale given: never made
    finally:
        with psycopg.connect(shop_url, autocommit=True) as admin:
            admin.execute("DROP ROLE IF EXISTS clerk")
