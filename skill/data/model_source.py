"""The hand-written half of the interaction model: intents, slots, sample utterances, fixed slot types
and the dialog prompts. `build_model.py` adds the PRODUCT type from the catalog and assembles the JSON.

Samples are written as shoppers talk: polite and terse, with and without quantity and unit, and in
several word orders. Rules the build enforces (see `speech.validate`): numbers spelled out, only
letters, spaces, apostrophes, periods and hyphens, every `{slot}` defined on the intent, no sample twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["BUILTIN_INTENTS", "BUILTIN_SAMPLES", "DIALOG", "FIXED_TYPES", "INTENTS", "IntentSource", "DialogSlot", "PROMPTS"]


@dataclass(frozen=True)
class IntentSource:
    """A custom intent as written here."""

    name: str
    """The intent name, fixed by the contract."""
    slots: dict[str, str] = field(default_factory=dict)
    """Slot name -> slot type, in the order they are listed."""
    samples: tuple[str, ...] = ()
    """Sample utterances."""
    multiple: tuple[str, ...] = ()
    """Slots with Alexa's multiple values enabled ("add milk, eggs and bread")."""


@dataclass(frozen=True)
class DialogSlot:
    """A slot Alexa elicits itself (auto-delegation) before the skill sees the intent."""

    intent: str
    """The intent the slot belongs to."""
    slot: str
    """The slot name."""
    prompt: tuple[str, ...]
    """Variations of the elicitation prompt."""
    samples: tuple[str, ...]
    """What users answer to the prompt (slot samples), each containing `{slot}`."""


# The delivery windows' hours (8 AM to noon, noon to 5 PM, 5 to 9 PM): a clock time said is a synonym of
# the window that contains it, so "tomorrow at six pm" books the evening.
_WINDOW_HOURS: dict[str, tuple[tuple[str, str], ...]] = {
    "morning": (("seven", "a.m."), ("eight", "a.m."), ("nine", "a.m."), ("ten", "a.m."), ("eleven", "a.m.")),
    "afternoon": (("twelve", "p.m."), ("one", "p.m."), ("two", "p.m."), ("three", "p.m."), ("four", "p.m.")),
    "evening": (("five", "p.m."), ("six", "p.m."), ("seven", "p.m."), ("eight", "p.m.")),
}


def _clock_times(window: str) -> list[str]:
    """'six p.m.', 'six pm', 'at six p.m.', 'at six' ... for the hours of `window` ("seven" and "eight"
    alone are either window, so they are said only with a.m. or p.m.)."""
    said: list[str] = []
    for hour, half in _WINDOW_HOURS[window]:
        times = [f"{hour} {half}", f"{hour} {half.replace('.', '')}"]
        bare = [] if hour in ("seven", "eight") else [hour]
        said += times + [f"at {t}" for t in times + bare] + [f"around {times[0]}"]
    return said


