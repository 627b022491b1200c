"""Registry REST endpoints: search, filter, page, create, update, audit."""

import io

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.services.demo_data import load_demo
from shared.enums import Industry, Role
from shared.uscc import make_uscc
from tests.server import factories


@pytest.fixture
def office(auth):
    return auth(Role.DISPATCHER)


def test_filters_and_paging(ctx, client, office):
    load_demo()
    everyone = client.get("/api/v1/enterprises?per_page=500", headers=office).json
    assert everyone["total"] == len(everyone["items"]) >= 140
    for field, value in (("industry", "coal_mine"), ("street", "丹朱镇"), ("risk_level", "major"),
                         ("credit_class", "D"), ("blacklisted", "true"), ("scale", "large")):
        page = client.get(f"/api/v1/enterprises?{field}={value}&per_page=500", headers=office).json
        expected = [e for e in everyone["items"] if str(e[field]).lower() == value.lower()]
        assert page["total"] == len(expected) and page["total"] > 0, field
        assert all(str(e[field]).lower() == value.lower() for e in page["items"])
    first = everyone["items"][0]
    by_name = client.get(f"/api/v1/enterprises?q={first['name'][3:8]}", headers=office).json
    assert first["uscc"] in [e["uscc"] for e in by_name["items"]]
    by_code = client.get(f"/api/v1/enterprises?q={first['uscc'][-6:]}", headers=office).json
    assert [e["uscc"] for e in by_code["items"]] == [first["uscc"]]
    sub = client.get("/api/v1/enterprises?registry=煤矿二级库", headers=office).json
    assert sub["total"] == 8
    p2 = client.get("/api/v1/enterprises?per_page=10&page=2", headers=office).json
    assert [e["uscc"] for e in p2["items"]] == [e["uscc"] for e in everyone["items"][10:20]]


def test_inspector_filters(ctx, client, office):
    load_demo()
    valid = client.get("/api/v1/inspectors?valid_on=2026-12-01&field=coal_mine&per_page=100",
                       headers=office).json
    assert valid["total"] > 0
    assert all("coal_mine" in i["fields"] and i["cert_expiry"] >= "2026-12-01"
               for i in valid["items"])
    on_leave = client.get("/api/v1/inspectors?duty_status=leave", headers=office).json
    assert on_leave["total"] == 1


def test_create_update_and_the_audit_trail(ctx, client, office):
    body = {"uscc": factories.uscc(), "name": "新建化工有限公司", "industry": "hazchem_trading",
            "credit_class": "C"}
    created = client.post("/api/v1/enterprises", json=body, headers=office)
    assert created.status_code == 201
    again = client.post("/api/v1/enterprises", json=body, headers=office)
    assert again.status_code == 409 and "已存在" in again.json["message"]
    patched = client.patch(f"/api/v1/enterprises/{body['uscc']}", json={"credit_class": "D"},
                           headers=office)
    assert patched.status_code == 200 and patched.json["credit_class"] == "D"
    log = client.get(f"/api/v1/audit?entity_key={body['uscc']}", headers=office).json["items"]
    assert [e["action"] for e in log] == ["update", "create"]
    assert log[0]["before"] == {"credit_class": "C"} and log[0]["after"] == {"credit_class": "D"}


@pytest.mark.parametrize("body, field", [
    ({"uscc": "91350100M000100Y44", "name": "x", "industry": "coal_mine"}, "uscc"),
    ({"uscc": "91350100M000100Y43", "name": "x", "industry": "pig_farm"}, "industry"),
    ({"uscc": "91350100M000100Y43", "industry": "coal_mine"}, "name"),
])
def test_bad_bodies_get_400_with_field_errors(client, office, body, field):
    resp = client.post("/api/v1/enterprises", json=body, headers=office)
    assert resp.status_code == 400
    assert field in resp.json["errors"]["json"]


def test_import_endpoint_reports_rows_and_changes_nothing(ctx, client, office, count_rows):
    from server.models import Enterprise
    data = "单位名称,统一社会信用代码,行业领域\n甲,91350100M000100Y44,工贸\n".encode()
    for step, extra in (("import/preview", {}), ("import", {"token": "x"})):
        resp = client.post(f"/api/v1/registries/enterprises/{step}", headers=office,
                           data={"file": (io.BytesIO(data), "e.csv"), **extra})
        assert resp.status_code == 422
        assert resp.json["errors"]["rows"] == [
            "第2行: B列“统一社会信用代码”：统一社会信用代码校验位错误（应为3）"]
    assert count_rows(Enterprise) == 0


def _post(client, office, step, data, **form):
    return client.post(f"/api/v1/registries/enterprises/{step}", headers=office,
                       data={"file": (io.BytesIO(data), "e.csv"), **form})


def test_import_is_previewed_then_applied_with_the_previews_token(ctx, client, office):
    from server.models import Enterprise
    load_demo()
    one = db.session.scalars(sa.select(Enterprise).where(Enterprise.phone.is_not(None))
                             .order_by(Enterprise.uscc)).first()
    uscc, name, industry = one.uscc, one.name, Industry(one.industry).label
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Enterprise))
    newcomer = make_uscc("91140428MA0K00001")
    data = (f"企业名称,社会信用代码,行业类别\n{name}（更名）,{uscc},{industry}\n"
            f"新来的有限公司,{newcomer},工贸\n").encode()
    before = client.get(f"/api/v1/enterprises/{uscc}", headers=office).json
    preview = _post(client, office, "import/preview", data)
    assert preview.status_code == 200, preview.json
    body = preview.json
    assert (body["created"], body["changed"], body["unchanged"]) == (1, 1, 0)
    assert body["changes"][0]["fields"] == [["单位名称", name, name + "（更名）"]]
    assert body["new"][0]["key"] == newcomer
    assert "联系电话" in body["absent_columns"] and "回避单位" not in body["absent_columns"]
    # A preview writes nothing.
    assert client.get(f"/api/v1/enterprises/{uscc}", headers=office).json == before
    assert _post(client, office, "import", data).status_code == 400  # no token: not applied
    # Someone changes the record in between: the preview no longer holds.
    client.patch(f"/api/v1/enterprises/{uscc}", headers=office, json={"name": "别的名字"})
    stale = _post(client, office, "import", data, token=body["token"])
    assert stale.status_code == 409 and "重新上传并预览" in stale.json["message"]
    fresh = _post(client, office, "import/preview", data).json
    done = _post(client, office, "import", data, token=fresh["token"])
    assert done.status_code == 200 and (done.json["created"], done.json["updated"]) == (1, 1)
    after = client.get(f"/api/v1/enterprises/{uscc}", headers=office).json
    assert after["name"] == name + "（更名）"
    # Every column the file does not have is as it was.
    unchanged = {k: v for k, v in before.items() if k not in ("name", "updated_at")}
    assert {k: v for k, v in after.items() if k in unchanged} == unchanged
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enterprise)) == count + 1
