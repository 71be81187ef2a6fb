"""The hand-written half of the ko-KR interaction model: the same intents and slots as en-US, Korean
samples, fixed slot types and dialog prompts. `build_model --locale ko-KR` adds the PRODUCT type from
the Korean catalog and writes `interactionModels/custom/ko-KR.json`.

Samples are written as Korean shoppers talk to a speaker: polite (해요체) and casual (반말), with and
without particles, with counters ("{quantity} {unit}": 두 개, 세 봉지) and the object before the verb.
Rules the build enforces for ko-KR (`speech.validate`): Hangul syllables, spaces and the slot braces
only; numbers said in words, never digits; no sample twice.
"""

from __future__ import annotations

from skill.data.model_source import DialogSlot, IntentSource

__all__ = ["BUILTIN_SAMPLES", "DIALOG", "FIXED_TYPES", "INTENTS", "INVOCATION_NAME", "PROMPTS"]

INVOCATION_NAME = "보이스 샵"

INTENTS: tuple[IntentSource, ...] = (
    # A price limit is said in won with Sino-Korean numbers ("만 오천 원 이하"); {maxPrice} is the amount.
    IntentSource("SearchProductIntent", {"product": "PRODUCT", "maxPrice": "AMAZON.NUMBER"}, (
        "{product} 찾아 줘", "{product} 찾아 주세요", "{product} 검색해 줘", "{product} 검색", "{product} 있어",
        "{product} 있어요", "{product} 있나요", "{product} 뭐 있어", "{product} 어떤 거 있어", "{product} 보여 줘",
        "{product} 좀 보여 주세요", "{product} 파는 거 있어", "{product} 팔아요", "{product} 종류 알려 줘",
        "{product} 사고 싶어", "{product} 살래", "{product} 찾고 있어요", "{product} 알아봐 줘",
        "{product} 어떤 브랜드 있어", "검색", "상품 검색", "뭐 좀 찾아 줘", "검색하고 싶어",
        "{maxPrice} 원 이하 {product}", "{maxPrice} 원 이하 {product} 찾아 줘", "{maxPrice} 원 이하로 {product} 보여 줘",
        "{maxPrice} 원 이하인 {product} 있어요", "{product} {maxPrice} 원 이하로 찾아 줘", "{product} {maxPrice} 원 이하",
        "{maxPrice} 원 안 넘는 {product}", "{maxPrice} 원 안 넘는 {product} 있어", "{maxPrice} 원 넘지 않는 {product} 찾아 주세요",
        "{maxPrice} 원 밑으로 {product} 찾아 줘", "{maxPrice} 원 미만 {product}", "{maxPrice} 원 아래 {product} 있나요",
        "{maxPrice} 원 이내 {product} 찾아 줘", "{maxPrice} 원 안쪽으로 {product} 보여 주세요", "{maxPrice} 원까지 {product} 찾아 줘",
        "{product} {maxPrice} 원 밑으로 있어", "{product} 중에 {maxPrice} 원 이하인 거", "{product} {maxPrice} 원 안 넘는 거 있어요",
    )),
    IntentSource("AddToCartIntent", {"product": "PRODUCT", "quantity": "AMAZON.NUMBER", "unit": "UNIT",
                                      "position": "AMAZON.Ordinal"}, (
        "{product} 담아 줘", "{product} 장바구니에 담아 줘", "{product} 장바구니에 넣어 줘", "{product} 추가해 줘",
        "{product} 추가", "{product} 담아 주세요", "{product} 넣어 주세요", "{product} 주문해 줘",
        "{product} 시켜 줘", "{product} 좀 사 줘", "{product} 주세요", "{product} 줘", "{product} 하나 담아 줘",
        "{product} {quantity} {unit} 담아 줘", "{product} {quantity} {unit} 장바구니에 넣어 줘",
        "{product} {quantity} {unit} 추가해 주세요", "{product} {quantity} {unit} 주문해 줘",
        "{product} {quantity} {unit} 주세요", "{product} {quantity} {unit}", "{product} {quantity} 개 담아 줘",
        "{product} {quantity} 개 줘", "{product} 하나 주세요", "{product} 하나만 줘",
        "{product} {quantity} {unit} 넣어 줄래요",
        "{quantity} {unit} 담아 줘", "{product} 더 담아 줘", "{product}도 담아 줘", "{product} 필요해",
        "{product} 떨어졌어", "{product} 다 떨어졌어요", "{product} 하나 넣어 줘", "{product} 하나 사 줘",
        "{product}도 하나 담아 줘",
        "{product} 하나 장바구니에 넣어 줘", "{product} 사야 돼", "{product} 살게",
        "그거 담아 줘", "이거 담아 줘", "담아 줘", "장바구니에 넣어 줘", "그걸로 담아 줘", "하나 더 담아 줘",
        "{quantity} 개 담아 줘", "{quantity} {unit} 더 넣어 줘", "{position} 거 담아 줘", "{position} 거 장바구니에 넣어 줘",
        "{position} 상품 담아 줘", "{position} 걸로 {quantity} {unit} 담아 줘", "{position} 거 {quantity} {unit} 담아 줘",
        "{position} 거 살게", "{position} 걸로 담아 줘",
        "{product} {quantity} {unit} 좀 넣어 줘",
    ), multiple=("product",)),
    IntentSource("RemoveFromCartIntent", {"product": "PRODUCT", "position": "AMAZON.Ordinal"}, (
        "{product} 빼 줘", "{product} 장바구니에서 빼 줘", "{product} 삭제해 줘", "{product} 지워 줘",
        "{product} 빼 주세요", "{product} 삭제", "{product} 필요 없어", "{product}는 안 살래", "{product} 취소해 줘",
        "장바구니에서 {product} 없애 줘", "{position} 거 빼 줘", "{position} 상품 삭제해 줘", "그거 빼 줘",
        "이거 빼 줘", "방금 거 빼 줘", "그거 장바구니에서 지워 줘",
    )),
    IntentSource("UpdateQuantityIntent", {"product": "PRODUCT", "quantity": "AMAZON.NUMBER", "unit": "UNIT"}, (
        "{product} {quantity} 개로 바꿔 줘", "{product} {quantity} {unit}로 바꿔 줘", "{product} 수량 {quantity} 개로 해 줘",
        "{product} {quantity} 개로 변경해 주세요", "{product} {quantity} 개만 할게", "{product} {quantity} {unit}만",
        "{product} 수량 바꿔 줘", "수량 {quantity} 개로 바꿔 줘", "{quantity} 개로 바꿔 줘", "{quantity} 개로 해 줘",
        "{quantity} {unit}로 해 주세요", "수량 변경", "수량 바꿔 줘", "{product} {quantity} 개로 줄여 줘",
        "{product} {quantity} 개로 늘려 줘",
    )),
    IntentSource("ViewCartIntent", {}, (
        "장바구니 보여 줘", "장바구니 확인", "장바구니에 뭐 있어", "장바구니에 뭐가 있어요", "장바구니 읽어 줘",
        "장바구니 알려 줘", "장바구니", "내 장바구니", "뭐 담았어", "지금까지 뭐 담았지", "총 얼마야",
        "합계 얼마야", "장바구니 얼마야", "장바구니에 몇 개 있어", "담은 거 보여 줘", "장바구니 목록",
        "지금 합계 얼마 나왔어", "장바구니에 뭐가 담겼지", "뭐 담겨 있는지 알려 줘", "장바구니에 담긴 거 알려 줘",
        "담긴 거 뭐야",
    )),
    IntentSource("ClearCartIntent", {}, (
        "장바구니 비워 줘", "장바구니 비워", "장바구니 다 지워 줘", "장바구니 전부 삭제", "전부 빼 줘", "다 빼 줘", "전부 다 빼 줘",
        "장바구니 초기화", "장바구니 싹 비워 주세요", "담은 거 다 지워 줘", "장바구니 비우기",
    )),
    IntentSource("ReadWholeCartIntent", {}, (
        "전부 다 읽어 줘", "장바구니 전부 읽어 줘", "다 읽어 줘", "하나도 빼지 말고 다 읽어 줘", "전체 목록 읽어 줘",
        "장바구니 전체 알려 줘", "나머지도 읽어 줘", "나머지 알려 줘", "나머지는 뭐야", "남은 거 다 알려 줘",
        "다 들려 줘", "전부 들려 주세요", "담은 거 전부 알려 줘", "목록 전체", "끝까지 읽어 줘", "또 뭐 담았어",
    )),
    IntentSource("UndoIntent", {}, (
        "방금 거 취소해", "방금 거 취소해 줘", "되돌려 줘", "되돌려", "되돌리기", "원래대로 해 줘", "원래대로 돌려 줘",
        "방금 한 거 취소", "방금 담은 거 취소해 줘", "방금 뺀 거 다시 넣어 줘", "실행 취소", "다시 되돌려 주세요",
        "방금 건 없던 걸로 해 줘", "아까 대로 돌려 줘", "방금 바꾼 거 되돌려 줘",
        "뺀 거 도로 넣어 줘", "도로 넣어 줘", "도로 담아 줘", "방금 뺀 거 도로 담아 주세요", "뺀 거 다시 살려 줘",
    )),
    IntentSource("CorrectionIntent", {"product": "PRODUCT"}, (
        "아니 {product}", "아니 {product}라고", "아니 {product} 말한 거야", "그거 말고 {product}",
        "그거 아니고 {product}", "{product}라고 했어", "{product}라고 했잖아", "내 말은 {product}", "{product}로 바꿔 줘",
        "{product}로 바꿔 주세요", "잘못 담았어", "그거 아니야",
        "틀렸어 {product}야", "아니요 {product}요", "그거 말고 {product}로 해 줘", "아니 그거 말고 {product}",
        "그거 말고 {product}로 바꿔 줘", "말고 {product}", "{product}라고", "{product}라고 했잖아요",
    )),
    IntentSource("DecreaseQuantityIntent", {"product": "PRODUCT", "quantity": "AMAZON.NUMBER", "unit": "UNIT"}, (
        "하나 빼 줘", "하나만 빼 줘", "한 개 빼 줘", "{quantity} 개 빼 줘", "{quantity} 개만 빼 줘", "하나 덜어 줘",
        "하나 줄여 줘", "{quantity} 개 줄여 줘", "{product} 하나 빼 줘", "{product} 하나만 빼 주세요",
        "{product} {quantity} 개 빼 줘", "{product} {quantity} 개 덜어 줘", "{product} 하나 줄여 줘",
        "{product} 하나 덜 살게", "하나 덜 살게", "하나는 빼", "{product} 하나는 빼 줘", "한 개만 줄여 주세요",
        "{quantity} {unit} 빼 줘", "{product} {quantity} {unit} 빼 줘",
        "{quantity} {unit}는 빼 주세요",
    )),
    IntentSource("SelectItemIntent", {"position": "AMAZON.Ordinal"}, (
        "{position} 거", "{position} 거요", "{position} 걸로", "{position} 걸로 할게", "{position} 걸로 주세요",
        "{position} 상품", "{position} 거 선택", "{position} 거로 할래", "{position} 거 좋아", "{position}",
        "{position} 번 거", "{position} 거 골라 줘",
    )),
    IntentSource("ProductDetailsIntent", {"product": "PRODUCT", "position": "AMAZON.Ordinal"}, (
        "{position} 거 자세히 알려 줘", "{position} 거 설명해 줘", "{position} 거 얼마야", "{position} 거 가격",
        "{position} 거 용량 얼마야", "{position} 거 어느 브랜드야", "{position} 거 할인해", "{product} 얼마야",
        "{product} 가격 알려 줘", "{product} 자세히 알려 줘", "{product} 설명해 줘", "{product} 얼마예요",
        "{product} 용량 알려 줘", "자세히 알려 줘", "그거 얼마야", "그거 자세히 알려 줘", "더 자세히", "상세 정보",
        "금액 자세히 알려 줘", "결제 내역 알려 줘", "금액 내역",
    )),
    # Choosing among what was just read, by a description: the order word ("제일 싼 걸로", "큰 걸로"), a
    # brand or variety ("서울우유로 할게"), a tag ("유기농 걸로") or a pack size ("다섯 개입짜리로").
    IntentSource("ChooseProductIntent", {"feature": "FEATURE", "product": "PRODUCT", "size": "AMAZON.NUMBER",
                                          "unit": "UNIT"}, (
        "{feature} 걸로", "{feature} 걸로 할게", "{feature} 걸로 할게요", "{feature} 걸로 해 줘", "{feature} 거",
        "{feature} 거요", "{feature} 거로 할래", "{feature} 거로 주세요", "{feature} 걸로 골라 줘", "{feature} 거 줘",
        "그중에 {feature} 걸로", "그중에서 {feature} 거", "{feature} 상품으로", "{feature} 제품으로 할게",
        "{feature} {unit}로", "{feature} {unit}로 할게", "{feature}로 할게",
        "{feature}로 할게요", "{feature}로 할래", "{feature}로 주세요", "{feature} 제품으로 주세요",
        "{product}로 할게", "{product}로 할게요", "{product}로 할래", "{product}로 해 줘", "{product} 걸로",
        "{product} 걸로 할게", "{product} 거로", "{product} 거요", "{product} 제품으로", "{product}로 골라 줘",
        "그중에 {product}로", "{feature} {product}로 할게", "{feature} {product} 걸로",
        "{size} {unit}짜리", "{size} {unit}짜리로", "{size} {unit}짜리로 할게", "{size} {unit}짜리 거",
        "{size} {unit} 들어 있는 거", "{size} {unit}입으로", "{size} 개입짜리로",
    )),
    IntentSource("OtherOptionsIntent", {}, (
        "다른 거 있어", "다른 거 있어요", "다른 거 없어", "다른 거 뭐 있어", "다른 것도 있어요", "다른 브랜드 있어",
        "다른 브랜드는", "다른 브랜드 보여 줘", "다른 제품은", "다른 제품 보여 줘", "다른 상품은 없어요", "다른 선택지",
        "다른 옵션 알려 줘", "그거 말고 다른 거", "이거 말고 다른 거", "그거 말고", "그것들 말고", "다 별로야",
        "마음에 드는 게 없어", "마음에 안 들어", "다른 것도 알려 줘", "다른 것도 들려 줘", "다른 거 추천해 줘",
        "다른 건 없어", "또 다른 거", "다른 거", "다른 거 또 있어", "다른 상품은", "다른 것도 들어 볼래", "다른 거 들어 볼게요",
        "다른 거 보여 줘",
    )),
    # Follow-ups about what was just named or read ("그거 유기농이야", "두부 재고 있어").
    IntentSource("ProductQuestionIntent", {"feature": "QUESTION_FEATURE", "position": "AMAZON.Ordinal",
                                           "product": "PRODUCT"}, (
        "그거 {feature}이야", "그거 {feature}이에요", "그거 {feature}야", "그거 {feature}예요", "이거 {feature}이야",
        "그건 {feature}이에요", "그것도 {feature}이야", "{feature}이야", "{feature}이에요", "{feature}인가요",
        "{feature} 맞아", "{feature} 맞아요", "그거 {feature} 맞아요", "{position} 거 {feature}이야",
        "{position} 거 {feature}인가요", "{product} {feature}이야", "{product} {feature}인가요", "{product}는 {feature}야",
        "{product} {feature} 맞아요", "{product} 재고 있어", "{product} 재고 있어요", "{product} 재고 있나요",
        "그거 재고 있어", "그거 {feature} 해", "그거 {feature} 해요", "{product} {feature} 해",
        "{product} {feature} 하나요", "그거 아직 있어", "그거 살 수 있어", "그거 지금 살 수 있어요", "그거 남아 있어",
        "{product} 남아 있어요", "{product} 아직 있어",
    )),
    IntentSource("CompareProductsIntent", {"feature": "QUESTION_FEATURE", "product": "PRODUCT",
                                           "otherProduct": "PRODUCT"}, (
        "{product}랑 {otherProduct} 중에 뭐가 {feature}", "{product}이랑 {otherProduct} 중에 뭐가 더 {feature}",
        "{product}하고 {otherProduct} 중에 어느 게 {feature}", "{product}와 {otherProduct} 중 어떤 게 더 {feature}",
        "{product}랑 {otherProduct} 중에 어느 쪽이 {feature}", "{product}가 {otherProduct}보다 {feature}",
        "{product}이 {otherProduct}보다 더 {feature}", "{product}랑 {otherProduct} 비교해 줘",
        "{product}하고 {otherProduct} 비교해 주세요", "{product}랑 {otherProduct} 차이가 뭐야",
        "{product}와 {otherProduct} 뭐가 달라", "뭐가 더 {feature}", "어느 게 더 {feature}", "어떤 게 더 {feature}",
        "둘 중에 뭐가 {feature}", "둘 중에 어느 게 더 {feature}", "그중에 뭐가 제일 {feature}", "어느 쪽이 {feature}",
        "비교해 줘", "둘이 비교해 줘", "둘이 뭐가 달라", "차이가 뭐야", "둘 차이 알려 줘",
    )),
    IntentSource("CheckoutIntent", {}, (
        "결제", "결제할게", "결제해 줘", "결제해 주세요", "결제하기", "계산해 줘", "계산할게요", "주문할게",
        "주문할게요", "주문하기", "이대로 주문", "장바구니 주문해 줘", "구매할게", "구매하기", "체크아웃",
        "다 골랐어", "이제 결제하자", "주문 진행해 줘",
    )),
    IntentSource("ProvideVoiceCodeIntent", {"voiceCode": "AMAZON.FOUR_DIGIT_NUMBER"}, (
        "{voiceCode}", "비밀번호 {voiceCode}", "비밀번호는 {voiceCode}", "비밀번호는 {voiceCode}이야",
        "음성 코드 {voiceCode}", "음성 코드는 {voiceCode}", "코드는 {voiceCode}", "코드 {voiceCode}",
        "내 비밀번호는 {voiceCode}", "핀 번호 {voiceCode}", "{voiceCode}이에요", "{voiceCode}입니다",
    )),
    IntentSource("ScheduleDeliveryIntent", {"date": "AMAZON.DATE", "timeSlot": "TIME_SLOT"}, (
        "{date} 배송해 줘", "{date} {timeSlot}에 배송해 줘", "{date} {timeSlot}에 보내 줘", "{timeSlot}에 배송해 줘",
        "{date} {timeSlot}", "{date} {timeSlot}로 해 줘", "{date}로 해 주세요", "{date}에 받을게", "{timeSlot}에 받을게요",
        "{date} {timeSlot}에 가져다 줘", "배송 {date} {timeSlot}", "{date} 배달해 주세요", "{timeSlot} 배송으로",
        "배송 시간 정해 줘", "배송 날짜 바꿔 줘", "배송 예약", "{timeSlot}에 갖다 주세요", "{date} {timeSlot}에 갖다 줘",
    )),
    IntentSource("SetDeliveryAddressIntent", {"addressLabel": "ADDRESS_LABEL"}, (
        "{addressLabel}로 보내 줘", "{addressLabel}로 배송해 줘", "{addressLabel}로 해 줘", "{addressLabel} 주소로",
        "배송지는 {addressLabel}", "배송지 {addressLabel}로 바꿔 줘", "{addressLabel}에서 받을게", "{addressLabel}로 가져다 줘",
        "주소 {addressLabel}로 해 주세요", "배송지 변경", "주소 바꿔 줘", "다른 주소로",
    )),
    IntentSource("SetPaymentMethodIntent", {"paymentLabel": "PAYMENT_LABEL"}, (
        "{paymentLabel}로 결제해 줘", "{paymentLabel}로 계산해 줘", "{paymentLabel}로 할게", "{paymentLabel} 카드로",
        "{paymentLabel}로 결제", "결제 수단 {paymentLabel}", "결제는 {paymentLabel}로", "{paymentLabel} 써 줘",
        "결제 수단 바꿔 줘", "카드 바꿔 줘", "다른 카드로", "카드는 {paymentLabel}",
        "결제 카드는 {paymentLabel}로 할게요",
    )),
    IntentSource("TrackOrderIntent", {"orderNumber": "AMAZON.NUMBER"}, (
        "내 주문 어디쯤이야", "주문 어디까지 왔어", "배송 조회", "배송 조회해 줘", "주문 상태 알려 줘", "주문 조회",
        "언제 도착해", "언제 와요", "택배 어디야", "주문한 거 언제 와", "{orderNumber} 번 주문 조회",
        "주문 번호 {orderNumber} 어디야", "{orderNumber} 번 주문 상태", "배송 어디쯤 왔어요", "주문 확인해 줘",
        "물건 언제 와", "배송 언제 와요", "주문 어떻게 됐는지 알려 줘",
    )),
    IntentSource("CancelOrderIntent", {"orderNumber": "AMAZON.NUMBER"}, (
        "주문 취소", "주문 취소해 줘", "주문 취소해 주세요", "방금 주문 취소해 줘", "마지막 주문 취소",
        "{orderNumber} 번 주문 취소", "주문 번호 {orderNumber} 취소해 줘", "배송 취소해 줘", "주문한 거 취소할래",
        "주문 안 할래", "구매 취소", "아까 주문한 거 취소해 줘",
    )),
    IntentSource("ReorderIntent", {}, (
        "지난번이랑 똑같이 주문해 줘", "다시 주문해 줘", "재주문", "재주문해 줘", "지난 주문 다시",
        "저번에 산 거 다시 사 줘", "똑같이 한 번 더", "지난번 거 그대로", "저번 주문 또 해 줘", "지난번에 시킨 거 또 시켜 줘",
        "전에 샀던 거 또 주문할래", "지난번이랑 똑같게 다시 주문해 줘", "저번이랑 같은 걸로 또 시켜 줘",
    )),
    IntentSource("DealsIntent", {}, (
        "오늘 특가 뭐야", "할인 상품 알려 줘", "세일하는 거 있어", "할인하는 거 뭐 있어요", "특가 상품",
        "오늘의 특가", "행사 상품 뭐 있어", "싸게 파는 거 있어", "할인 정보", "이번 주 행사", "특가 보여 줘",
        "쿠폰 있어", "뭐가 싸", "세일 중인 거",
        "할인하는 상품 있나요", "세일하는 상품 뭐 있어", "행사 중인 거 뭐 있어요", "지금 세일 해요", "특가 있어요",
        "행사 상품 있어요", "요새 싸게 파는 거 뭐 있어요", "세일하는 거 뭐 있나요", "지금 뭐 할인해",
        "이번 주에 뭐 세일해요", "요즘 세일하는 거 뭐 있어", "요즘 특가 상품 있나요",
    )),
    # Orders and delivery outside checkout: the last order, its number, one item again, the usual, the fee, free times.
    IntentSource("LastOrderIntent", {}, (
        "지난번에 뭐 샀지", "지난번에 뭐 샀어", "저번에 뭐 샀었지", "지난 주문 얼마였어", "지난 주문 얼마 나왔어요", "저번 주문 금액 알려 줘",
        "마지막 주문 뭐였어", "지난번에 뭐 주문했지", "지난번에 얼마 썼어", "지난 주문 내역 알려 줘", "최근 주문 내역",
        "저번에 주문한 거 뭐였어요", "지난 주문에 뭐가 있었지", "마지막으로 산 게 뭐야", "지난번 장 본 거 얼마였어요",
        "그 주문에 뭐 있었어", "지난 주문 합계 얼마야", "지난번 주문 알려 주세요", "저번에 산 거 뭐였는지 알려 줘", "지난 주문 총 얼마였어", "저번 장보기 얼마 들었지",
    )),
    IntentSource("OrderNumberIntent", {}, (
        "주문 번호 알려 줘", "주문 번호 뭐야", "주문 번호가 뭐예요", "주문 번호 다시 말해 줘", "주문 번호 다시 알려 주세요",
        "내 주문 번호", "주문 번호 불러 줘", "방금 주문 번호 뭐였지", "아까 주문 번호 뭐였지", "주문 번호 좀", "지난 주문 번호 알려 줘",
        "주문 번호 몇 번이야", "주문 번호 천천히 읽어 줘", "주문 번호가 어떻게 돼요", "주문 번호 한 번 더 알려 줘",
    )),
    IntentSource("ReorderItemIntent", {"product": "PRODUCT"}, (
        "{product} 다시 주문해 줘", "{product}만 다시 주문해 줘", "지난번에 산 {product} 다시 담아 줘",
        "지난 주문에서 {product}만 다시", "{product}만 재주문", "{product} 재주문해 줘",
        "저번에 샀던 {product} 다시 주문해 주세요", "지난번 {product} 다시 사고 싶어", "{product}는 지난번 거로 다시 담아 줘",
        "지난번에 시킨 {product} 또 시켜 줘", "지난번이랑 같은 {product} 담아 줘", "{product}만 다시 담아 주세요",
        "지난 주문의 {product} 다시", "{product} 한 번 더 시켜 줘",
    )),
    IntentSource("UsualOrderIntent", {}, (
        "늘 사던 거 담아 줘", "늘 사던 거", "늘 사던 걸로", "평소에 사는 거 담아 줘", "평소대로 주문해 줘",
        "평소처럼 담아 줘", "자주 사는 거 담아 줘", "맨날 사는 거 넣어 줘", "항상 사던 거로 해 줘",
        "늘 시키던 거 시켜 줘", "평소 장보기 담아 줘", "늘 하던 대로 해 줘", "자주 산 거 장바구니에 넣어 주세요",
    )),
    IntentSource("DeliveryInfoIntent", {}, (
        "배송비 얼마야", "배송비는 얼마예요", "배송비 있어", "배송비 받아요", "무료 배송이야", "무료 배송 되나요",
        "얼마부터 무료 배송이야", "얼마 이상 사면 배송비 무료야", "배송비 무료 조건 알려 줘", "배송비 내야 돼",
        "배송료 얼마야", "택배비 얼마예요", "배송비 공짜야", "무료 배송 받으려면 얼마 더 사야 돼",
        "배송비 안 내려면 어떻게 해", "배송비 알려 주세요", "배달비 얼마예요", "택배비는 따로 받아", "배송료 따로 있어요",
    )),
    IntentSource("DeliveryTimesIntent", {}, (
        "언제 배달돼", "언제 배달 돼요", "배송 시간 언제 있어", "배송 가능한 시간 알려 줘", "언제 배송 가능해",
        "제일 빨리 받을 수 있는 게 언제야", "가장 빠른 배송 시간", "오늘 배송 돼", "오늘 받을 수 있어",
        "언제 받을 수 있어요", "빈 배송 시간 있어", "배송 시간 뭐 있어", "언제 가져다 줄 수 있어", "배송 가능한 날짜 알려 줘",
        "빠른 배송 언제야", "배송 되는 시간 알려 주세요", "배송 날짜 언제 가능해", "배달 가능한 날 알려 줘", "제일 빠른 날이 언제예요",
    )),
    # Small talk: thanks, and a forgotten voice code (explained: it is reset in the Alexa app).
    IntentSource("ThanksIntent", {}, (
        "고마워", "고마워요", "감사합니다", "감사해요", "정말 고마워", "고맙습니다", "땡큐", "수고했어", "수고하셨어요",
        "도와줘서 고마워", "덕분이야", "진짜 감사해요", "알려 줘서 고마워", "좋아 고마워", "친절하네 고마워", "너무 감사합니다",
        "고마워 정말", "대단히 감사합니다",
    )),
    IntentSource("ForgotVoiceCodeIntent", {}, (
        "비밀번호 까먹었어", "음성 코드 까먹었어요", "비밀번호 잊어버렸어", "코드 기억이 안 나", "비밀번호가 생각이 안 나요",
        "음성 코드 잊어버렸어요", "비밀번호 뭐였지", "내 음성 코드 뭐야", "비밀번호 어떻게 바꿔", "음성 코드 바꾸고 싶어",
        "비밀번호 재설정", "음성 코드 초기화하는 법 알려 줘", "핀 번호 까먹었어", "코드 잊어버렸어", "비번 까먹음", "코드 까먹었는데 어떡하지", "음성 코드 잊었어요",
    )),
)

