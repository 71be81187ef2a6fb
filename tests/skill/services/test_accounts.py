"""Account linking, cards on file, purchase settings and the voice code."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill.config import SkillConfig
from skill.errors import NotFound
from skill.services.accounts import AccountService, CodeCheck, InvalidVoiceCode
from tests.support.skill import USER, Shop, make_shop

pytestmark = pytest.mark.both_stores


@pytest.fixture
def unlinked(db_path: Path) -> Shop:
    return make_shop(SkillConfig(db_path=db_path, demo_accounts=False))


def _accounts(shop: Shop) -> AccountService:
    return AccountService(shop.db, shop.clock, shop.config)


@pytest.mark.parametrize(
    ("intent", "slots"),
    [
        (None, {}),
        ("CheckoutIntent", {}),
        ("AddToCartIntent", {"product": "milk"}),
        ("TrackOrderIntent", {}),
        ("AMAZON.YesIntent", {}),
        ("AMAZON.FallbackIntent", {}),
    ],
)
def test_accounts_unlinked_user_is_asked_to_link(
    unlinked: Shop, intent: str | None, slots: dict[str, str]
) -> None:
    shopper = unlinked.shopper()
    speech = shopper.launch() if intent is None else shopper.say(intent, **slots)
    assert "link your Voice Shop account in the Alexa app" in speech
    assert shopper.card == {"type": "LinkAccount"}
    assert shopper.last["response"]["shouldEndSession"] is True
    assert unlinked.count("SELECT COUNT(*) FROM users") == 0


@pytest.mark.parametrize("intent", ["AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent"])
def test_accounts_unlinked_user_can_still_get_help_stop_and_cancel(unlinked: Shop, intent: str) -> None:
    shopper = unlinked.shopper()
    shopper.say(intent)
    assert shopper.card is None or shopper.card.get("type") != "LinkAccount"
    assert "link your Voice Shop account" not in shopper.speech


def test_accounts_token_the_shop_did_not_issue_links_nothing(unlinked: Shop) -> None:
    shopper = unlinked.shopper()
    shopper.access_token = "Atza|linked-token"
    assert "link your Voice Shop account" in shopper.launch()
    assert unlinked.count("SELECT COUNT(*) FROM users") == 0


def test_accounts_linked_shop_account_without_an_address_is_asked_for_one(unlinked: Shop) -> None:
    from skill.services.linking import LinkingService

    linking = LinkingService(unlinked.db, unlinked.clock)
    account = linking.create_account("dana", "a fine password")
    linking.register_client("alexa", ["https://pitangui.amazon.com/api/skill/link/X"])
    linking.save_tokens(access_token="tok-dana", refresh_token=None, client_id="alexa",
                        account_id=account.account_id, scope="", grant_id="g", expires_in=3600)  # fmt: skip
    shopper = unlinked.shopper()
    shopper.access_token = "tok-dana"
    assert "link your" not in shopper.launch()
    unlinked.fill_cart(account.user_id, {"MILK-001": 1})
    assert "don't have a delivery address" in shopper.say("CheckoutIntent")
    assert unlinked.orders(account.user_id) == 0


def test_accounts_linked_shop_account_orders_as_itself(unlinked: Shop) -> None:
    from skill.services.linking import LinkingService
    from tests.support.skill import checkout_to_code

    AccountService(unlinked.db, unlinked.clock, unlinked.config).create_demo_user("shop:erin")
    linking = LinkingService(unlinked.db, unlinked.clock)
    account = linking.create_account("erin", "another fine password")
    linking.register_client("alexa", ["https://pitangui.amazon.com/api/skill/link/X"])
    linking.save_tokens(access_token="tok-erin", refresh_token=None, client_id="alexa",
                        account_id=account.account_id, scope="", grant_id="g", expires_in=3600)  # fmt: skip
    unlinked.fill_cart("shop:erin", {"MILK-001": 1})
    shopper = unlinked.shopper()  # an Alexa user id the shop has never seen, linked to erin
    shopper.access_token = "tok-erin"
    checkout_to_code(shopper)
    shopper.say("ProvideVoiceCodeIntent", voiceCode="1234")
    assert "your order is placed" in shopper.speech, shopper.speech
    assert unlinked.orders("shop:erin") == 1 and unlinked.orders(USER) == 0
    assert unlinked.count("SELECT COUNT(*) FROM users WHERE user_id = ?", USER) == 0


def test_accounts_demo_profile_has_cards_addresses_and_hashed_code(shop: Shop) -> None:
    accounts = _accounts(shop)
    assert [(c.label, c.brand, c.last4) for c in accounts.cards(USER)] == [
        ("visa", "Visa", "4242"),
        ("mastercard", "Mastercard", "4444"),
    ]
    settings = accounts.purchase_settings(USER)
    assert settings.voice_code_required and settings.has_code and not settings.locked
    stored = shop.db.execute(
        "SELECT code_hash, code_salt FROM purchase_settings WHERE user_id = ?", (USER,)
    ).fetchone()
    assert "1234" not in stored[0] and len(stored[0]) == 128
    assert shop.db.execute("SELECT COUNT(*) FROM payment_methods WHERE token LIKE '4%'").fetchone()[0] == 0


def test_accounts_card_by_label_brand_and_last_four(shop: Shop) -> None:
    accounts = _accounts(shop)
    assert accounts.card_by_label(USER, "my Visa").label == "visa"
    assert accounts.card_by_label(USER, "card ending 4444").label == "mastercard"
    with pytest.raises(NotFound):
        accounts.card_by_label(USER, "amex")


def test_accounts_voice_code_counts_locks_and_resets(shop: Shop) -> None:
    accounts = _accounts(shop)
    assert accounts.verify_voice_code(USER, "0000") is CodeCheck.WRONG
    assert accounts.purchase_settings(USER).attempts_left == 2
    assert accounts.verify_voice_code(USER, "0000") is CodeCheck.WRONG
    assert accounts.verify_voice_code(USER, "0000") is CodeCheck.LOCKED
    assert accounts.verify_voice_code(USER, "1234") is CodeCheck.LOCKED  # locked even for the right code
    accounts.reset_voice_purchasing(USER)
    assert accounts.verify_voice_code(USER, "1234") is CodeCheck.ACCEPTED


def test_accounts_new_voice_code_replaces_old_and_must_be_four_digits(shop: Shop) -> None:
    accounts = _accounts(shop)
    accounts.set_voice_code(USER, "8642")
    assert accounts.verify_voice_code(USER, "1234") is CodeCheck.WRONG
    assert accounts.verify_voice_code(USER, "8642") is CodeCheck.ACCEPTED
    for bad in ("123", "12345", "abcd"):
        with pytest.raises(InvalidVoiceCode):
            accounts.set_voice_code(USER, bad)


def test_accounts_spending_limit_and_voice_purchasing_toggle(shop: Shop) -> None:
    accounts = _accounts(shop)
    accounts.set_spending_limit(USER, 2500)
    accounts.set_voice_purchasing(USER, False)
    settings = accounts.purchase_settings(USER)
    assert settings.spending_limit_cents == 2500 and not settings.voice_code_required
    bare = "amzn1.ask.account.NO-CODE"
    accounts.create_user(bare)
    with pytest.raises(InvalidVoiceCode):
        accounts.set_voice_purchasing(bare, True)
