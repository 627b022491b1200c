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


def test_control_errors_name_every_place_and_never_fail():
    from shared.text import CONTROL_MESSAGE, control_errors

    assert control_errors({"a": "第一行\n第二行\t", "b": ["好"]}) == {}
    assert control_errors({"a": "x\x00", "b": ["ok", "\x85"], "c": {"d": "\x7f"}}) == {
        "a": [CONTROL_MESSAGE], "b": {1: [CONTROL_MESSAGE]}, "c": {"d": [CONTROL_MESSAGE]}}
    # A refused key whose value is refused too (found by schemathesis).
    assert control_errors({"k\x00": {"v": "\x00"}, "l": [{"m\x01": "\x02"}]}) == {
        "k\x00": [CONTROL_MESSAGE], "l": {0: {"m\x01": [CONTROL_MESSAGE]}}}
    assert control_errors("\x00") == {"_schema": [CONTROL_MESSAGE]}
