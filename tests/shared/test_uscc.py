import pytest

from shared.uscc import ALPHABET, check_character, is_valid_uscc, make_uscc, uscc_error


@pytest.mark.parametrize("code", [
    "91350100M000100Y43",   # published GB 32100-2015 example
    "91110000600037341L",
    "911100001000044477",
])
def test_known_valid_codes(code):
    assert uscc_error(code) is None


@pytest.mark.parametrize("code, fragment", [
    ("91350100M000100Y44", "校验位错误"),
    ("91350100M000100Y4", "应为18位"),
    ("91350100M00O100Y43", "非法字符"),   # letter O is not in the alphabet
    ("91350100m000100y43", "非法字符"),
])
def test_invalid_codes_say_why(code, fragment):
    assert fragment in uscc_error(code)


def test_every_wrong_check_character_is_refused():
    body = "91140428MA0K12345"
    good = make_uscc(body)
    assert is_valid_uscc(good)
    wrong = [body + c for c in ALPHABET if c != good[-1]]
    assert len(wrong) == 30 and not any(is_valid_uscc(w) for w in wrong)


def test_check_character_formula():
    # 31 - (sum mod 31), with 31 mapping to '0'
    body = "91350100M000100Y4"
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    total = sum(ALPHABET.index(c) * w for c, w in zip(body, weights, strict=True))
    assert check_character(body) == ALPHABET[(31 - total % 31) % 31] == "3"


def test_the_weights_are_the_powers_of_three_the_fast_check_relies_on():
    from shared.uscc import WEIGHTS

    assert WEIGHTS == tuple(pow(3, k, 31) for k in range(17))
    assert 34 % 31 == 3
