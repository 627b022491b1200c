"""The Android-only parts that can be checked here: the build hook that declares the
camera's FileProvider, and the app's handling of camera results and runtime
permissions (p4a's ``android.permissions`` exists on a device only; a stand-in with
its interface plays the device)."""

from __future__ import annotations

import sys
import types
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from mobile.platform import camera, permissions
from p4a import hook

ROOT = Path(__file__).resolve().parents[3]
ANDROID = "{http://schemas.android.com/apk/res/android}"
# the shape of the manifest p4a's sdl2 bootstrap renders (abridged)
MANIFEST = """<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android"
      package="cn.gov.yjgl.suicha"
      android:versionCode="10010" android:versionName="0.1.0">
    <uses-permission android:name="android.permission.CAMERA" />
    <application android:label="@string/app_name" android:allowBackup="false">
        <activity android:name="org.kivy.android.PythonActivity" android:exported="true">
        </activity>
    </application>
</manifest>
"""


def test_hook_declares_the_file_provider_once(tmp_path: Path) -> None:
    manifest = tmp_path / hook.MANIFEST
    manifest.parent.mkdir(parents=True)
    manifest.write_text(MANIFEST, encoding="utf-8")
    hook.after_apk_build(None, dist_dir=tmp_path)
    hook.after_apk_build(None, dist_dir=tmp_path)  # p4a may run hooks again: still one
    app = ET.parse(manifest).getroot().find("application")
    (provider,) = app.findall("provider")
    assert provider.get(f"{ANDROID}name") == "androidx.core.content.FileProvider"
    assert provider.get(f"{ANDROID}authorities") == "cn.gov.yjgl.suicha" + camera.PROVIDER_SUFFIX
    assert provider.get(f"{ANDROID}exported") == "false"
    assert provider.get(f"{ANDROID}grantUriPermissions") == "true"
    meta = provider.find("meta-data")
    assert meta.get(f"{ANDROID}resource") == "@xml/file_paths"


def test_hook_refuses_a_manifest_it_does_not_understand(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="application"):
        hook.with_provider("<manifest package='x'></manifest>")
    with pytest.raises(RuntimeError, match="no AndroidManifest.xml"):
        hook.after_apk_build(None, dist_dir=tmp_path)


def test_provider_shares_only_the_captures_folder_the_store_uses(tmp_path: Path) -> None:
    from mobile.core.store import Store

    paths = ET.parse(ROOT / "p4a" / "res" / "xml" / "file_paths.xml").getroot()
    (shared,) = list(paths)
    assert shared.tag == "files-path"  # getFilesDir(), what p4a's app_storage_path() is
    store = Store(tmp_path / "suicha")  # storage.data_dir(): app_storage_path() / "suicha"
    assert shared.get("path") == f"suicha/{store.captures_dir.name}/"
    store.close()
    spec = (ROOT / "buildozer.spec").read_text(encoding="utf-8")
    for line in ("p4a.hook = p4a/hook.py", "android.res_xml = p4a/res/xml/file_paths.xml",
                 "android.enable_androidx = True", "androidx.core:core:"):  # fmt: skip
        assert line in spec


def test_capture_counts_only_when_confirmed_and_written(tmp_path: Path) -> None:
    shot = tmp_path / "a.jpg"
    shot.write_bytes(b"\xff\xd8 photo")
    assert camera.captured(shot, True) == shot
    assert camera.captured(shot, False) is None and not shot.exists()  # cancelled
    shot.write_bytes(b"")  # the camera app created the file, then was cancelled
    assert camera.captured(shot, True) is None and not shot.exists()
    assert camera.captured(tmp_path / "never.jpg", True) is None


