"""Our USCC check agrees with python-stdnum's ``cn.uscc`` (an independent
implementation) on its documented examples and 100,000 random and mutated codes."""

from __future__ import annotations

import random
import re

import pytest
from stdnum.cn import uscc as stdnum_uscc

from shared.uscc import ALPHABET, clean_uscc, compact, is_valid_uscc, make_uscc, uscc_error


def _stdnum_examples() -> list[str]:
    # The codes in stdnum's own documentation (validate('…'), format('…')).
    return re.findall(r"(?:validate|format)\('([^']+)'\)", stdnum_uscc.__doc__)


def test_stdnum_documentation_examples():
    examples = _stdnum_examples()
    assert len(examples) >= 3
    for code in examples:
        assert is_valid_uscc(code) == stdnum_uscc.is_valid(code), code


@pytest.mark.parametrize("code, valid", [
    ("91110000600037341L", True),
    ("91 110000 600037341L", True),       # spaces between the parts
    ("91-110000-600037341L", True),       # hyphens
    ("91110000600037341l", True),         # lower case
    ("A1110000600037341L", False),        # letter as registration authority
    ("911A0000600037341L", False),        # letter in the GB/T 2260 region code
    ("9111000060003IOZSV", False),        # letters outside the alphabet
    ("91110000600037341N", False),        # wrong check character
    ("12345", False),
])
def test_corner_cases_agree(code, valid):
    assert is_valid_uscc(code) is valid
    assert stdnum_uscc.is_valid(code) is valid


def _mutations(rng: random.Random, code: str) -> str:
    how = rng.randrange(8)
    i = rng.randrange(len(code))
    if how == 0:    # one character replaced (any of the alphabet, or I/O/Z/S/V)
        return code[:i] + rng.choice(ALPHABET + "IOZSV") + code[i + 1:]
    if how == 1 and i < len(code) - 1:  # two neighbours swapped
        return code[:i] + code[i + 1] + code[i] + code[i + 2:]
    if how == 2:    # a character dropped
        return code[:i] + code[i + 1:]
    if how == 3:    # a character added
        return code[:i] + rng.choice(ALPHABET) + code[i:]
    if how == 4:    # separators
        return " ".join([code[:2], code[2:8], code[8:]]) if rng.random() < .5 else (
            code[:8] + "-" + code[8:])
    if how == 5:
        return code.lower()
    if how == 6:    # a letter somewhere in positions 1–8
        return code[:i % 8] + rng.choice("ABCDEFGHJKLMNPQRTUWXY") + code[i % 8 + 1:]
    return code


def test_100000_random_and_mutated_codes_agree_with_stdnum():
    rng = random.Random(19)
    disagreements = []
    valid = 0
    for n in range(100_000):
        if n % 2:
            # Random body: digits in 1–8 (as issued) or anything, any organisation code.
            head = "".join(rng.choice("0123456789") for _ in range(8)) if rng.random() < .8 \
                else "".join(rng.choice(ALPHABET) for _ in range(8))
            code = make_uscc(head + "".join(rng.choice(ALPHABET) for _ in range(9)))
        else:
            code = "".join(rng.choice(ALPHABET) for _ in range(18))
        code = _mutations(rng, code) if rng.random() < .7 else code
        ours, theirs = is_valid_uscc(code), stdnum_uscc.is_valid(code)
        valid += ours
        if ours != theirs:
            disagreements.append(code)
    assert disagreements == []
    assert 20_000 < valid < 60_000  # both outcomes well represented


def test_compact_form_is_what_gets_stored():
    assert clean_uscc(" 91-110000-600037341l ") == "91110000600037341L"
    assert compact("91 110000 600037341L") == stdnum_uscc.compact("91 110000 600037341L")


def test_reasons_are_chinese_and_name_the_fault():
    assert "第1至8位应为数字" in uscc_error("911A0000600037341L")
    assert "数字" in uscc_error("9.1140428752917E+17") and "文本" in uscc_error(
        "9.1140428752917E+17")
