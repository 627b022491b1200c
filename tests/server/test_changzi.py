"""The 长子 2022 plan end to end, from spreadsheets, through the command line.

Registry (长子 seed): 煤矿 6, 洗选煤 31, 危化生产 2, 危化经营 39, 工贸 55 = 133.
Plan table: 煤矿 100%, 危险化学品生产+经营 20%, 冶金+工贸 10%, 洗选煤 10% –
so ceil(6) = 6, ceil(41 × 0.2) = 9, ceil(55 × 0.1) = 6, ceil(31 × 0.1) = 4 visits.

Each draw is the ceremony of issue 14 on the command line: ``flask draw freeze``
names a lottery draw announced a few seconds later (``DRAND_LEAD_MINUTES`` is 0
here), the test waits for that announced time, then ``flask draw run --numbers``.
The commands run on the real clock, so the tasks' window reaches past today.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from math import ceil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook

from server import create_app
from shared.enums import Industry
from shared.uscc import make_uscc

REGISTRY = {"煤矿": 6, "洗选煤": 31, "危险化学品生产": 2, "危险化学品经营": 39, "工贸": 55}
STREETS = ("丹朱镇", "鲍店镇", "石哲镇")
PLAN_HEADERS = ["计划编号", "计划名称", "任务编号", "任务名称", "抽查类型", "抽查比例", "抽查事项",
                "抽查对象范围", "发起科室", "联合部门", "开始日期", "结束日期", "每户检查人数",
                "是否暗查"]
PLAN = "CZ-2022"
_TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()
# The plan's 2022 dates moved around today: the commands draw on the real clock.
WINDOW = ((_TODAY - timedelta(days=30)).isoformat(), (_TODAY + timedelta(days=300)).isoformat())
CERT_VALID = (_TODAY + timedelta(days=730)).isoformat()  # 执法证 valid through the window
TASKS = [  # (任务编号, 任务名称, 比例, 范围, in-scope industries)
    ("CZ-2022-01", "煤矿企业专项检查", "100%", "行业领域=煤矿", ["煤矿"]),
    ("CZ-2022-02", "危险化学品企业检查", "20%", "行业领域=危险化学品生产,危险化学品经营",
     ["危险化学品生产", "危险化学品经营"]),
    ("CZ-2022-03", "冶金工贸企业检查", "10%", "行业领域=冶金,工贸", ["冶金", "工贸"]),
    ("CZ-2022-04", "洗选煤企业检查", "10%", "行业领域=洗选煤", ["洗选煤"]),
]


@pytest.fixture(autouse=True)
def _imminent_lottery(app):
    app.config["DRAND_LEAD_MINUTES"] = 0  # the named lottery draw is announced seconds later


def xlsx(path: Path, rows: list[list]) -> Path:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buf = io.BytesIO()
    book.save(buf)
    path.write_bytes(buf.getvalue())
    return path


def write_registries(folder: Path) -> dict[str, list[tuple[str, str, str]]]:
    """Write the four registry spreadsheets; return {industry label: [(uscc, name, street)]}."""
    enterprises = [["单位名称", "统一社会信用代码", "行业领域", "属地", "信用风险分类", "需配专家"]]
    by_industry: dict[str, list[tuple[str, str, str]]] = {}
    n = 0
    for label, count in REGISTRY.items():
        for _ in range(count):
            n += 1
            code = make_uscc(f"91140428MA{n:07d}")
            name, street = f"长子县{label}企业{n}号", STREETS[n % 3]
            enterprises.append([name, code, label, street, "ABCD"[n % 4],
                                "是" if label == "煤矿" else "否"])
            by_industry.setdefault(label, []).append((code, name, street))
    xlsx(folder / "enterprises.xlsx", enterprises)
    fields = "、".join(REGISTRY) + "、冶金"
    inspectors = [["姓名", "执法证号", "证件有效期", "所属科室", "属地", "执法领域", "在岗状态"]]
    for i in range(4):  # 一级库: bureau officers, no street
        inspectors.append([f"局执法员{i}", f"14042801{i:04d}", CERT_VALID, "执法监察科", "",
                           fields, "在岗"])
    for i, street in enumerate(STREETS * 2):  # 二级库: two per town
        inspectors.append([f"{street}执法员{i}", f"14042802{i:04d}", CERT_VALID, "执法监察科",
                           street, fields, "在岗"])
    inspectors.append(["休假人员", "140428030000", CERT_VALID, "执法监察科", "", fields, "休假"])
    xlsx(folder / "inspectors.xlsx", inspectors)
    xlsx(folder / "experts.xlsx", [["姓名", "专业", "单位"], ["王工", "煤矿", "长治市安全技术中心"],
                                   ["赵工", "煤矿、洗选煤", "山西煤炭设计院"]])
    items = [["事项编号", "事项名称", "抽查依据", "适用行业", "事项类别"]]
    for k, label in enumerate([*REGISTRY, "冶金"]):
        items.append([f"CZ-{k}0", f"{label}安全生产许可", "《安全生产法》第二十条", label, "重点"])
        for j in range(1, 5):
            items.append([f"CZ-{k}{j}", f"{label}一般事项{j}", "《安全生产法》第四十一条",
                          label, "一般"])
    xlsx(folder / "items.xlsx", items)
    return by_industry


def plan_rows(tasks=TASKS) -> list[list]:
    # No 联合部门: the 长子 plan names only the bureau (抽查发起部门), and a joint task's
    # team would need an officer of the joint department besides the two checked below.
    # 组队规则 (docs/draw.md): one officer of the enterprise's town and one of the bureau,
    # the stricter composition this county uses – the default requires neither.
    rows = [[*PLAN_HEADERS, "组队规则"]]
    for no, name, ratio, scope, _ in tasks:
        rows.append([PLAN, "长子县2022年度安全生产双随机抽查计划", no, name, "定向", ratio,
                     "安全生产许可、教育培训、隐患排查", scope, "执法监察科", "",
                     WINDOW[0], WINDOW[1], 2, "否", "属地1人,局1人"])
    return rows


def invoke(runner, *args: str):
    result = runner.invoke(args=list(args))
    assert result.exit_code == 0, (args, result.output)
    return result


AHEAD = 3  # seconds from the freeze to the named draw's announcement (a busy machine
           # may take a second to freeze all four tasks)


def freeze(runner, *task_nos: str) -> datetime:
    """``flask draw freeze`` each task, naming one lottery draw announced AHEAD
    seconds from now; returns when it is announced."""
    announced = datetime.now(UTC) + timedelta(seconds=AHEAD)
    local = announced.astimezone(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None)
    for no in task_nos:
        out = json.loads(invoke(runner, "draw", "freeze", no, "--json", "--source", "lottery",
                                "--lottery-draw", "2026140",
                                "--lottery-time", local.isoformat()).output)
        assert out["task"] == no and len(out["commitment"]) == 64, out
    return announced


def draw(runner, *task_nos: str) -> list[dict]:
    """The whole ceremony for each task: freeze, wait for the announced numbers,
    ``flask draw run --numbers``; the runs' JSON outputs in order."""
    announced = freeze(runner, *task_nos)
    time.sleep(max(0.0, (announced - datetime.now(UTC)).total_seconds()) + 0.2)
    return [json.loads(invoke(runner, "draw", "run", no, "--numbers", "3 9 1", "--json").output)
            for no in task_nos]


