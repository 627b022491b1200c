"""A default install signs its public draw log (outside finding 1).

`flask setup` with no ``SUICHA_LOG_SIGNING_KEY`` creates a key file in the
instance folder (mode 0600, never overwritten), the app signs every tree head
with it, and the public key is published at ``/public/log/head.json`` – so a
citizen's check of a correct draw can say 一致.  Production reads only the
key the operator set.
"""

from __future__ import annotations

import stat

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from server import create_app
from server.config import TestConfig
from server.extensions import db
from server.production import production_config
from server.services.draw.beacons import LOCAL
from server.services.draw.freeze import freeze_task
from tests.server.services.test_draws_world import make_task, make_world


def _app(tmp_path, **extra):
    config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    config |= {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fresh.db'}",
               "EVIDENCE_DIR": str(tmp_path / "evidence"), "LOG_SIGNING_KEY": "",
               "LOG_SIGNING_KEY_FILE": str(tmp_path / "instance" / "log-signing.key"), **extra}
    return create_app(config)


def test_setup_creates_a_private_key_file_and_the_log_is_signed(tmp_path):
    app = _app(tmp_path)
    key_file = tmp_path / "instance" / "log-signing.key"
    out = app.test_cli_runner().invoke(args=["setup", "--no-demo"])
    assert out.exit_code == 0, out.output
    assert "已生成公开日志签名密钥" in out.output
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(bytes.fromhex(key_file.read_text().strip())) == 32
    # A second `make run` keeps the key: heads signed before stay verifiable.
    first = key_file.read_bytes()
    again = app.test_cli_runner().invoke(args=["setup", "--no-demo"])
    assert again.exit_code == 0 and "已生成" not in again.output
    assert key_file.read_bytes() == first
    with app.app_context():
        make_task(make_world(12).plan, "T1", ratio="50%")
        freeze_task("T1", "tester", source=LOCAL, demo=True)
        db.session.remove()
    head = app.test_client().get("/public/log/head.json").get_json()
    key = head["key"]
    assert key is not None and head["head"]["signature"], head
    assert head["head"]["key_id"] == key["key_id"]
    Ed25519PublicKey.from_public_bytes(bytes.fromhex(key["public_key"])).verify(
        bytes.fromhex(head["head"]["signature"]), head["head"]["signed"].encode())
    with app.app_context():
        db.engine.dispose()


def test_a_configured_key_wins_and_no_file_is_written(tmp_path):
    app = _app(tmp_path, LOG_SIGNING_KEY="11" * 32)
    out = app.test_cli_runner().invoke(args=["setup", "--no-demo"])
    assert out.exit_code == 0, out.output
    assert not (tmp_path / "instance" / "log-signing.key").exists()
    head = app.test_client().get("/public/log/head.json").get_json()
    assert head["key"]["public_key"]  # the configured key, published
    with app.app_context():
        db.engine.dispose()


def test_production_uses_only_the_key_the_operator_set():
    env = {"SECRET_KEY": "x" * 40, "DATABASE_URL": "postgresql://u:p@db/suicha"}
    assert production_config(env)["LOG_SIGNING_KEY_FILE"] == ""
    assert production_config(env | {"SUICHA_LOG_SIGNING_KEY": "ab" * 32}
                             )["LOG_SIGNING_KEY"] == "ab" * 32
