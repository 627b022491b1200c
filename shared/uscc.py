"""统一社会信用代码 (USCC) check, GB 32100-2015.

18 characters: registration authority (1), entity type (1), region code (6),
organisation code (9), check character (1).  The alphabet has 31 symbols
(no I, O, Z, S, V); the check character is 31 − (Σ value·weight mod 31).
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {c: i for i, c in enumerate(ALPHABET)}


def check_character(first17: str) -> str:
    """The check character for the first 17 characters of a USCC."""
    total = sum(_VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def uscc_error(code: str) -> str | None:
    """``None`` if *code* is a valid USCC, else a Chinese reason."""
    if len(code) != 18:
        return f"统一社会信用代码应为18位，实际{len(code)}位"
    bad = [c for c in code if c not in _VALUE]
    if bad:
        return f"统一社会信用代码含非法字符“{bad[0]}”"
    expected = check_character(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验位错误（应为{expected}）"
    return None


def is_valid_uscc(code: str) -> bool:
    return uscc_error(code) is None


def make_uscc(body: str) -> str:
    """Complete a 17-character body with its check character (demo data, tests)."""
    return body + check_character(body)