INTENTS: tuple[IntentSource, ...] = (
    IntentSource("SearchProductIntent", {"product": "PRODUCT", "feature": "FEATURE", "maxPrice": "AMAZON.NUMBER"}, (
        "what's the {feature} {product} you have", "find the {feature} {product}",
        "search for the {feature} {product}", "show me the {feature} {product}",
        "search for {product}", "search {product}", "search the store for {product}",
        "find {product}", "find me {product}", "find me some {product}", "look for {product}",
        "look up {product}", "show me {product}", "show me your {product}",
        "what {product} do you have", "what kinds of {product} do you have",
        "what brands of {product} do you have", "do you have {product}", "do you have any {product}",
        "do you have any {product} in stock", "do you sell {product}", "do you carry {product}",
        "have you got any {product}", "is there any {product}", "i'm looking for {product}",
        "i am looking for {product}", "can you find {product}", "could you search for {product}",
        "could you please look for {product}", "please search for {product}",
        "browse {product}", "shop for {product}", "what options do you have for {product}",
        "search the shop for {product}", "do you stock {product}", "what {product} is there",
        "search", "search for something", "find a product", "i want to search", "search the store",
        "look something up",
        "find me {product} under {maxPrice} dollars", "do you have {product} under {maxPrice} dollars",
        "show me {product} for less than {maxPrice} dollars", "what {product} do you have under {maxPrice} dollars",
    )),
    IntentSource("AddToCartIntent", {"product": "PRODUCT", "quantity": "AMAZON.NUMBER", "unit": "UNIT",
                                      "position": "AMAZON.Ordinal", "feature": "FEATURE"}, (
        "add the {feature} {product}", "get me the {feature} {product}",
        "add {product}", "add {product} to my cart", "add {product} as well", "i also need {product}", "add more {product}", "let's add {product}", "add {product} to the cart", "add {product} to my basket",
        "put {product} in my cart", "put {product} in the cart", "throw {product} in my cart",
        "add {quantity} {product}", "add {quantity} {product} to my cart", "add {quantity} {unit} of {product}",
        "add {quantity} {unit} of {product} to my cart", "put {quantity} {unit} of {product} in my cart",
        "add a {unit} of {product}", "add a {unit} of {product} to my cart", "add a {product}",
        "add some {product}", "add another {product}", "add {quantity} more {product}",
        "i need {product}", "i need {quantity} {unit} of {product}", "i need {quantity} {product}",
        "i want {product}", "i'd like {product}", "i'd like {quantity} {unit} of {product}",
        "i would like to add {product}", "could you please add {product}", "could you add {product} to my cart",
        "could you please add {quantity} {unit} of {product} to my cart", "can you add {quantity} {product}",
        "please add {product}", "please add {quantity} {unit} of {product} to my cart",
        "buy {product}", "buy {quantity} {unit} of {product}", "get me {product}",
        "get me {quantity} {unit} of {product}", "order {product}", "order {quantity} {unit} of {product}",
        "we need {product}", "we're out of {product}", "we are out of {product}",
        "{product} please", "{quantity} {unit} of {product} please", "{quantity} {product} please",
        "a {unit} of {product} please", "also add {product}", "can i get {product}",
        "can i get {quantity} {unit} of {product}", "can i have {quantity} {product}", "i'll have {product}",
        "add {product} to my order", "put a {unit} of {product} in my cart",
        "i need {quantity} {unit} of {product} in my cart",
        "add it", "add it to my cart", "add that", "add that to my cart", "add this to my cart",
        "put it in my cart", "add one more", "another one", "another one please", "one more please", "i'll take another", "give me another", "give me {quantity} more", "add {quantity} of them", "add {quantity} of those",
        "add the {position} one", "add the {position} one to my cart", "add {quantity} of the {position} one",
        "add the {position} item", "i'll take the {position} one", "i'll take it", "i'll take {quantity}",
        "add the {feature} one", "put the {feature} one in my cart",
        # other carrier phrases people use for buying something
        "grab me {product}", "grab {quantity} {product}", "grab me {quantity} {unit} of {product}",
        "throw in {product}", "throw in {quantity} {product}", "throw in a {unit} of {product}",
        "stick {product} in the cart", "pick up {product}",
        "pick up {quantity} {unit} of {product}", "i'm out of {product}", "i ran out of {product}",
        "we're low on {product}", "we're running low on {product}", "we're almost out of {product}",
        "don't forget {product}", "order me {product}", "we could use some {product}", "let's get {product}",
    ), multiple=("product",)),
    IntentSource("RemoveFromCartIntent", {"product": "PRODUCT", "position": "AMAZON.Ordinal"}, (
        "remove {product}", "remove the {product}", "remove {product} from my cart",
        "remove the {product} from my cart", "take {product} out of my cart", "take out the {product}",
        "delete {product}", "delete the {product} from my cart", "get rid of the {product}",
        "i don't want the {product}", "i don't want {product} anymore", "i no longer want the {product}",
        "drop the {product}",
        "please remove the {product}", "could you remove {product} from my cart", "never mind the {product}",
        "scratch the {product}", "remove the {position} item", "remove the {position} one",
        "delete the {position} item", "take the {position} item out", "remove it", "remove that",
        "remove that from my cart", "take it out", "take that out of my cart", "take that off",
        "throw out the {product}", "throw the {product} out",
        "nix the {product}", "lose the {product}",
    )),
    IntentSource("UpdateQuantityIntent", {"product": "PRODUCT", "quantity": "AMAZON.NUMBER", "unit": "UNIT"}, (
        "change the {product} to {quantity}", "increase {product} to {quantity}", "decrease the {product} to {quantity}", "change {product} quantity to {quantity}", "i'd like {quantity} {product} instead", "change {product} to {quantity} {unit}",
        "change the quantity of {product} to {quantity}", "update {product} to {quantity}",
        "update the {product} quantity to {quantity}", "set {product} to {quantity}",
        "set the {product} to {quantity} {unit}", "make the {product} {quantity}",
        "make it {quantity}", "make that {quantity}", "make it {quantity} {unit}", "actually make it {quantity}",
        "please make it {quantity} {unit}", "i want {quantity} {product} instead",
        "i need {quantity} {unit} of {product} instead", "change the quantity to {quantity}",
        "change it to {quantity}", "only {quantity} {product}", "just {quantity} {unit} of {product}",
        "reduce the {product} to {quantity}", "increase the {product} to {quantity}",
        "could you change the {product} to {quantity}", "change the quantity", "oops only {quantity}",
        "just {quantity} please", "i only need {quantity}", "i meant {quantity}",
    )),
    IntentSource("ViewCartIntent", {}, (
        "what's in my cart", "what is in my cart", "read back my cart", "what's the total", "how much does my cart cost", "what's in my basket", "what's in the cart so far",
        "read my cart", "read me my cart", "show my cart", "show me my cart", "check my cart",
        "review my cart", "open my cart", "view cart", "view my cart", "my cart", "cart",
        "what have i got in my cart", "what did i add", "list my cart", "list the items in my cart",
        "how much is my cart", "what's my total", "what is my cart total", "how many items are in my cart",
        "go to my cart", "tell me what's in my cart",
        "how much do i owe", "what's the damage",
    )),
    IntentSource("ReadWholeCartIntent", {}, (
        "read me everything", "read me everything in my cart", "read everything in my cart",
        "read the whole cart", "read me the whole cart", "read me my whole cart", "list everything",
        "what's everything in my cart", "read all of it", "read me all of it", "read all my items",
        "read me all the items", "every item in my basket", "i want to hear all of it",
        "let me hear everything in my cart", "read me the full list", "the full list please",
        "every item please", "read me the rest", "read the rest", "tell me the rest", "the rest of my cart",
        "what else is in my cart", "what else is in the cart", "what are the other items",
        "read the rest of my cart",
    )),
    IntentSource("ClearCartIntent", {}, (
        "empty my cart", "empty the cart", "remove all items from my cart", "delete all items", "delete my cart", "remove everything", "empty it", "empty everything", "empty my basket", "clear my cart", "clear the cart",
        "clear out my cart", "clear everything", "remove everything from my cart", "remove all items",
        "delete everything in my cart", "start a new cart", "throw out my cart", "throw it all away", "throw away everything",
        "get rid of everything in my cart", "take everything out of my cart", "reset my cart",
        "i want to empty my cart", "please clear my cart", "could you empty my cart",
    )),
    IntentSource("SelectItemIntent", {"position": "AMAZON.Ordinal"}, (
        "the {position} one", "the {position}", "the {position} item", "the {position} option",
        "the {position} product", "the {position} one please", "i'll go with the {position} one",
        "i want the {position} one", "i choose the {position} one", "pick the {position} one",
        "select the {position} one", "select the {position}", "choose the {position} option",
        "let's go with the {position} one", "give me the {position} one", "how about the {position} one",
        "that {position} one", "i'd like the {position} one", "i'd like the {position} one please",
        "go with the {position} one", "the {position} please",
    )),
    IntentSource("ProductDetailsIntent", {"product": "PRODUCT", "position": "AMAZON.Ordinal"}, (
        "tell me more about the {position} one", "tell me about the {position} one",
        "more about the {position} one", "more details about the {position} one",
        "describe the {position} one", "what size is the {position} one", "how big is the {position} one",
        "how much is the {position} one", "how much does the {position} one cost",
        "what brand is the {position} one", "is the {position} one on sale", "what is the {position} one",
        "tell me more about {product}", "describe {product}", "details on {product}",
        "give me details about {product}", "more information about {product}", "tell me more",
        "how much is {product}", "how much is the {product}", "how much does {product} cost",
        "how much does the {product} cost", "what's the price of {product}", "what does {product} cost",
        "tell me more about it", "more details", "more info", "what's in it",
    )),
    IntentSource("UndoIntent", {}, (
        "undo", "undo that", "scratch that", "undo my last change", "take that back", "undo the last change",
        "put it back", "remove the last thing you added", "take off the last thing i added",
        "remove what you just added", "undo the last thing",
    )),
    IntentSource("CorrectionIntent", {"product": "PRODUCT"}, (
        "no i meant {product}", "i meant {product}", "i said {product}", "i said {product} not that",
        "sorry i meant {product}", "actually i meant {product}", "actually i wanted {product}",
        "not that one i meant {product}", "that's the wrong one", "you added the wrong one",
        "switch it to {product}", "swap it for {product}", "replace it with {product}",
    )),
    IntentSource("DecreaseQuantityIntent", {"product": "PRODUCT", "quantity": "AMAZON.NUMBER"}, (
        "one less", "{quantity} less", "one fewer", "{quantity} fewer", "remove one of the {product}",
        "remove {quantity} of the {product}", "one less {product}", "{quantity} less {product}",
        "reduce the {product} by {quantity}", "minus one", "drop one of the {product}", "one less of those",
        "i want one less {product}", "{quantity} fewer {product}", "take one off", "take {quantity} off the {product}",
        "take one away", "put one back", "put {quantity} of the {product} back",
    )),
    IntentSource("OtherOptionsIntent", {}, (
        "other options", "hear other options", "what other options are there", "what are the other options",
        "show me something else", "something else", "something different", "none of those", "none of these",
        "none of them", "not those", "any other brands", "other brands", "a different brand",
        "more options", "give me more options", "tell me the other options", "any others",
        "a different one", "show me another brand", "what are the others", "i don't like those",
        "let me hear the others", "read me the other options",
    )),
    IntentSource("CheckoutIntent", {}, (
        "check out", "checkout", "let's pay", "check me out", "i'm ready to order", "time to check out", "i'd like to pay", "proceed to payment", "let's place the order", "i'm ready to check out", "i'm done shopping", "let's check out",
        "place my order", "place the order", "place an order", "complete my order", "complete my purchase",
        "buy everything in my cart", "buy what's in my cart", "proceed to checkout", "go to checkout",
        "finish my order", "submit my order", "i want to pay", "i'm ready to pay", "pay now",
        "order everything in my cart", "that's everything", "ring me up", "let's wrap this up",
    )),
    IntentSource("ProvideVoiceCodeIntent", {"voiceCode": "AMAZON.FOUR_DIGIT_NUMBER"}, (
        "{voiceCode}", "my code is {voiceCode}", "my voice code is {voiceCode}", "the code is {voiceCode}",
        "the voice code is {voiceCode}", "code {voiceCode}", "voice code {voiceCode}", "it's {voiceCode}",
        "{voiceCode} is my code", "my pin is {voiceCode}", "my pin code is {voiceCode}", "pin {voiceCode}",
        "the pin is {voiceCode}", "here's my code {voiceCode}", "my voice pin is {voiceCode}",
        "use code {voiceCode}", "enter {voiceCode}", "my password is {voiceCode}",
    )),
    IntentSource("ScheduleDeliveryIntent", {"date": "AMAZON.DATE", "timeSlot": "TIME_SLOT"}, (
        "deliver it {date}", "deliver it {date} {timeSlot}", "deliver it {timeSlot}", "deliver {date} {timeSlot}",
        "deliver it on {date}", "deliver it on {date} in the {timeSlot}", "schedule delivery for {date}",
        "schedule my delivery for {date} {timeSlot}", "schedule delivery for {timeSlot}",
        "schedule the delivery for {timeSlot} on {date}", "i want it delivered {date}",
        "i want it delivered {date} {timeSlot}", "i'd like a {timeSlot} delivery", "bring it {date} {timeSlot}",
        "can you deliver {date}", "could you deliver it {timeSlot}", "delivery {date} in the {timeSlot}",
        "{date} {timeSlot}", "on {date}", "{date} please", "{date} in the {timeSlot}", "{timeSlot} on {date} please", "{timeSlot} delivery please",
        "schedule a delivery", "schedule my delivery", "choose a delivery time", "set a delivery time",
        "can it get here {date}", "{date} works", "{date} is fine",
        "{timeSlot} is better", "the {timeSlot} works",
    )),
    IntentSource("SetDeliveryAddressIntent", {"addressLabel": "ADDRESS_LABEL"}, (
        "ship it to my {addressLabel} address", "ship it to my {addressLabel}", "ship it to {addressLabel}",
        "ship to my {addressLabel}", "deliver it to my {addressLabel}", "deliver to my {addressLabel} address",
        "deliver to {addressLabel}", "send it to my {addressLabel}", "send it to {addressLabel}",
        "use my {addressLabel} address", "bring it to my {addressLabel}", "i want it delivered to {addressLabel}",
        "change the address to {addressLabel}", "change the delivery address to my {addressLabel}",
        "set my delivery address to {addressLabel}", "my {addressLabel} address please",
        "to my {addressLabel} please", "the {addressLabel} address", "{addressLabel} address please", "change my delivery address", "change the address",
        "use a different address",
    )),
    IntentSource("SetPaymentMethodIntent", {"paymentLabel": "PAYMENT_LABEL"}, (
        "pay with my {paymentLabel}", "pay with {paymentLabel}", "pay using my {paymentLabel}",
        "use my {paymentLabel}", "use my {paymentLabel} card", "charge my {paymentLabel}",
        "charge it to my {paymentLabel}", "put it on my {paymentLabel}", "bill my {paymentLabel}",
        "i'll pay with my {paymentLabel}", "i want to pay with {paymentLabel}",
        "switch payment to my {paymentLabel}", "change payment to {paymentLabel}",
        "set my payment method to {paymentLabel}", "my {paymentLabel} please", "change my payment method",
        "use a different card", "change the card",
    )),
    IntentSource("TrackOrderIntent", {"orderNumber": "AMAZON.NUMBER"}, (
        "where is my order", "where's my order", "when will it arrive", "when will my order get here", "what's the status of my delivery", "has my order been shipped", "track my delivery", "where's my delivery", "track my order", "track my last order",
        "track order {orderNumber}", "track order number {orderNumber}", "where is order {orderNumber}",
        "where is order number {orderNumber}", "status of order {orderNumber}",
        "what's the status of order number {orderNumber}", "what's the status of my order", "order status",
        "check my order status", "check on my order", "when will my order arrive",
        "when is my delivery coming", "has my order shipped", "is my order on the way",
    )),
    IntentSource("CancelOrderIntent", {"orderNumber": "AMAZON.NUMBER"}, (
        "cancel my order", "cancel my last order", "stop my order", "don't send my order", "cancel the delivery", "cancel my recent order", "cancel the order",
        "cancel the order i just placed", "cancel order {orderNumber}", "cancel order number {orderNumber}",
        "i want to cancel my order", "i'd like to cancel order {orderNumber}", "please cancel my last order",
        "can you cancel order {orderNumber}", "i don't want my order anymore", "call off my order",
        "cancel my delivery", "cancel my purchase", "undo my order", "scrap my order",
    )),
    IntentSource("ReorderIntent", {}, (
        "buy it again", "reorder", "order the same as last time", "order it again", "order again", "order the same thing again",
        "repeat my last order", "reorder my last order", "place my last order again",
        "reorder everything from my last order", "get the same as last time", "same as last time",
        "buy the same things again", "i want to reorder", "buy that again", "get it again",
        "reorder everything i bought", "buy everything from last time again", "reorder the things i got before",
    )),
    IntentSource("DealsIntent", {}, (
        "what are today's deals", "today's deals", "what are the deals", "deals", "any deals",
        "are there any deals today", "show me the deals", "tell me the deals", "what's on sale",
        "what is on sale", "show me what's on sale", "what's on special", "any specials",
        "what are your specials", "what discounts do you have", "any discounts", "what's on offer",
        "what's cheap today", "are there any coupons", "show me today's specials", "today's specials",
        "what are today's specials", "what's on sale today", "what's discounted", "any good deals",
        "what deals do you have", "anything on sale", "is anything discounted", "do you have coupons",
        "which products are on sale", "got any deals", "what's on promotion", "what are the specials this week",
    )),
    # Orders and delivery outside checkout.
    IntentSource("LastOrderIntent", {}, (
        "how much was my last order", "what did my last order cost", "what was in my last order",
        "what did i order last time", "what did i buy last time",
        "how much did i spend last time", "tell me about my last order", "what was my last order",
        "what did i get last time", "what was the total of my last order", "what did i order",
        "how much was that order", "read me my last order", "what came in my last delivery",
        "how much did my last groceries cost", "what did i pay last time",
        "what was in it", "what was in that order", "what was in the order", "what did that order have in it",
    )),
    IntentSource("OrderNumberIntent", {}, (
        "what's my order number", "what is my order number", "what was the order number",
        "what's the number of my order", "tell me my order number", "read me the order number",
        "say the order number again", "can you repeat the order number", "give me the order number",
        "what number is my order", "order number please", "i need my order number",
        "what's the order number of my last order", "spell out the order number",
    )),
    IntentSource("ReorderItemIntent", {"product": "PRODUCT"}, (
        "order the {product} again", "order just the {product} again", "buy the {product} again",
        "get the {product} again", "reorder the {product}", "reorder just the {product}",
        "i want the {product} from last time", "the {product} from my last order",
        "add the {product} from my last order", "same {product} as last time",
        "just the {product} again", "only the {product} again", "get me the {product} i had last time",
        "buy more of the {product} i got last time", "i'd like the {product} again",
    )),
    IntentSource("UsualOrderIntent", {}, (
        "my usual", "the usual", "get my usual", "get me my usual", "order my usual", "reorder my usual",
        "i'll have the usual", "add my usual", "add my usual things", "my usual order please",
        "the usual please", "same as always", "my regular order", "get my regular stuff",
        "my usual groceries", "do my usual shop",
    )),
    IntentSource("DeliveryInfoIntent", {}, (
        "how much is delivery", "how much does delivery cost", "what's the delivery fee",
        "what is the delivery charge", "is delivery free", "do i have to pay for delivery",
        "what do you charge for delivery", "is there a delivery fee", "how much is shipping",
        "when is delivery free", "how do i get free delivery", "do you charge for delivery",
        "what does delivery cost", "is shipping free", "how much does it cost to deliver",
        "what's the cost of delivery", "is there a charge for delivery", "what do you charge to deliver it",
    )),
    IntentSource("DeliveryTimesIntent", {}, (
        "when can you deliver", "what delivery times are available", "when is the next delivery",
        "what's the earliest delivery", "how soon can you deliver", "what times do you deliver",
        "do you deliver today", "when could it arrive", "when can i get it", "what delivery slots are free",
        "when are you delivering", "can you deliver today", "what are the delivery times",
        "when is the earliest you can bring it", "what times are free", "what time can you bring it",
        "which delivery windows are free", "what delivery windows do you have", "what slots do you have",
    )),
    # Small talk.
    IntentSource("ThanksIntent", {}, (
        "thanks", "thank you", "thank you so much", "thanks a lot", "many thanks", "thanks a bunch",
        "great thanks", "great thank you", "perfect thanks", "awesome thanks", "cheers", "much appreciated",
        "thank you very much", "thanks voice shop", "that's great thanks", "cool thanks", "appreciate it",
        "really appreciate it", "that was helpful thanks", "thanks for your help", "that's helpful",
    )),
    IntentSource("ForgotVoiceCodeIntent", {}, (
        "i forgot my code", "i forgot my voice code", "i forgot my pin", "i don't remember my code",
        "i don't remember my pin", "i can't remember my code", "i can't remember my voice code",
        "what's my voice code", "what is my code", "i lost my code", "how do i reset my voice code",
        "reset my voice code", "forgot my code",
        "how do i change my voice code", "what's my code again", "remind me of my voice code",
        "what was my voice code",
    )),
    # Follow-ups about what was just named or read ("is it organic", "which is cheaper"). Listed last, so
    # the grammar's draw of product fills for the samples above stays as it was.
    IntentSource("ProductQuestionIntent", {"feature": "QUESTION_FEATURE", "position": "AMAZON.Ordinal",
                                           "product": "PRODUCT"}, (
        "is it {feature}", "is that {feature}", "is this {feature}", "is that one {feature}",
        "is this one {feature}", "are they {feature}", "are those {feature}", "are these {feature}",
        "is it {feature} too", "is it also {feature}", "and is it {feature}", "is it actually {feature}",
        "is the {position} one {feature}", "are the {position} ones {feature}", "is the {product} {feature}",
        "are the {product} {feature}", "is that {product} {feature}", "is it {feature} right now",
        "is it {feature} today", "do you have it in stock", "do you have that one in stock",
        "have you got it in stock", "can i still get it", "is there any left", "are there any left",
        "is it {feature} or not", "tell me if it's {feature}",
    )),
    IntentSource("CompareProductsIntent", {"feature": "QUESTION_FEATURE", "product": "PRODUCT",
                                           "otherProduct": "PRODUCT"}, (
        "which is {feature} the {product} or the {otherProduct}",
        "which one is {feature} the {product} or the {otherProduct}",
        "which one's {feature} the {product} or the {otherProduct}", "is {product} {feature} than {otherProduct}",
        "is the {product} {feature} than the {otherProduct}", "compare {product} and {otherProduct}",
        "compare {product} with {otherProduct}", "compare the {product} to the {otherProduct}",
        "compare {product} to {otherProduct}",
        "what's the difference between {product} and {otherProduct}",
        "what's the difference between the {product} and the {otherProduct}",
        "which is {feature}", "which one is {feature}", "which one's {feature}", "which of them is {feature}",
        "which of those is {feature}", "which of these is {feature}", "which of the two is {feature}",
        "which are {feature}", "which ones are {feature}", "compare them", "compare those",
        "compare the two", "how do they compare", "what's the difference between them",
        "what's the difference",
    )),
    # picking from what was just read by a description: brand or variety ("the dole ones"), an order
    # word or sale ("the cheaper one", "the one on sale"), a pack size ("the twelve roll one")
    IntentSource("ChooseProductIntent", {"feature": "FEATURE", "product": "PRODUCT", "size": "AMAZON.NUMBER",
                                          "unit": "UNIT"}, (
        "the {feature} one", "the {feature} ones", "i'll take the {feature} one",
        "the one {feature}", "the one that's {feature}", "the ones that are {feature}",
        "the {product} one", "the {product} ones", "the {product} please", "i'll take the {product} one",
        "i want the {product} one", "let's go with the {product}", "go with the {feature} one",
        "let's go with the {feature} one",
        "the {size} {unit} one", "the {size} {unit} pack", "i'll take the {size} {unit} one",
        "the one with {size} {unit}", "give me the {product} one", "give me the {feature}",
        "whichever is {feature}", "whichever one is {feature}", "the {feature} {unit}", "the {unit} one",
        "the {product}",
    )),
)