# Samples of our own for built-in intents, beside the Korean phrases the NLU knows for them: a yes or a
# no said with thanks is still the answer to the question ("네 고마워요" is not small talk).
BUILTIN_SAMPLES: dict[str, tuple[str, ...]] = {
    "AMAZON.YesIntent": ("네 고마워요", "응 고마워", "네 감사합니다", "좋아요 고마워요", "응 좋아 고마워", "네 그렇게 해 주세요 감사해요"),
    "AMAZON.NoIntent": ("아니 괜찮아 고마워", "아니요 괜찮아요 감사합니다", "아뇨 됐어요 고마워요", "아니 고마워"),
}

# The delivery windows' hours (오전 8-12시, 오후 12-17시, 저녁 17-21시), said with native numbers: a clock
# time is a synonym of the window that holds it, so "내일 저녁 여섯 시" books the evening. A bare hour names
# the window people mean by it ("세 시" is the afternoon). 일곱 시 alone is the evening: the first morning
# delivery is at 8, so only the evening holds a seven o'clock. 여덟 시 alone is both the morning's first
# hour and the evening's last, so it is its own value ("eight") and the skill asks which.
_WINDOW_HOURS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # window: (words said before the hour, hours said after them), then the bare hours
    "morning": (("오전", "아침"), ("일곱", "여덟", "아홉", "열", "열한")),
    "afternoon": (("오후", "낮"), ("열두", "한", "두", "세", "네")),
    "evening": (("저녁", "밤", "오후"), ("다섯", "여섯", "일곱", "여덟")),
}
_BARE_HOURS = {"morning": ("아홉", "열", "열한"), "afternoon": ("열두", "한", "두", "세", "네"),
               "evening": ("다섯", "여섯", "일곱")}


