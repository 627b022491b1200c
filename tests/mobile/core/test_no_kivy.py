"""mobile.core and mobile.platform must import with Kivy impossible to import."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import mobile.core
import mobile.platform

ROOT = Path(__file__).resolve().parents[3]


def _modules(pkg) -> list[str]:
    return [pkg.__name__] + [f"{pkg.__name__}.{m.name}" for m in pkgutil.iter_modules(pkg.__path__)]


def test_core_imports_with_kivy_blocked() -> None:
    modules = _modules(mobile.core) + _modules(mobile.platform)
    assert "mobile.core.sync" in modules and "mobile.core.records" in modules
    script = (
        "import sys\n"
        "sys.modules['kivy'] = None\n"  # any 'import kivy…' now raises ImportError
        f"for name in {modules!r}:\n"
        "    __import__(name)\n"
        "assert not any(m == 'kivy' or m.startswith('kivy.') for m in sys.modules"
        " if sys.modules[m] is not None)\n"
        "print('ok', len(sys.argv))\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("ok")


def test_no_kivy_in_source() -> None:
    for pkg in ("core", "platform"):
        for path in (ROOT / "mobile" / pkg).rglob("*.py"):
            assert "import kivy" not in path.read_text(), path
            assert "from kivy" not in path.read_text(), path