def setup_changzi(runner, folder: Path) -> dict[str, list[tuple[str, str, str]]]:
    by_industry = write_registries(folder)
    for kind in ("enterprises", "inspectors", "experts", "items"):
        invoke(runner, "registry", "import", kind, str(folder / f"{kind}.xlsx"), "--yes")
    out = invoke(runner, "plan", "import", str(xlsx(folder / "plan.xlsx", plan_rows())))
    assert "新增任务4个" in out.output
    invoke(runner, "plan", "publish", PLAN)
    return by_industry


def test_changzi_plan_from_spreadsheet_to_verified_records(runner, tmp_path):
    by_industry = setup_changzi(runner, tmp_path)
    street_of = {u: s for rows in by_industry.values() for u, _n, s in rows}
    bureau = {f"14042801{i:04d}" for i in range(4)}
    expected = {}
    for no, _name, ratio, _scope, labels in TASKS:
        eligible = sum(REGISTRY.get(label, 0) for label in labels)
        expected[no] = (eligible, ceil(eligible * int(ratio[:-1]) / 100))
    assert [v[1] for v in expected.values()] == [6, 9, 6, 4]

    outs = draw(runner, *(task[0] for task in TASKS))
    for (no, _name, _ratio, _scope, labels), out in zip(TASKS, outs, strict=True):
        assert out["task"] == no and out["pool_size"] == expected[no][0]
        assert len(out["visits"]) == expected[no][1]
        assert out["excluded"] == []
        in_scope = {u for label in labels for u, _n, _s in by_industry.get(label, [])}
        assert {v["uscc"] for v in out["visits"]} <= in_scope
        assert len({v["uscc"] for v in out["visits"]}) == len(out["visits"])
        for v in out["visits"]:
            team = set(v["inspectors"])
            assert len(team) == 2 and v["leader"] in team and "140428030000" not in team
            # the plan's composition: one officer of the enterprise's town, one of the bureau
            assert len(team & bureau) == 1
            town = (team - bureau).pop()
            assert town.startswith("14042802")
            assert STREETS[int(town[-4:]) % 3] == street_of[v["uscc"]]
            assert v["items"][0].endswith("0") and len(v["items"]) == 1 + 3
            assert bool(v["experts"]) == (labels == ["煤矿"])

        record = tmp_path / f"{no}.json"
        invoke(runner, "draw", "export", str(out["record_id"]), str(record))
        verified = invoke(runner, "draw", "verify", str(record))
        assert "一致" in verified.output
        exported = json.loads(record.read_text(encoding="utf-8"))
        assert exported["seed"] == out["seed"] and exported["meta"]["record_id"] == out["record_id"]
        assert exported["meta"]["committed_at"] < exported["meta"]["created_at"]