def _clock_times(window: str) -> list[str]:
    """'저녁 여섯 시', '여섯 시' ... for the hours of `window` (the NLU reads '여섯 시' as '6 시')."""
    before, hours = _WINDOW_HOURS[window]
    said = [f"{part} {hour} 시" for part in before for hour in hours]
    return said + [f"{hour} 시" for hour in _BARE_HOURS[window]]


# Fixed custom slot types: type -> [(id, spoken value, synonyms)]. The ids are the en-US ones where the
# skill acts on them (time slots, address and card labels); a counter's id is the counter itself, which
# is how the Korean catalog writes a product's unit.
FIXED_TYPES: dict[str, list[tuple[str, str, list[str]]]] = {
    "UNIT": [  # "개" not first: the compiler fills {unit} with the first value, and samples also say "개"
        ("봉지", "봉지", ["봉", "봉투"]),
        ("병", "병", ["페트", "페트병"]),
        ("개", "개", ["개입", "알"]),
        ("팩", "팩", ["팩짜리"]),
        ("캔", "캔", ["깡통"]),
        ("박스", "박스", ["상자", "곽", "갑"]),
        ("묶음", "묶음", ["세트", "번들"]),
        ("통", "통", []),
        ("판", "판", []),
        ("송이", "송이", []),
        ("포대", "포대", ["자루", "포"]),
        ("망", "망", ["그물망"]),
        ("마리", "마리", []),
        ("모", "모", []),
        ("단", "단", []),
        ("포기", "포기", []),
        ("롤", "롤", ["두루마리"]),
    ],
    # order words that pick or sort what is read (ids as en-US: `skill.services.wants` reads them)
    "FEATURE": [
        ("cheapest", "제일 싼", ["싼", "더 싼", "가장 싼", "젤 싼", "저렴한", "더 저렴한", "제일 저렴한", "가장 저렴한", "최저가",
                                "싼 편인", "값싼"]),
        ("priciest", "제일 비싼", ["비싼", "더 비싼", "가장 비싼", "젤 비싼", "고급", "프리미엄", "비싼 편인"]),
        ("popular", "제일 인기 있는", ["인기 있는", "인기 많은", "제일 잘 팔리는", "잘 팔리는", "많이 사는", "인기", "베스트"]),
        ("biggest", "제일 큰", ["큰", "더 큰", "가장 큰", "젤 큰", "대용량", "큰 용량", "용량 큰", "넉넉한", "많이 든",
                                "많이 들은", "많이 들어 있는", "양 많은"]),
        ("smallest", "제일 작은", ["작은", "더 작은", "가장 작은", "젤 작은", "소용량", "작은 용량", "용량 작은", "조그만"]),
        ("on_sale", "할인하는", ["할인 중인", "세일하는", "세일 중인", "행사하는", "할인", "세일", "행사", "특가"]),
    ],
    # what a follow-up asks about a product: a tag as the catalog's `products.tags` holds it (the Korean
    # catalog tags by what the name says), stock, a deal, and the order words a comparison uses
    "QUESTION_FEATURE": [
        ("organic", "유기농", ["유기농 제품", "친환경"]),
        ("low-fat", "저지방", ["지방 적은"]),
        ("lactose-free", "락토프리", ["유당 없는", "무유당"]),
        ("unsweetened", "무가당", ["설탕 없는", "무설탕"]),
        ("sugar-free", "제로", ["제로 슈거", "무당", "당 없는"]),
        ("unsalted", "무염", ["소금 안 들어간", "저염"]),
        ("domestic", "국산", ["국내산", "우리 농산물"]),
        ("antibiotic-free", "무항생제", []),
        ("in_stock", "재고", ["재고가", "품절", "살 수 있는"]),
        ("on_sale", "할인", ["세일", "행사", "특가", "할인 중", "세일 중"]),
        ("cheapest", "싸", ["더 싸", "싼", "저렴해", "더 저렴해", "저렴한", "가격이 싸", "가격이 더 싸", "값이 싸"]),
        ("priciest", "비싸", ["더 비싸", "비싼", "값이 비싸", "가격이 비싸", "가격이 더 비싸"]),
        ("biggest", "커", ["더 커", "큰", "양이 많아", "양이 더 많아", "용량이 커", "용량이 더 커", "많이 들었어"]),
        ("smallest", "작아", ["더 작아", "작은", "양이 적어", "양이 더 적어", "용량이 작아", "용량이 더 작아"]),
    ],
    "TIME_SLOT": [
        ("morning", "오전", ["아침", "오전 중", "점심 전", "일찍", "아침 일찍", *_clock_times("morning")]),
        ("afternoon", "오후", ["낮", "점심", "점심때", "오후 중", "점심 이후", "정오", *_clock_times("afternoon")]),
        ("evening", "저녁", ["밤", "저녁때", "퇴근 후", "늦게", "저녁 시간", *_clock_times("evening")]),
        ("eight", "여덟 시", []),
    ],
    "ADDRESS_LABEL": [
        ("home", "집", ["우리 집", "자택", "집 주소", "우리집"]),
        ("work", "회사", ["사무실", "직장", "회사 주소", "일하는 곳"]),
        # somebody else's place: no saved address says it, so the skill names the ones it has
        ("elsewhere", "다른 곳", ["새 주소", "엄마 집", "엄마네", "부모님 집", "부모님 댁", "본가", "친정",
                                "시댁", "친구 집", "친구네", "언니 집", "누나 집", "동생 집", "할머니 댁", "옆집"]),
    ],
    "PAYMENT_LABEL": [
        ("visa", "비자", ["비자 카드", "비자카드"]),
        ("mastercard", "마스터카드", ["마스터 카드", "마스터"]),
        ("amex", "아멕스", ["아메리칸 익스프레스"]),
        ("discover", "디스커버", ["디스커버 카드"]),
        ("credit_card", "신용카드", ["신용 카드", "카드"]),
        ("debit_card", "체크카드", ["체크 카드", "직불카드"]),
        ("default", "평소 카드", ["늘 쓰던 카드", "기본 카드", "지난번 카드"]),
    ],
}

