"""Must-show 3: every Chinese string on every screen renders – no tofu boxes.

The app is started on a tablet store holding a task and a filled-in record, and
shown every screen; for each text on each screen the driver reports the font
file Kivy draws it with. Every one must be the CJK font the app registered, and
that font must have a glyph for every character shown.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mobile.core import account
from mobile.core.records import Inspections
from mobile.core.store import Store
from mobile.platform import fonts
from tests.mobile.core.conftest import FakeClock, fill_record, make_package
from tests.mobile.ui.conftest import AppRunner
from tests.mobile.ui.fonts import missing_glyphs
from tests.mobile.ui.scenarios import SCREEN_NAMES

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def tablet_with_a_record(data_dir: Path, tmp: Path) -> None:
    """A store as after enrolment, a pull and a filled-in (not yet finished) record."""
    store = Store(data_dir, clock=FakeClock())  # the record was made in March 2024
    store.save_session(
        server_url="http://127.0.0.1:9",
        username="zhangsan",
        token="t",
        role="inspector",
        inspector={"cert_no": "13080020001", "name": "张三"},
    )
    account.set_pin(store, "2468")
    unannounced = make_package("V-2024-002")
    unannounced["task"]["unannounced"] = True
    unannounced["history"] = {
        "previous_results": [{"date": "2023-05-10", "outcome": "发现问题已责令改正"}],
        "open_hazards": [{"description": "消防通道堆放杂物", "deadline": "2024-02-01"}],
    }
    store.apply_pull([make_package(), unannounced], [], "c1")
    spec = fonts.find_cjk_font()
    fill_record(Inspections(store, font=(str(spec.path), spec.index)), tmp)
    store.close()


@pytest.mark.ui
@pytest.mark.parametrize("window", ["1280x800", "800x1280"], ids=["landscape", "portrait"])
def test_every_text_on_every_screen_has_its_glyphs(
    app_runner: AppRunner, tmp_path: Path, window: str
) -> None:
    tablet_with_a_record(app_runner.data_dir, tmp_path)
    result = app_runner.run(
        "tour", visit_id="V-2024-001", window=window, portrait=window == "800x1280"
    )
    labels = result["labels"]
    assert {*SCREEN_NAMES, "start-enroll"} <= set(labels)  # opened on the PIN screen
    shown = [lab for screen in labels.values() for lab in screen]
    cjk = [lab for lab in shown if any("\u4e00" <= ch <= "\u9fff" for ch in lab["text"])]
    assert len(cjk) > 150  # the tour really saw the screens' Chinese text
    font_files = {lab["font"] for lab in shown}
    assert len(font_files) == 1, font_files  # every label, button and input: one font
    font = font_files.pop()
    assert Path(font).is_file() and font.endswith((".ttc", ".ttf", ".otf"))
    problems = {
        (screen, lab["text"][:40]): missing_glyphs(font, lab["text"])
        for screen, screen_labels in labels.items()
        for lab in screen_labels
    }
    assert {k: v for k, v in problems.items() if v} == {}


def test_the_glyph_check_finds_tofu() -> None:
    """The check above can fail: a Latin-only font has no 随 or 查."""
    if not DEJAVU.is_file():
        pytest.skip("DejaVu Sans not installed")
    assert missing_glyphs(str(DEJAVU), "随查 OK") == {"随", "查"}
    cjk = fonts.find_cjk_font()
    assert missing_glyphs(str(cjk.path), "随查·现场检查记录（第1项）：不符合。") == set()