def _flip(data: bytes, at: int) -> bytes:
    ch = data[at:at + 1]
    swap = {b"0": b"1", b"1": b"2", b"a": b"b", b"A": b"B"}.get(ch, b"9" if ch != b"9" else b"8")
    return data[:at] + swap + data[at + 1:]


def test_tampered_export_fails_verification_without_a_database(runner, tmp_path):
    setup_changzi(runner, tmp_path)
    [out] = draw(runner, "CZ-2022-02")
    record = tmp_path / "r.json"
    invoke(runner, "draw", "export", str(out["record_id"]), str(record))
    data = record.read_bytes()
    # An app whose database cannot be reached: verify must not need it.
    offline = create_app({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://x@127.0.0.1:9/none",
                          "EVIDENCE_DIR": str(tmp_path / "ev")}).test_cli_runner()
    ok = offline.invoke(args=["draw", "verify", str(record)])
    assert ok.exit_code == 0 and "一致" in ok.output
    visit = out["visits"][0]
    targets = {
        "seed": data.index(out["seed"].encode()) + 5,
        "pool": data.index(b'"values":[["') + 15,
        "result uscc": data.index(f'"uscc":"{visit["uscc"]}"'.encode()) + 12,
        "result item": data.rindex(f'"{visit["items"][-1]}"'.encode()) + 4,
        "result leader": data.index(f'"leader":"{visit["leader"]}"'.encode()) + 15,
    }
    for what, at in targets.items():
        bad = tmp_path / "bad.json"
        bad.write_bytes(_flip(data, at))
        assert bad.read_bytes() != data
        result = offline.invoke(args=["draw", "verify", str(bad)])
        assert result.exit_code != 0, what
        assert "不一致" in result.output, (what, result.output)


