"""A tablet's number (outside finding: two tablets both shown as 编号 TABI)."""

from shared.devices import device_number, device_numbers, matches_number

A = "f9dc3a0f-5fde-4c1e-9a51-0e0c6f1d2b11"
B = "f9dc7b10-0000-4000-8000-000000000000"
C = "0a1b2c3d-0000-4000-8000-000000000000"


def test_a_uuid_is_numbered_by_its_first_four_hex_digits():
    assert device_number(A) == "F9DC"
    assert device_numbers([A, C]) == {A: "F9DC", C: "0A1B"}


def test_tablets_sharing_four_digits_get_the_shortest_prefix_that_tells_them_apart():
    numbers = device_numbers([A, B, C])
    assert numbers == {A: "F9DC3", B: "F9DC7", C: "0A1B"}
    # the tablet (which knows only itself) shows the start of its console number
    assert all(n.startswith(device_number(d)) for d, n in numbers.items())


def test_an_id_that_is_not_a_uuid_is_shown_whole():
    assert device_numbers(["tab-insp2", "tab-insp3"]) == {
        "tab-insp2": "tab-insp2", "tab-insp3": "tab-insp3"}


def test_a_number_read_off_the_console_names_its_tablet():
    assert matches_number(A, "f9dc3") and matches_number(A, "F9DC-3A0F")
    assert not matches_number(B, "F9DC3") and not matches_number(A, "F9D")
    assert matches_number("tab-insp2", "tab-insp2") and not matches_number("tab-insp2", "TABI")