# Samples of our own for built-in intents, beside those Alexa brings: how shoppers say them here.
BUILTIN_SAMPLES: dict[str, tuple[str, ...]] = {
    # a yes or a no said with thanks or a word of praise is still the answer to the question
    "AMAZON.YesIntent": (
        "yes that one", "that one", "that one then", "that one please", "yes that one please",
        "i'll take that one", "sure that one", "ok that one",
        "yes thanks", "yes thank you", "great yes please", "yes great", "sounds great", "ok sure",
        "yes that's great", "perfect yes",
    ),
    "AMAZON.NoIntent": (
        "no that's fine", "no that's okay", "no it's fine", "nah i'm fine", "no need", "no thanks i'm fine",
    ),
    # Out-of-domain requests that sound like ours ("what's new today" is not a deals question).
    "AMAZON.FallbackIntent": (
        "tell me the news", "what's in the news", "what's happening today", "what's new with you",
        "what's on my calendar", "what's my schedule today", "what time is it", "what's the time",
        "what's the weather", "will it rain today", "turn off the lights", "turn on the kitchen light",
        "set an alarm", "set a timer", "set a timer for five minutes", "start a timer", "play some music", "play the radio", "tell me a joke",
        "how are you", "how's it going", "call my mom", "send a text", "what's the score", "who won the game",
        "what's the traffic like", "read my email", "how old are you", "what's your name",
    ),
}

