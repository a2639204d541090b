"""Protection of public forms without any outside service: a signed arithmetic question in words
(Thai, or English for a reader who chose it; single use, 30 minutes), a honeypot field, and a
per-address rate limit kept in the cache.

The token is signed, not encrypted, so it carries only a keyed hash of the answer: a bot reading
the token learns nothing without the server's SECRET_KEY. A token is spent by its first check,
right or wrong, so answers cannot be guessed one after another against the same question.
The cache must be shared by every web process (Redis or the database cache), as for sign-in.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass

from django.core import signing
from django.core.cache import cache
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from pythainlp.util import num_to_thaiword, thaiword_to_num

from krabuan.core.errors import ApplicationError, field_error
from krabuan.core.thai import normalize_text, to_arabic_digits

TOKEN_FIELD = "challenge_token"  # noqa: S105 (a form field name, not a secret)
ANSWER_FIELD = "challenge_answer"
HONEYPOT_FIELD = "website"
MAX_AGE_SECONDS = 30 * 60
_SALT = "krabuan.privacy.challenge"
_USED_PREFIX = "krabuan:challenge-used"
_RATE_PREFIX = "krabuan:rate"


@dataclass(frozen=True)
class Challenge:
    """A question to show and the token to send back with the answer."""

    question: str
    token: str


def _digest(nonce: str, answer: int) -> str:
    return salted_hmac(_SALT, f"{nonce}:{answer}").hexdigest()


_ENGLISH_NUMBERS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
).split()
_OPERATORS = {
    "th": {"plus": "บวก", "minus": "ลบ", "times": "คูณ"},
    "en": {"plus": "plus", "minus": "minus", "times": "times"},
}


def _words(number: int, language: str) -> str:
    return _ENGLISH_NUMBERS[number] if language == "en" else num_to_thaiword(number)


def _question(rng: secrets.SystemRandom) -> tuple[str, int]:
    """A sum, a difference (never negative) or a small product, in words of the page's
    language (Thai, or English for a reader who chose it)."""
    language = "en" if (translation.get_language() or "").startswith("en") else "th"
    kind = rng.choice(("plus", "minus", "times"))
    if kind == "times":
        a, b = rng.randint(2, 9), rng.randint(2, 5)
        answer = a * b
    else:
        a, b = rng.randint(1, 20), rng.randint(1, 20)
        if kind == "minus":
            a, b = max(a, b), min(a, b)
        answer = a - b if kind == "minus" else a + b
    operator = _OPERATORS[language][kind]
    return f"{_words(a, language)} {operator} {_words(b, language)}", answer


def challenge_new() -> Challenge:
    """A fresh question and its signed, timestamped token."""
    words, answer = _question(secrets.SystemRandom())
    nonce = secrets.token_urlsafe(12)
    token = signing.dumps({"n": nonce, "h": _digest(nonce, answer)}, salt=_SALT, compress=True)
    question = _("%(words)s เท่ากับเท่าใด (ตอบเป็นตัวเลขไทยหรืออารบิก)") % {"words": words}
    return Challenge(question=question, token=token)


def _parse_answer(answer: str) -> int | None:
    text = normalize_text(answer).replace(" ", "")
    digits = to_arabic_digits(text)
    if digits.isascii() and digits.lstrip("-").isdigit() and len(digits) <= 4:
        return int(digits)
    if text.lower() in _ENGLISH_NUMBERS:  # "eight"
        return _ENGLISH_NUMBERS.index(text.lower())
    try:  # "สิบเจ็ด" is an answer too
        return int(thaiword_to_num(text)) if text else None
    except (ValueError, TypeError):
        return None


def _spend(token: str) -> bool:
    """Mark a token used; False when it had been used already (cache.add is atomic)."""
    key = f"{_USED_PREFIX}:{hashlib.sha256(token.encode()).hexdigest()}"
    return bool(cache.add(key, 1, timeout=MAX_AGE_SECONDS + 60))


def challenge_check(token: str, answer: str) -> None:
    """Accept a correct answer to an unexpired, unused question; ApplicationError otherwise."""
    if not isinstance(token, str) or not token or len(token) > 500:
        raise field_error(ANSWER_FIELD, _("คำถามยืนยันตัวตนไม่ถูกต้อง กรุณาตอบคำถามใหม่"))
    try:
        payload = signing.loads(token, salt=_SALT, max_age=MAX_AGE_SECONDS)
    except signing.SignatureExpired:
        raise field_error(
            ANSWER_FIELD, _("คำถามยืนยันหมดอายุ (เกิน 30 นาที) กรุณาตอบคำถามใหม่"), code="expired"
        ) from None
    except signing.BadSignature:
        raise field_error(ANSWER_FIELD, _("คำถามยืนยันตัวตนไม่ถูกต้อง กรุณาตอบคำถามใหม่")) from None
    if not isinstance(payload, dict) or not {"n", "h"} <= set(payload):
        raise field_error(ANSWER_FIELD, _("คำถามยืนยันตัวตนไม่ถูกต้อง กรุณาตอบคำถามใหม่"))
    if not _spend(token):
        raise field_error(ANSWER_FIELD, _("คำถามนี้ถูกใช้แล้ว กรุณาตอบคำถามใหม่"), code="used")
    value = _parse_answer(answer if isinstance(answer, str) else str(answer or ""))
    if value is None:
        raise field_error(ANSWER_FIELD, _("กรุณาตอบคำถามยืนยันเป็นตัวเลข"), code="required")
    if not constant_time_compare(_digest(str(payload["n"]), value), str(payload["h"])):
        raise field_error(ANSWER_FIELD, _("คำตอบคำถามยืนยันไม่ถูกต้อง กรุณาตอบคำถามใหม่"), code="wrong")


def honeypot_check(value: str | None) -> None:
    """A field people never see: anything in it was typed by a bot."""
    if value:
        raise field_error(HONEYPOT_FIELD, _("ช่องนี้ต้องเว้นว่าง"), code="honeypot")


# --- rate limit (a sliding window of timestamps per scope and address) ------------------------


def _rate_key(scope: str, ident: str) -> str:
    digest = hashlib.sha256(ident.encode("utf-8")).hexdigest()
    return f"{_RATE_PREFIX}:{scope}:{digest}"


def _recent(key: str, now: float, window: int) -> list[float]:
    stamps = cache.get(key) or []
    return [s for s in stamps if now - s < window]


def rate_limit_check(*, scope: str, ident: str | None, limit: int, window: int) -> None:
    """Refuse (429) when `ident` already used `limit` submissions within `window` seconds."""
    stamps = _recent(_rate_key(scope, ident or "unknown"), time.time(), window)
    if len(stamps) >= limit:
        wait = int(min(stamps) + window - time.time()) + 1
        minutes = max(1, -(-wait // 60))
        raise ApplicationError(
            _(
                "ส่งได้ไม่เกิน %(limit)s ครั้งภายใน %(window)s นาทีจากเครื่องเดียวกัน "
                "กรุณาลองใหม่ในอีก %(minutes)s นาที"
            )
            % {"limit": limit, "window": window // 60, "minutes": minutes},
            code="rate_limited",
            status=429,
        )


def rate_limit_record(*, scope: str, ident: str | None, window: int) -> None:
    """Count one accepted submission for `ident`."""
    key = _rate_key(scope, ident or "unknown")
    now = time.time()
    cache.set(key, [*_recent(key, now, window), now], timeout=window)
