"""Invisible characters are removed from names on input (shared/text.py)."""

from shared.text import clean_name, has_invisible, strip_invisible


def test_bidi_and_zero_width_controls_are_removed():
    raw = "\u202e长子县\u200b丹朱\u2066加油站\u2069\ufeff"
    assert has_invisible(raw)
    assert clean_name(raw) == "长子县丹朱加油站"
    assert not has_invisible(clean_name(raw))


def test_blanks_collapse_in_names_but_line_breaks_survive_in_cells():
    assert clean_name("  甲　公司 \n 有限 ") == "甲 公司 有限"
    assert strip_invisible("第一行\u200d\n第二行") == "第一行\n第二行"


def test_composed_and_decomposed_spellings_become_one():
    assert clean_name("Cafe\u0301") == clean_name("Café") == "Café"


def test_every_format_character_is_removed_as_the_unicode_tables_say():
    # The fast path (one regular-expression search) against the definition,
    # over every code point of every plane: drop exactly the characters of
    # category Cf.
    import sys
    import unicodedata

    from shared.text import _format_characters

    every = [chr(c) for c in range(sys.maxunicode + 1)]
    kept = "".join(ch for ch in every if unicodedata.category(ch) != "Cf")
    assert _format_characters().sub("", "".join(every)) == kept
    cf = [ch for ch in every if unicodedata.category(ch) == "Cf"]
    assert "\u00ad" in cf and "\U000e0001" in cf
    for ch in cf:
        assert strip_invisible(f"甲{ch}乙") == "甲乙", hex(ord(ch))
        assert has_invisible(f"甲{ch}")
    assert strip_invisible("长子县丹朱镇") == "长子县丹朱镇"
    assert not has_invisible("长子县丹朱镇 A-1")


def test_control_errors_name_every_place_and_never_fail():
    from shared.text import CONTROL_MESSAGE, control_errors

    assert control_errors({"a": "第一行\n第二行\t", "b": ["好"]}) == {}
    assert control_errors({"a": "x\x00", "b": ["ok", "\x85"], "c": {"d": "\x7f"}}) == {
        "a": [CONTROL_MESSAGE], "b": {1: [CONTROL_MESSAGE]}, "c": {"d": [CONTROL_MESSAGE]}}
    # A refused key whose value is refused too (found by schemathesis).
    assert control_errors({"k\x00": {"v": "\x00"}, "l": [{"m\x01": "\x02"}]}) == {
        "k\x00": [CONTROL_MESSAGE], "l": {0: {"m\x01": [CONTROL_MESSAGE]}}}
    assert control_errors("\x00") == {"_schema": [CONTROL_MESSAGE]}
