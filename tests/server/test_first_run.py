"""`make run` on a fresh machine: no CJK font installed on the system, the real
`flask setup` in a subprocess, and the whole demo is there – down to an archived
case with its documents and its dossier, whose PDF embeds the font that came
with the Python packages and prints the staff's names."""

from __future__ import annotations

import hashlib
import subprocess

import sqlalchemy as sa

from server import create_app
from server.extensions import db
from server.models import CaseDocument, DossierVersion, Enterprise, PublicationResult, User
from server.models.case import Case
from server.services import demo_cases, dossiers
from server.services.followup import record_for_visit
from tests.server.first_run import (
    HIDDEN,
    files_under,
    flask,
    instance,  # noqa: F401 - fixture
    run,
    without_system_fonts,
)


def _pdf_tool(tool: str, pdf: bytes, tmp_path) -> str:
    path = tmp_path / f"{tool}.pdf"
    path.write_bytes(pdf)
    args = [tool, str(path)] + (["-"] if tool == "pdftotext" else [])
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def test_setup_without_system_fonts_loads_the_whole_demo(instance, tmp_path):  # noqa: F811
    done = run(without_system_fonts(flask("setup")), instance)
    # Checked from inside the namespace before setup ran: no font file to be found.
    assert done.stdout.startswith(HIDDEN), (
        "could not hide the system fonts (needs root, or unprivileged user namespaces): "
        + done.stderr)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "已归档示范案件1件" in done.stdout and "秦晓梅" in done.stdout
    assert not (instance.evidence / ".demo-staging").exists()

    app = create_app(instance.config())
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Enterprise.id))) > 100
        case = db.session.scalars(sa.select(Case).where(Case.state == "archived")).one()
        assert case.archive_no
        kinds = set(db.session.scalars(sa.select(CaseDocument.kind)
                                       .where(CaseDocument.case_id == case.id)))
        assert kinds >= {"inspection_record", "rectification_order", "reinspection_opinion",
                         "closing"}
        result = db.session.scalars(sa.select(PublicationResult)
                                    .where(PublicationResult.visit_id == case.visit_id)).one()
        assert result.status == "approved"

        version = db.session.scalars(sa.select(DossierVersion)
                                     .where(DossierVersion.case_id == case.id)).one()
        path = dossiers.dossier_dir() / version.pdf_sha256[:2] / f"{version.pdf_sha256}.pdf"
        pdf = path.read_bytes()
        assert hashlib.sha256(pdf).hexdigest() == version.pdf_sha256 and version.pages > 5
        fonts = _pdf_tool("pdffonts", pdf, tmp_path)
        assert "WenQuanYi" in fonts, fonts
        text = "".join(_pdf_tool("pdftotext", pdf, tmp_path).split())
        dispatcher = db.session.scalars(sa.select(User.display_name)
                                        .where(User.username == "dispatcher")).one()
        for words in ("责令限期整改指令书", "整改复查意见书", "结案（销号）审批表",
                      f"承办人{dispatcher}", case.archive_no):
            assert words in text, words
        assert "dispatcher" not in text  # a login name never stands for a person

        # The signatures in the evidence store were drawn with the same CJK font
        # a normal machine uses: byte for byte what this process draws.
        record = record_for_visit(case.visit_id).data
        for sig in record["signatures"]:
            stored = (instance.evidence / sig["sha256"][:2] / sig["sha256"]).read_bytes()
            assert stored == demo_cases._signature(sig["name"], variant=case.visit_id), sig["name"]
        db.engine.dispose()

    # Every file the rows name is in place, and nothing else was left behind.
    files = files_under(instance.evidence)
    assert not [f for f in files if f.startswith(".")], files
    assert any(f.startswith("draw-pools/") for f in files)

    again = run(flask("setup"), instance)  # the second `make run` changes nothing
    assert again.returncode == 0 and "数据库已有数据" not in again.stderr
    assert "已载入演示数据" not in again.stdout
    assert files_under(instance.evidence) == files


def test_setup_stops_before_writing_when_there_is_no_font_at_all(instance):  # noqa: F811
    # No system fonts and the font package made unimportable: nothing to draw with.
    code = ("import sys; sys.modules['paperang_p2_fonts_cjk'] = None; "
            "from flask.cli import main; sys.argv = ['flask', 'setup']; main()")
    done = run(without_system_fonts([flask()[0], "-c", code]), instance)
    assert done.stdout.startswith(HIDDEN), done.stderr
    assert done.returncode != 0
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "未找到可嵌入 PDF 的中文字体" in lines[0], done.stderr
    assert files_under(instance.root) == []  # no database file, no evidence
    if instance.database_url.startswith("postgresql"):
        engine = sa.create_engine(instance.database_url)
        with engine.connect() as conn:
            assert sa.inspect(conn).get_table_names() == []
        engine.dispose()