# Listed with no samples of our own: Alexa brings its own for these.
BUILTIN_INTENTS: tuple[str, ...] = (
    "AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.FallbackIntent",
    "AMAZON.NavigateHomeIntent", "AMAZON.YesIntent", "AMAZON.NoIntent", "AMAZON.RepeatIntent",
    "AMAZON.NextIntent", "AMAZON.StartOverIntent",
)

# Fixed custom slot types: type -> [(id, spoken value, synonyms)].
FIXED_TYPES: dict[str, list[tuple[str, str, list[str]]]] = {
    # order words that pick or sort what is read; ids as `skill.services.wants` reads them (the
    # skill also reads attributes, price and pack size from the product's own words)
    "FEATURE": [
        ("cheapest", "cheapest", ["cheaper", "cheap", "least expensive", "less expensive", "lowest priced"]),
        ("priciest", "most expensive", ["more expensive", "pricier", "priciest", "expensive"]),
        ("popular", "most popular", ["popular", "best selling", "bestselling"]),
        ("biggest", "biggest", ["bigger", "big", "large", "larger", "largest", "family size", "family pack"]),
        ("smallest", "smallest", ["smaller", "small", "little"]),
        ("on_sale", "on sale", ["discounted", "on special", "on offer", "the sale"]),
    ],
    # what a follow-up asks about a product: its tags (ids as the catalog's `products.tags`), stock,
    # a deal, and the order words a comparison uses ("which is cheaper"). Said right after a product
    # ("is the oat milk organic"), so the grammar says every pair of the two: keep it short.
    "QUESTION_FEATURE": [
        ("organic", "organic", []),
        ("gluten-free", "gluten free", ["gluten-free", "without gluten"]),
        ("lactose-free", "lactose free", ["lactose-free", "without lactose"]),
        ("dairy-free", "dairy free", ["dairy-free", "non dairy", "non-dairy", "without dairy"]),
        ("unsweetened", "unsweetened", ["without sugar added"]),
        ("decaf", "decaf", ["decaffeinated", "caffeine free"]),
        ("low-sodium", "low sodium", ["low salt", "reduced sodium"]),
        ("unsalted", "unsalted", ["salt free"]),
        ("sugar-free", "sugar free", ["sugar-free", "zero sugar", "sugarless"]),
        ("fat-free", "fat free", ["nonfat", "non fat"]),
        ("low-fat", "low fat", ["reduced fat"]),
        ("whole-grain", "whole grain", ["whole wheat"]),
        ("free-range", "free range", ["cage free", "pasture raised"]),
        ("alcohol-free", "alcohol free", []),
        ("unscented", "unscented", ["fragrance free"]),
        ("vegan", "vegan", ["plant based"]),
        ("vegetarian", "vegetarian", []),
        ("keto", "keto", ["keto friendly"]),
        ("kosher", "kosher", []),
        ("halal", "halal", []),
        ("nut-free", "nut free", ["peanut free"]),
        ("in_stock", "in stock", ["available", "still available", "sold out", "out of stock"]),
        ("on_sale", "on sale", ["on special", "discounted", "on offer", "a deal", "on promotion"]),
        ("cheapest", "cheaper", ["cheapest", "less expensive", "costs less", "the better deal", "better value"]),
        ("priciest", "more expensive", ["pricier", "most expensive", "dearer"]),
        ("biggest", "bigger", ["biggest", "larger", "largest"]),
        ("smallest", "smaller", ["smallest"]),
    ],
    "UNIT": [
        ("bottle", "bottle", ["bottles"]),
        ("carton", "carton", ["cartons"]),
        ("gallon", "gallon", ["gallons", "gallon jug", "jug", "jugs"]),
        ("half_gallon", "half gallon", ["half gallons", "half a gallon"]),
        ("quart", "quart", ["quarts"]),
        ("pint", "pint", ["pints"]),
        ("liter", "liter", ["liters", "litre", "litres"]),
        ("pound", "pound", ["pounds", "lb", "lbs"]),
        ("ounce", "ounce", ["ounces", "oz"]),
        ("bag", "bag", ["bags", "sack", "sacks"]),
        ("pack", "pack", ["packs", "package", "packages", "packet", "packets", "multipack"]),
        ("box", "box", ["boxes"]),
        ("case", "case", ["cases"]),
        ("loaf", "loaf", ["loaves"]),
        ("dozen", "dozen", ["dozens"]),
        ("can", "can", ["cans", "tin", "tins"]),
        ("jar", "jar", ["jars"]),
        ("bunch", "bunch", ["bunches"]),
        ("roll", "roll", ["rolls"]),
        ("tub", "tub", ["tubs", "container", "containers"]),
        ("bar", "bar", ["bars"]),
        ("block", "block", ["blocks"]),
        ("tube", "tube", ["tubes"]),
        ("cup", "cup", ["cups"]),
        ("canister", "canister", ["canisters"]),
        ("head", "head", ["heads"]),
        ("each", "each", ["item", "items", "piece", "pieces", "single", "singles"]),
        ("count", "count", []),
    ],
    "TIME_SLOT": [
        ("morning", "morning", ["in the morning", "this morning", "early", "first thing",
                                "before noon", "before lunch", "a.m.", *_clock_times("morning")]),
        ("afternoon", "afternoon", ["in the afternoon", "this afternoon", "after lunch", "midday", "around noon",
                                    "lunchtime", "p.m.", "at noon", "noon", *_clock_times("afternoon")]),
        ("evening", "evening", ["in the evening", "this evening", "tonight", "after work", "after dinner",
                                "at night", "night", "late", "after school", "for dinner", "before dinner",
                                *_clock_times("evening")]),
    ],
    "ADDRESS_LABEL": [
        ("home", "home", ["my home", "house", "my house", "my place", "home address", "apartment",
                          "my apartment", "where i live"]),
        ("work", "work", ["office", "the office", "my office", "workplace", "my job", "job", "work address",
                          "business address"]),
        # somebody else's place: no saved address says it, so the skill names the ones it has
        ("elsewhere", "somewhere else", ["someone else's house", "a different address", "another address",
                                         "a new address", "my mom's house", "my mom's", "my mother's house",
                                         "my dad's house", "my dad's", "my parents' house", "my parents' place",
                                         "my friend's house", "a friend's place", "my sister's house",
                                         "my brother's place", "my neighbor's house", "my grandma's house",
                                         "my girlfriend's place", "my boyfriend's place"]),
    ],
    "PAYMENT_LABEL": [
        ("visa", "visa", ["visa card", "my visa card", "visa credit card"]),
        ("mastercard", "mastercard", ["master card", "mastercard card", "m. c."]),
        ("amex", "american express", ["amex", "amex card", "american express card"]),
        ("discover", "discover", ["discover card"]),
        ("credit_card", "credit card", ["credit", "my credit card", "card"]),
        ("debit_card", "debit card", ["debit", "my debit card", "bank card", "check card"]),
        ("default", "usual card", ["default card", "the usual card", "my usual card", "default payment",
                                   "same card as last time"]),
    ],
}

