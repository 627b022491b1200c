"""Must-show 2: on every screen, in both themes and both orientations, every text
is drawn at ≥ 4.5:1 against its background and a chosen answer stands ≥ 3:1
from the unchosen ones (WCAG 2.x, measured on the rendered pixels)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from tests.mobile.ui.conftest import AppRunner
from tests.mobile.ui.contrast import ratio, text_contrast
from tests.mobile.ui.scenarios import SCREEN_NAMES
from tests.mobile.ui.test_fonts import tablet_with_a_record

TEXT_MIN, ANSWER_MIN, EDGE_MIN = 4.5, 3.0, 3.0


@pytest.mark.ui
@pytest.mark.parametrize("window", ["1280x800", "800x1280"], ids=["landscape", "portrait"])
def test_every_screen_is_readable_in_both_themes(
    app_runner: AppRunner, tmp_path: Path, window: str
) -> None:
    tablet_with_a_record(app_runner.data_dir, tmp_path)
    result = app_runner.run("unlock_quietly", "contrast_tour", visit_id="V-2024-001",
                            pin="2468", window=window, portrait=window == "800x1280")  # fmt: skip
    texts = result["contrast"]
    assert set(texts) == {f"{t}/{s}" for t in ("dark", "light") for s in SCREEN_NAMES}
    measured = [m for screen in texts.values() for m in screen]
    assert len(measured) > 300  # the tour really read the screens
    low = {k: [m for m in v if m["ratio"] < TEXT_MIN] for k, v in texts.items()}
    assert {k: v for k, v in low.items() if v} == {}
    worst = min(m["ratio"] for m in measured)
    print(f"\nlowest text contrast over {len(measured)} texts ({window}): {worst:.2f}:1")
    # every text box's edge stands ≥ 3:1 from the page (WCAG 1.4.11, non-text contrast):
    # in the light theme a white PIN or search box on a white page showed no edge at all
    edges = [f | {"screen": k} for k, v in result["fields"].items() for f in v]
    assert {k.split("/")[1] for k, v in result["fields"].items() if v} >= {"enroll", "tasks"}
    assert [e for e in edges if e["ratio"] < EDGE_MIN] == []
    print(f"lowest text-box edge contrast over {len(edges)} boxes: "
          f"{min(e['ratio'] for e in edges):.2f}:1")
    for theme, values in result["answers"].items():
        assert values and min(values) >= ANSWER_MIN, (theme, values)
        print(f"chosen vs unchosen answer ({theme}): {min(values):.2f}:1 at least")


def test_the_measure_can_fail() -> None:
    """Grey on grey is caught; black on white is 21:1."""
    assert round(ratio((0, 0, 0), (255, 255, 255)), 1) == 21.0
    im = Image.new("RGB", (40, 20), (90, 90, 90))
    im.putpixel((5, 5), (120, 120, 120))
    assert text_contrast(im, (0, 0, 40, 20)) < TEXT_MIN
    assert text_contrast(Image.new("RGB", (4, 4), (9, 9, 9)), (0, 0, 4, 4)) is None
