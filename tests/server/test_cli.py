"""The CLI commands of the foundation."""

import sqlalchemy as sa

from server.extensions import db
from server.models import Enterprise, User
from shared.uscc import make_uscc


def test_registry_import_and_export_commands(runner, ctx, tmp_path):
    good = tmp_path / "e.csv"
    good.write_text("单位名称,统一社会信用代码,行业领域\n"
                    f"甲公司,{make_uscc('91140428MA0000001')},煤矿\n", encoding="utf-8")
    result = runner.invoke(args=["registry", "import", "enterprises", str(good)], input="n\n")
    assert result.exit_code == 0 and "将新增1条" in result.output and "已取消" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Enterprise.id))) == 0
    result = runner.invoke(args=["registry", "import", "enterprises", str(good)], input="y\n")
    assert result.exit_code == 0 and "导入完成：新增1条" in result.output
    out = tmp_path / "out.xlsx"
    result = runner.invoke(args=["registry", "export", "enterprises", str(out)])
    assert result.exit_code == 0 and out.read_bytes().startswith(b"PK")

    bad = tmp_path / "bad.csv"
    bad.write_text("单位名称,统一社会信用代码,行业领域\n乙公司,123,煤矿\n", encoding="utf-8")
    result = runner.invoke(args=["registry", "import", "enterprises", str(bad), "--yes"])
    assert result.exit_code == 1
    assert "第2行: B列“统一社会信用代码”：统一社会信用代码应为18位" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Enterprise.id))) == 1


def test_user_create_command(runner, ctx):
    from tests.server.factories import make_inspector
    cert = make_inspector().cert_no
    ok = runner.invoke(args=["user", "create", "zhang", "--role", "inspector",
                             "--password", "longenough9", "--inspector", cert])
    assert ok.exit_code == 0, ok.output
    user = db.session.execute(sa.select(User).filter_by(username="zhang")).scalar_one()
    assert user.inspector.cert_no == cert and user.check_password("longenough9")
    assert user.password_hash != "longenough9"
    missing = runner.invoke(args=["user", "create", "li", "--role", "inspector",
                                  "--password", "longenough9"])
    assert missing.exit_code != 0 and "执法证号" in missing.output
    unknown = runner.invoke(args=["user", "create", "wang", "--role", "inspector",
                                  "--password", "longenough9", "--inspector", "NOPE"])
    assert unknown.exit_code != 0 and "不在执法检查人员名录库" in unknown.output


def test_setup_command_migrates_and_loads_demo(tmp_path):
    from server import create_app
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fresh.db'}",
                      "EVIDENCE_DIR": str(tmp_path / "ev"),
                      "LOG_SIGNING_KEY_FILE": str(tmp_path / "log-signing.key")})
    result = app.test_cli_runner().invoke(args=["setup"])
    assert result.exit_code == 0, result.output
    assert "admin" in result.output and "suicha2024" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Enterprise.id))) > 100
        db.engine.dispose()
