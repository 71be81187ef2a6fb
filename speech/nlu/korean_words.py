"""Korean words the NLU's shared word lists take in (they hold no English word, so the lists stay one).

`normalize` adds these to its English sets: a Hangul word never collides with an English one, so one
list serves both locales and the compiler needs no second copy of each.
"""

from __future__ import annotations

__all__ = ["KOREAN_FILLERS", "KOREAN_FUNCTION_WORDS", "KOREAN_NEUTRAL_WORDS", "KOREAN_SYNONYMS"]

KOREAN_FUNCTION_WORDS = frozenset(["한", "거", "꺼", "것", "걸", "게", "그거", "이거", "저거", "그것", "이것", "내", "제", "나",
                                   "저", "우리", "그", "이", "여기", "거기"])
"""Korean words cheap to drop or insert when aligning (pronouns, 'the thing', softeners)."""
KOREAN_NEUTRAL_WORDS = KOREAN_FUNCTION_WORDS | frozenset(["하다", "되다", "수", "때", "그럼", "그러면", "지금", "요", "말다"])
KOREAN_FILLERS = frozenset(["음", "어", "저기", "저기요", "아", "흠", "그러니까", "있잖아", "제발", "부탁", "알렉사", "좀",
                            "그냥", "혹시", "한번", "빨리", "얼른", "일단", "잠깐", "잠깐만", "이제",
                            "같이", "함께"])
"""Softeners and hesitations ('좀', '음', '저기'): they say nothing of the request and are dropped."""
KOREAN_SYNONYMS = {"카트": "장바구니", "바구니": "장바구니", "쇼핑카트": "장바구니", "빼다": "삭제", "지우다": "삭제",
                   "없애다": "삭제", "넣다": "담다", "추가": "담다", "시키다": "주문", "세일": "할인", "특가": "할인",
                   "행사": "할인", "구매": "주문", "배달": "배송", "조회": "확인", "보이다": "보다",
                   "찾아보다": "찾다", "알아보다": "찾다", "꺼": "거",
                   "들리다": "알리다", "말하다": "알리다", "딴": "다른"}
"""Everyday words read as the word the samples use, when the samples know it."""