DIALOG: tuple[DialogSlot, ...] = (
    DialogSlot("SearchProductIntent", "product",
               ("어떤 상품을 찾으세요?", "무엇을 검색할까요?"),
               ("{product}", "{product}요", "{product} 찾아요", "{product} 좀")),
    DialogSlot("ScheduleDeliveryIntent", "timeSlot",
               ("오전, 오후, 저녁 중 언제 받으시겠어요?", "배송 시간은 오전, 오후, 저녁 중 언제가 좋으세요?"),
               ("{timeSlot}", "{timeSlot}요", "{timeSlot}에", "{timeSlot}가 좋아요", "{timeSlot}로 해 줘")),
    DialogSlot("SetDeliveryAddressIntent", "addressLabel",
               ("집과 회사 중 어디로 보내 드릴까요?", "배송지는 집인가요, 회사인가요?"),
               ("{addressLabel}", "{addressLabel}요", "{addressLabel}로", "{addressLabel}로 보내 줘")),
    DialogSlot("SetPaymentMethodIntent", "paymentLabel",
               ("어떤 카드로 결제할까요?", "결제 수단을 말씀해 주세요. 예를 들면 비자 카드요."),
               ("{paymentLabel}", "{paymentLabel}요", "{paymentLabel}로", "{paymentLabel} 카드요")),
    DialogSlot("ProvideVoiceCodeIntent", "voiceCode",
               ("네 자리 음성 코드를 말씀해 주세요.", "음성 코드가 무엇인가요?"),
               ("{voiceCode}", "{voiceCode}요", "코드는 {voiceCode}요")),
)

PROMPTS: dict[tuple[str, str], str] = {(d.intent, d.slot): f"Elicit.Slot.{d.intent}.{d.slot}" for d in DIALOG}
