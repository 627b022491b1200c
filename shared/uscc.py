"""统一社会信用代码 (USCC) check, GB 32100-2015.

18 characters: registration authority (1), entity type (1), region code (6,
digits: the GB/T 2260 administrative division), organisation code (9),
check character (1).  The alphabet has 31 symbols (no I, O, Z, S, V); the
check character is 31 − (Σ value·weight mod 31).

People write codes with spaces or hyphens between the parts and in lower
case; ``compact`` removes that (the same rule as python-stdnum's ``cn.uscc``,
which tests/shared/test_uscc_stdnum.py checks this module against).
"""

from __future__ import annotations

import re

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
# Separators people type between the parts: ASCII and full-width space and hyphen.
_SEPARATORS = re.compile(r"[ \-\u3000\uff0d\u2010\u2011\u2012\u2013]")
# What a spreadsheet program makes of an all-digit code it took for a number.
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$|^\d{15,18}\.0+$", re.IGNORECASE)
_WELL_FORMED = re.compile(r"[0-9]{8}[0-9A-HJ-NPQRTUWXY]{10}")
NUMERIC_CELL = ("统一社会信用代码被表格软件保存为数字，后几位已丢失（如9.1140428752917E+17），"
                "无法还原；请把该列设为“文本”格式后重新填写")


_BODY = re.compile(r"[0-9A-HJ-NPQRTUWXY]{17}")
# Each character → the base-34 digit of its value in ALPHABET ("Y" → "U", 30).
_AS_DIGIT = str.maketrans(ALPHABET, "0123456789ABCDEFGHIJKLMNOPQRSTU")


def check_character(first17: str) -> str:
    """The check character for the first 17 characters of a USCC."""
    if len(first17) != 17:
        raise ValueError("check_character needs the first 17 characters")
    if not _BODY.fullmatch(first17):
        raise ValueError(f"“{first17}”含有统一社会信用代码不用的字符")
    return _check(first17)


def _check(body: str) -> str:
    """``check_character`` of a body already matched by ``_BODY``.

    The weights are the powers of 3 modulo 31 (3⁰, 3¹ … 3¹⁶), and 34 ≡ 3
    (mod 31): the weighted sum is the reversed body read as a base-34 number,
    modulo 31 – one ``int()`` in C instead of 17 multiplications in Python
    (an import checks 100,000 codes).
    """
    return ALPHABET[-int(body[::-1].translate(_AS_DIGIT), 34) % 31]


def compact(raw: str) -> str:
    """The code without separators and surrounding blanks, upper case."""
    return _SEPARATORS.sub("", raw).strip().upper()


def uscc_error(code: str) -> str | None:
    """``None`` if *code* (already compact) is a valid USCC, else a Chinese reason."""
    if _WELL_FORMED.fullmatch(code):  # the common case, checked in one step
        expected = _check(code[:17])
        return None if code[17] == expected else f"统一社会信用代码校验位错误（应为{expected}）"
    if _SCIENTIFIC.match(code):
        return NUMERIC_CELL
    if len(code) != 18:
        return f"统一社会信用代码应为18位，实际{len(code)}位"
    bad = [c for c in code if c not in _VALUE]
    if bad:
        return f"统一社会信用代码含非法字符“{bad[0]}”"
    if not code[:8].isascii() or not code[:8].isdigit():
        return ("统一社会信用代码第1至8位应为数字（登记管理部门、机构类别和"
                "GB/T 2260行政区划代码）")
    expected = check_character(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验位错误（应为{expected}）"
    return None


def clean_uscc(raw: str) -> str:
    """The compact code, or ``ValueError`` with the Chinese reason."""
    if _WELL_FORMED.fullmatch(raw) and raw[17] == _check(raw[:17]):
        return raw  # the common case: already compact and valid
    code = compact(raw)
    err = uscc_error(code)
    if err:
        raise ValueError(err)
    return code


def is_valid_uscc(code: str) -> bool:
    """Whether *code* is valid once compacted (spaces, hyphens, case)."""
    return uscc_error(compact(code)) is None


def make_uscc(body: str) -> str:
    """Complete a 17-character body with its check character (demo data, tests)."""
    return body + check_character(body)
