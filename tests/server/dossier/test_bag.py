"""BagIt export and the verifier: any changed, missing or extra file is named."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import bagit
import pytest

from server.dossier import export_bag, verify_bag
from tests.server.dossier import cases

METADATA = {
    "Source-Organization": "承德市应急管理局",
    "External-Identifier": "承应急档〔2024〕检-0012",
    "External-Description": "一案一卷：承德市双桥区示例化工有限公司安全生产监督检查",
}

# Every file of the exported bag, payload and tag files alike.
ALL_FILES = [
    "data/dossier.pdf",
    "data/originals/IMG_0001.jpg",
    "data/originals/IMG_0002.jpg",
    "data/record.json",
    "data/trail.json",
    "bagit.txt",
    "bag-info.txt",
    "manifest-sha256.txt",
    "tagmanifest-sha256.txt",
]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("src")
    photo = src / "IMG_0002.jpg"
    photo.write_bytes(cases.synthetic_jpeg(2, 300))
    record = {"enterprise": "承德市双桥区示例化工有限公司", "items": [{"result": "不符合"}]}
    trail = [{"who": "张明", "when": "2024-03-12T09:31:00+08:00", "what": "开始检查"}]
    files = {
        "dossier.pdf": cases.simple_pdf("现场检查记录", "（承）应急检记〔2024〕12号", "正文"),
        "originals/IMG_0001.jpg": cases.synthetic_jpeg(1, 300),
        "originals/IMG_0002.jpg": photo,  # a path: copied
        "record.json": json.dumps(record, ensure_ascii=False).encode(),
        "trail.json": json.dumps(trail, ensure_ascii=False).encode(),
    }
    return export_bag(tmp_path_factory.mktemp("bags") / "case-0012", files, METADATA)


@pytest.fixture
def bag(pristine: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "bag"
    shutil.copytree(pristine, copy)
    return copy


def test_exported_bag_is_valid(pristine: Path) -> None:
    assert verify_bag(pristine) == (True, [])
    assert sorted(p.relative_to(pristine).as_posix() for p in pristine.rglob("*")
                  if p.is_file()) == sorted(ALL_FILES)  # fmt: skip
    reference = bagit.Bag(str(pristine))
    assert reference.is_valid()
    assert reference.algorithms == ["sha256"]
    assert reference.info["External-Identifier"] == METADATA["External-Identifier"]
    assert reference.info["Payload-Oxum"].endswith(".5")


@pytest.mark.parametrize("name", ALL_FILES)
def test_one_changed_byte_is_detected_and_named(bag: Path, name: str) -> None:
    path = bag / name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    ok, problems = verify_bag(bag)
    assert not ok
    assert any(name in p for p in problems), problems


@pytest.mark.parametrize("name", ["data/record.json", "data/originals/IMG_0001.jpg"])
def test_missing_file_is_named(bag: Path, name: str) -> None:
    (bag / name).unlink()
    ok, problems = verify_bag(bag)
    assert not ok
    assert f"文件缺失：{name}（manifest-sha256.txt 中有记录）" in problems


@pytest.mark.parametrize("name", ["data/extra.txt", "data/originals/IMG_9999.jpg", "notes.txt"])
def test_extra_file_is_named(bag: Path, name: str) -> None:
    (bag / name).write_bytes(b"not part of the archived case")
    ok, problems = verify_bag(bag)
    assert not ok
    assert f"多出未登记的文件：{name}" in problems


def test_changed_content_message_is_chinese(bag: Path) -> None:
    (bag / "data/trail.json").write_text("[]", encoding="utf-8")
    ok, problems = verify_bag(bag)
    assert not ok
    assert problems[0].startswith("文件内容已被改动：data/trail.json")


def test_not_a_bag(tmp_path: Path) -> None:
    ok, problems = verify_bag(tmp_path)
    assert not ok
    assert "缺少 bagit.txt（不是 BagIt 包或已损坏）" in problems
    assert verify_bag(tmp_path / "nope") == (False, [f"目录不存在：{tmp_path / 'nope'}"])


@pytest.mark.parametrize("name", ["../escape.txt", "/etc/passwd", "a//b", "a\\b", "", "./x"])
def test_export_rejects_unsafe_paths(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError, match="包内路径不合法"):
        export_bag(tmp_path / "bag", {name: b"x"})


def test_export_refuses_non_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "old.txt").write_text("x")
    with pytest.raises(FileExistsError, match="导出目录不为空"):
        export_bag(tmp_path, {"a.txt": b"x"})


def test_export_rejects_case_insensitive_duplicates(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="重复"):
        export_bag(tmp_path / "bag", {"A.jpg": b"1", "a.jpg": b"2"})
