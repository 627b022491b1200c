"""BagIt export of a dossier, and a verifier that trusts nothing but the bag.

A bag (RFC 8493, BagIt 1.0) is a folder: ``data/`` holds the payload
(dossier PDF, originals, record and trail JSON), ``manifest-sha256.txt`` lists
every payload file with its hash, ``bag-info.txt`` the metadata, and
``tagmanifest-sha256.txt`` the hashes of those tag files.  Anyone can check it
with any BagIt tool, without the server; the Library of Congress ``bagit``
tool validates every bag the tests export.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Mapping
from datetime import date
from pathlib import Path, PurePosixPath

import bagit

from ..localtime import bureau_today

__all__ = ["export_bag", "verify_bag"]

ALGORITHM = "sha256"
MANIFEST = f"manifest-{ALGORITHM}.txt"
TAGMANIFEST = f"tagmanifest-{ALGORITHM}.txt"
BAGIT_TXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
# A manifest line: the checksum, then one or more spaces or tabs (RFC 8493 2.1.3).
_LINE = re.compile(r"([0-9a-fA-F]+)[ \t]+(.+)")


def _safe_relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if (
        not name
        or path.is_absolute()
        or "\\" in name
        or any(part in ("", ".", "..") for part in name.split("/"))
    ):
        raise ValueError(f"包内路径不合法：{name!r}")
    return path


def export_bag(
    directory: str | os.PathLike[str],
    files: Mapping[str, bytes | str | os.PathLike[str]],
    metadata: Mapping[str, str] | None = None,
    bagging_date: date | None = None,
) -> Path:
    """Write ``files`` as a BagIt bag in ``directory`` (new or empty) and return its path.

    ``files`` maps a relative POSIX path inside ``data/`` (e.g.
    ``"originals/IMG_0001.jpg"``) to the bytes or to a file to copy.
    ``metadata`` goes to ``bag-info.txt`` (e.g. ``External-Identifier``: the
    归档号, ``Bag-Group-Identifier``: what the versions of one dossier share);
    ``Bagging-Date`` is the bureau's calendar day (``bagging_date``, default
    today in Beijing) and ``Payload-Oxum`` the payload's size and file count.
    """
    target = Path(directory)
    if target.exists() and any(target.iterdir()):
        raise FileExistsError(f"导出目录不为空：{target}")
    if not files:
        raise ValueError("没有要导出的文件")
    paths = {name: _safe_relative(name) for name in files}
    lowered = [str(p).lower() for p in paths.values()]
    if len(set(lowered)) != len(lowered):
        raise ValueError("包内路径重复（不区分大小写）")
    target.mkdir(parents=True, exist_ok=True)
    manifest, octets = [], 0
    for name, source in files.items():
        dest = target.joinpath("data", *paths[name].parts)
        dest.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(source, bytes | bytearray | memoryview):
            dest.write_bytes(bytes(source))
        else:
            shutil.copyfile(source, dest)
        manifest.append(f"{_sha256(dest)}  data/{_encode(str(paths[name]))}\n")
        octets += dest.stat().st_size
    # The tag files are written here, with absolute paths, rather than by
    # bagit.make_bag: it changes the process's working directory while it runs,
    # and a server must never do that (other requests resolve relative paths).
    day = bagging_date or bureau_today()
    info = {"Bagging-Date": day.isoformat(),
            "Payload-Oxum": f"{octets}.{len(files)}",
            **{k: str(v) for k, v in (metadata or {}).items()}}
    _write(target / MANIFEST, "".join(sorted(manifest)))
    _write(target / "bagit.txt", BAGIT_TXT)
    one_line = {k: v.replace("\r", "").replace("\n", "") for k, v in info.items()}
    _write(target / "bag-info.txt", "".join(f"{k}: {v}\n" for k, v in sorted(one_line.items())))
    _write(target / TAGMANIFEST, "".join(
        f"{_sha256(target / tag)}  {tag}\n" for tag in ("bag-info.txt", "bagit.txt", MANIFEST)))
    return target


def _write(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8"))


def _encode(name: str) -> str:
    # RFC 8493 2.1.3: CR and LF in a path are written %0D and %0A. (Not % as
    # %25: the Library of Congress bagit tool would then miss the file.)
    return name.replace("\r", "%0D").replace("\n", "%0A")


def _decode(name: str) -> str:
    # RFC 8493 2.1.3: CR, LF and % in a path are written %0D, %0A and %25.
    return re.sub("%(0A|0D|25)", lambda m: {"0A": "\n", "0D": "\r", "25": "%"}[m[1].upper()],
                  name, flags=re.I)


def _read_manifest(path: Path, problems: list[str]) -> dict[str, str]:
    entries: dict[str, str] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"无法读取清单 {path.name}：{exc}")
        return entries
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        m = _LINE.fullmatch(line.rstrip("\r"))
        digest, name = (m[1], _decode(m[2])) if m else ("", "")
        if not re.fullmatch(r"[0-9a-fA-F]{64}", digest) or not name:
            problems.append(f"清单 {path.name} 第{number}行格式错误")
            continue
        entries[name] = digest.lower()
    return entries


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def verify_bag(directory: str | os.PathLike[str]) -> tuple[bool, list[str]]:
    """Check a bag against its own manifests; return ``(ok, problems)``.

    Every problem names the file: changed content (hash differs), a file
    listed but missing, a file present but not listed (extra), and damaged
    tag files.  Never raises for a damaged bag; the messages are Chinese.
    """
    root = Path(directory)
    problems: list[str] = []
    if not root.is_dir():
        return False, [f"目录不存在：{root}"]
    if not (root / "bagit.txt").is_file():
        problems.append("缺少 bagit.txt（不是 BagIt 包或已损坏）")

    expected: dict[str, tuple[str, str]] = {}  # path -> (hash, listed in)
    for manifest in (MANIFEST, TAGMANIFEST):
        if not (root / manifest).is_file():
            problems.append(f"文件缺失：{manifest}")
            continue
        for name, digest in _read_manifest(root / manifest, problems).items():
            if manifest == MANIFEST and not name.startswith("data/"):
                problems.append(f"{MANIFEST} 中的路径不在 data/ 下：{name}")
            expected[name] = (digest, manifest)

    present = {
        p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() or p.is_symlink()
    }
    present.discard(TAGMANIFEST)  # it cannot list itself

    for name in sorted(set(expected) - present):
        problems.append(f"文件缺失：{name}（{expected[name][1]} 中有记录）")
    for name in sorted(present - set(expected)):
        problems.append(f"多出未登记的文件：{name}")
    for name in sorted(set(expected) & present):
        want, listed_in = expected[name]
        path = root / name
        if path.is_symlink():
            problems.append(f"文件为符号链接，不予信任：{name}")
            continue
        got = _sha256(path)
        if got != want:
            problems.append(
                f"文件内容已被改动：{name}（{listed_in} 记录 SHA-256 {want}，实际 {got}）"
            )

    if not problems:
        # Cross-check with the reference implementation (structure, Oxum, version).
        try:
            bagit.Bag(str(root)).validate()
        except bagit.BagError as exc:
            problems.append(f"BagIt 校验未通过：{exc}")
    return not problems, problems
