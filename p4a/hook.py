"""python-for-android build hook: declare the FileProvider the camera needs.

The camera app is another app; it can only write the photo into our private storage
through a ``content://`` URI from a FileProvider (``mobile/platform/camera.py``).
Buildozer has no option for a ``<provider>`` element inside ``<application>``, so
this hook adds it to the AndroidManifest.xml that p4a renders between
``before_apk_build`` and ``after_apk_build``, before Gradle assembles the APK. The
paths it may share are ``p4a/res/xml/file_paths.xml`` (``android.res_xml``);
the class comes from AndroidX core (``android.gradle_dependencies``).

Wired in buildozer.spec as ``p4a.hook = p4a/hook.py``; p4a runs it in the
distribution's directory.
"""

from __future__ import annotations

from pathlib import Path

MANIFEST = Path("src") / "main" / "AndroidManifest.xml"
PROVIDER = """        <provider
            android:name="androidx.core.content.FileProvider"
            android:authorities="{package}.fileprovider"
            android:exported="false"
            android:grantUriPermissions="true">
            <meta-data
                android:name="android.support.FILE_PROVIDER_PATHS"
                android:resource="@xml/file_paths" />
        </provider>
"""


def package_name(manifest: str) -> str:
    start = manifest.index('package="') + len('package="')
    return manifest[start : manifest.index('"', start)]


def with_provider(manifest: str, package: str | None = None) -> str:
    """*manifest* with the FileProvider inside ``<application>`` (once)."""
    if "androidx.core.content.FileProvider" in manifest:
        return manifest
    if manifest.count("</application>") != 1:
        raise RuntimeError("AndroidManifest.xml: expected one </application> element")
    provider = PROVIDER.format(package=package or package_name(manifest))
    return manifest.replace("</application>", provider + "    </application>")


def after_apk_build(toolchain: object = None, dist_dir: Path | None = None) -> None:
    manifest = Path(dist_dir or Path.cwd()) / MANIFEST
    if not manifest.is_file():
        raise RuntimeError(f"p4a hook: no AndroidManifest.xml at {manifest}")
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(with_provider(text), encoding="utf-8")
    print(f"[suicha hook] FileProvider declared in {manifest}", flush=True)