DIALOG: tuple[DialogSlot, ...] = (
    DialogSlot("SearchProductIntent", "product",
               ("What product are you looking for?", "Which product should I search for?"),
               ("{product}", "some {product}", "i need some {product}", "i'm after {product}",
                "i'm searching for {product}", "look for some {product}")),
    DialogSlot("ScheduleDeliveryIntent", "timeSlot",
               ("Would you like delivery in the morning, afternoon, or evening?",
                "Which delivery window suits you: morning, afternoon, or evening?"),
               ("{timeSlot}", "in the {timeSlot}", "the {timeSlot}", "{timeSlot} please",
                "the {timeSlot} works", "{timeSlot} is best")),
    DialogSlot("SetDeliveryAddressIntent", "addressLabel",
               ("Which address should I ship to, home or work?", "Should I deliver to your home or your work address?"),
               ("{addressLabel}", "my {addressLabel}", "my {addressLabel} address", "to my {addressLabel}",
                "the {addressLabel} one", "send it to my {addressLabel} please")),
    DialogSlot("SetPaymentMethodIntent", "paymentLabel",
               ("Which card would you like to pay with?", "Which payment method should I use, for example your Visa?"),
               ("{paymentLabel}", "my {paymentLabel}", "the {paymentLabel}", "use the {paymentLabel}",
                "with my {paymentLabel}", "my {paymentLabel} card")),
    DialogSlot("ProvideVoiceCodeIntent", "voiceCode",
               ("Please say your four digit voice code.", "What is your voice code?"),
               ("{voiceCode}", "it is {voiceCode}", "code is {voiceCode}", "my code's {voiceCode}")),
)

# Prompt ids follow the console's convention, with names instead of numbers so they read well.
PROMPTS: dict[tuple[str, str], str] = {(d.intent, d.slot): f"Elicit.Slot.{d.intent}.{d.slot}" for d in DIALOG}