@pytest.fixture
def device(monkeypatch):
    """p4a's android.permissions on an Android 13 tablet, with a user who answers as
    told."""
    state: dict = {"granted": set(), "answer": {}, "asked": []}
    module = types.ModuleType("android.permissions")
    module.check_permission = lambda p: p.removeprefix(permissions.PREFIX) in state["granted"]

    def request_permissions(perms, callback):
        names = [p.removeprefix(permissions.PREFIX) for p in perms]
        state["asked"].append(names)
        callback(perms, [state["answer"].get(name, False) for name in names])

    module.request_permissions = request_permissions
    monkeypatch.setitem(sys.modules, "android", types.ModuleType("android"))
    monkeypatch.setitem(sys.modules, "android.permissions", module)
    monkeypatch.setenv("ANDROID_ARGUMENT", "1")
    monkeypatch.setattr(permissions, "sdk_int", lambda: 33)
    return state


def test_permissions_not_granted_are_asked_for_once(device) -> None:
    device["granted"] = {"RECORD_AUDIO"}
    device["answer"] = {"CAMERA": True, "ACCESS_FINE_LOCATION": True, "READ_MEDIA_IMAGES": True}
    answers = []
    assert permissions.request(answers.append) is True
    assert device["asked"] == [
        ["CAMERA", "ACCESS_FINE_LOCATION", "ACCESS_COARSE_LOCATION", "READ_MEDIA_IMAGES"]
    ]
    assert answers == [{"CAMERA": True, "RECORD_AUDIO": True, "ACCESS_FINE_LOCATION": True,
                        "ACCESS_COARSE_LOCATION": False, "READ_MEDIA_IMAGES": True}]  # fmt: skip
    device["granted"] = set(permissions.needed())
    assert permissions.request(answers.append) is True
    assert len(device["asked"]) == 1 and all(answers[-1].values())  # nothing asked again


def test_sd_card_photos_need_the_permission_of_the_device_s_android(device, monkeypatch) -> None:
    assert "READ_MEDIA_IMAGES" in permissions.needed()
    monkeypatch.setattr(permissions, "sdk_int", lambda: 30)  # Android 11
    assert "READ_EXTERNAL_STORAGE" in permissions.needed()
    assert "READ_MEDIA_IMAGES" not in permissions.needed()
    spec = (ROOT / "buildozer.spec").read_text(encoding="utf-8")
    declared = next(line for line in spec.splitlines() if line.startswith("android.permissions"))
    for name in (*permissions.BASE, "READ_MEDIA_IMAGES"):
        assert name in declared
    assert "(name=android.permission.READ_EXTERNAL_STORAGE;maxSdkVersion=32)" in declared


def test_no_camera_without_the_camera_permission(device, tmp_path: Path) -> None:
    device["granted"] = {"ACCESS_FINE_LOCATION"}
    assert permissions.granted("CAMERA") is False
    assert camera.take_photo(tmp_path / "c.jpg", lambda p: None) is False


def test_nothing_to_ask_on_a_desktop(monkeypatch) -> None:
    monkeypatch.delenv("ANDROID_ARGUMENT", raising=False)
    assert permissions.request(lambda g: None) is False
    assert permissions.granted("CAMERA") is True


class FakeRecorder:
    """plyer's audio facade, as a device's MediaRecorder behaves."""

    def __init__(
        self, fail_start: bool = False, writes: bytes = b"\x00\x00\x00\x18ftyp3gp4"
    ) -> None:
        self.file_path, self.fail_start, self.writes = "", fail_start, writes

    def start(self) -> None:
        if self.fail_start:
            raise RuntimeError("JavaException: start failed (microphone in use)")
        Path(self.file_path).write_bytes(b"")

    def stop(self) -> None:
        Path(self.file_path).write_bytes(self.writes)


@pytest.mark.parametrize(
    ("recorder", "kept"),
    [(FakeRecorder(), True), (FakeRecorder(writes=b""), False), (FakeRecorder(True), None)],
)
def test_audio_note_recorded_on_a_device(device, monkeypatch, tmp_path, recorder, kept) -> None:
    from mobile.platform import audio

    monkeypatch.setitem(sys.modules, "plyer", types.SimpleNamespace(audio=recorder))
    rec = audio.AudioRecorder()
    target = tmp_path / "note.m4a"
    started = rec.start(target)
    assert started is (kept is not None)  # a failing microphone is "cannot record", no crash
    got = rec.stop()
    assert got == (target if kept else None)
    assert rec.stop() is None  # stopping twice is harmless