def test_verifier_runs_with_only_shared_importable(runner, tmp_path):
    setup_changzi(runner, tmp_path)
    [out] = draw(runner, "CZ-2022-04")
    record = tmp_path / "r.json"
    invoke(runner, "draw", "export", str(out["record_id"]), str(record))
    code = ("import sys\n"
            "for name in ('server', 'flask', 'sqlalchemy', 'flask_sqlalchemy'):\n"
            "    sys.modules[name] = None\n"
            "from shared.draw import verify_record_file\n"
            f"r = verify_record_file({str(record)!r})\n"
            "print(r.message); sys.exit(0 if r.ok else 1)\n")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0 and "一致" in done.stdout, done.stderr


def test_second_round_excludes_the_first_and_records_the_change(runner, tmp_path):
    by_industry = setup_changzi(runner, tmp_path)
    [first] = draw(runner, "CZ-2022-04")
    drawn = {v["uscc"] for v in first["visits"]}
    second = [*TASKS, ("CZ-2022-05", "洗选煤企业第二轮检查", "10%", "行业领域=洗选煤", ["洗选煤"])]
    path = xlsx(tmp_path / "plan2.xlsx", plan_rows(second))
    refused = runner.invoke(args=["plan", "import", str(path)])
    assert refused.exit_code == 1 and "已发布，修改须填写变更理由" in refused.output
    invoke(runner, "plan", "import", str(path), "--reason", "增加洗选煤第二轮抽查")
    blocked = runner.invoke(args=["draw", "freeze", "CZ-2022-05"])  # the draw's first step
    assert blocked.exit_code == 1 and "尚未发布" in blocked.output
    invoke(runner, "plan", "publish", PLAN)
    [out] = draw(runner, "CZ-2022-05")
    assert {e["uscc"] for e in out["excluded"]} == drawn
    assert {e["reason"] for e in out["excluded"]} == {"本计划前轮已抽取"}
    assert out["pool_size"] == 31 - 4 and len(out["visits"]) == ceil(27 / 10)
    assert not drawn & {v["uscc"] for v in out["visits"]}
    assert {v["uscc"] for v in out["visits"]} <= {u for u, _n, _s in by_industry["洗选煤"]}
    shown = invoke(runner, "plan", "show", PLAN).output
    assert "增加洗选煤第二轮抽查" in shown
    assert "已抽取" in shown and "drawn" not in shown  # a task's state in words
    # a drawn task cannot be changed by a later import
    changed = plan_rows(second)
    changed[4][5] = "50%"
    again = runner.invoke(args=["plan", "import", str(xlsx(tmp_path / "p3.xlsx", changed)),
                                "--reason", "提高比例"])
    assert again.exit_code == 1 and "第5行: 任务CZ-2022-04已抽取，不能通过导入修改" in again.output


def test_industry_labels_are_the_registry_codes():
    # Guards the test data: every label above is a real Industry.
    assert all(Industry.parse(label) for label in REGISTRY)


def test_every_byte_of_seed_pool_and_result_is_covered(runner, tmp_path):
    """Flip each byte of the exported record's seed, pool and result: none verifies."""
    from shared.draw import load_record, verify

    setup_changzi(runner, tmp_path)
    [out] = draw(runner, "CZ-2022-04")
    record = tmp_path / "r.json"
    invoke(runner, "draw", "export", str(out["record_id"]), str(record))
    data = record.read_bytes()
    seed = data.index(b'"seed":"') + 8
    pool = data.index(b'"enterprises":')
    pool_end = data.index(b',"excluded":', pool)
    result = data.index(b'"result":') + 9
    result_end = data.index(b',"seed":', result)
    positions = [*range(seed, seed + 64), *range(pool, pool_end), *range(result, result_end)]
    assert len(positions) > 1000
    passed = []
    for at in positions:
        bad = bytearray(data)
        bad[at] = bad[at] ^ 0x01 if bad[at] != 0x22 else 0x27  # keep it one changed byte
        try:
            ok, _why = verify(load_record(bytes(bad)))
        except ValueError:  # not UTF-8 / not JSON any more: fails to load
            ok = False
        if ok:
            passed.append(at)
    assert passed == []
