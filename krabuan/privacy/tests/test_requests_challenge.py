"""The public-form challenge: a signed Thai arithmetic question, single use, 30 minutes."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import signing
from django.test import override_settings
from django.utils import translation
from pythainlp.util import thaiword_to_num

from krabuan.core.errors import ApplicationError
from krabuan.core.thai import to_thai_digits
from krabuan.privacy import challenge
from krabuan.privacy.tests.request_helpers import clear_cache  # noqa: F401 (autouse fixture)

_QUESTION = re.compile(r"^(\S+) (บวก|ลบ|คูณ) (\S+) เท่ากับเท่าใด")


def answer_of(question: str) -> int:
    """Work the question out as a person would."""
    match = _QUESTION.match(question)
    assert match, question
    a, op, b = thaiword_to_num(match[1]), match[2], thaiword_to_num(match[3])
    return {"บวก": a + b, "ลบ": a - b, "คูณ": a * b}[op]


def test_a_correct_answer_in_arabic_digits_passes():
    item = challenge.challenge_new()

    challenge.challenge_check(item.token, str(answer_of(item.question)))


def test_a_correct_answer_in_thai_digits_passes():
    item = challenge.challenge_new()

    challenge.challenge_check(item.token, to_thai_digits(str(answer_of(item.question))))


def test_the_token_holds_only_a_nonce_and_a_keyed_hash_of_the_answer():
    item = challenge.challenge_new()
    payload = signing.loads(item.token, salt="krabuan.privacy.challenge")
    answer = answer_of(item.question)

    assert set(payload) == {"n", "h"}
    assert payload["h"] == challenge._digest(payload["n"], answer)
    # Without the server's secret the hash cannot be worked out, so reading the token does not
    # give the answer away.
    with override_settings(SECRET_KEY="someone-else"):
        assert challenge._digest(payload["n"], answer) != payload["h"]


def test_a_wrong_answer_is_refused_naming_the_field():
    item = challenge.challenge_new()

    with pytest.raises(ApplicationError) as caught:
        challenge.challenge_check(item.token, str(answer_of(item.question) + 1))

    assert caught.value.fields == {"challenge_answer": [caught.value.message]}
    assert "ไม่ถูกต้อง" in caught.value.message


def test_a_token_is_spent_by_its_first_check_right_or_wrong():
    item = challenge.challenge_new()
    with pytest.raises(ApplicationError):
        challenge.challenge_check(item.token, "-1")

    with pytest.raises(ApplicationError) as caught:
        challenge.challenge_check(item.token, str(answer_of(item.question)))

    assert "ถูกใช้แล้ว" in caught.value.message


def test_a_token_expires_after_30_minutes():
    start = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        item = challenge.challenge_new()
    with time_machine.travel(start + dt.timedelta(minutes=31), tick=False):
        with pytest.raises(ApplicationError) as caught:
            challenge.challenge_check(item.token, str(answer_of(item.question)))

    assert "หมดอายุ" in caught.value.message


@pytest.mark.parametrize("token", ["", "garbage", "x" * 600, "other-salt"])
def test_a_forged_token_is_refused(token):
    if token == "other-salt":  # signed by this server, but for another purpose
        token = signing.dumps({"n": "a", "h": "b"}, salt="other")
    with pytest.raises(ApplicationError) as caught:
        challenge.challenge_check(token, "5")

    assert "challenge_answer" in caught.value.fields


def test_a_filled_honeypot_is_refused():
    challenge.honeypot_check("")
    with pytest.raises(ApplicationError) as caught:
        challenge.honeypot_check("http://spam.example")

    assert "website" in caught.value.fields


_ENGLISH = re.compile(r"^What is (\w+) (plus|minus|times) (\w+)\?")


def test_an_english_reader_gets_the_question_in_english_words_and_may_answer_in_words():
    numbers = challenge._ENGLISH_NUMBERS
    for _round in range(20):
        with translation.override("en"):
            item = challenge.challenge_new()
        match = _ENGLISH.match(item.question)
        assert match, item.question
        a, op, b = numbers.index(match[1]), match[2], numbers.index(match[3])
        answer = {"plus": a + b, "minus": a - b, "times": a * b}[op]
        said = numbers[answer] if answer <= 20 else str(answer)
        challenge.challenge_check(item.token, said.capitalize())
