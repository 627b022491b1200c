import pytest

from shared.enums import CreditClass, Industry, LabeledEnum, RiskLevel, Role


def test_parse_by_code_label_and_alias():
    assert Industry.parse("coal_washing") is Industry.COAL_WASHING
    assert Industry.parse("洗选煤") is Industry.COAL_WASHING
    assert Industry.parse("洗（储）煤") is Industry.COAL_WASHING
    assert RiskLevel.parse("红色") is RiskLevel.MAJOR
    assert CreditClass.parse("c") is CreditClass.C


def test_unknown_value_lists_choices_in_chinese():
    with pytest.raises(ValueError) as err:
        Industry.parse("养猪场")
    assert "行业领域" in str(err.value) and "煤矿" in str(err.value)


@pytest.mark.parametrize("enum", LabeledEnum.__subclasses__())
def test_labels_are_unique_and_codes_are_ascii(enum):
    labels = [m.label for m in enum]
    assert len(set(labels)) == len(labels)
    assert all(m.value.isascii() for m in enum)
    assert enum.title() != enum.__name__


def test_role_is_a_plain_string():
    assert Role.ADMIN == "admin" and f"{Role.ADMIN}" == "admin"
