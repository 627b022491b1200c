"""The draw pool's column read on PostgreSQL gives what the row read gives.

``load_pool_rows`` reads the scope as one ``string_agg`` per column on
PostgreSQL (``draws_inputs._read_columns``); these tests hold it to the
plain row read (``read_rows``) on a real server, and check that it gives way
to rows whenever the SQLite column read does.
"""

from __future__ import annotations

import pytest

from server.extensions import db
from server.services.draw import registry as di
from shared.draw import PoolColumns, PoolRows, build_pool
from tests.conftest import backends
from tests.server.factories import make_enterprise
from tests.server.services.test_draws_world import make_world

pytestmark = pytest.mark.skipif("postgresql" not in backends(),
                                reason="SUICHA_TEST_BACKENDS leaves PostgreSQL out")

SCOPES = ["", "行业领域=工贸", "行业领域=工贸,煤矿;属地=丹朱镇", "信用风险分类=A,B",
          "黑名单=否", "需配专家=是", "单位名称=测试", "隶属关系=区属;规模=小型"]
BASE = len(di._BASE_KEYS)


@pytest.fixture
def backend() -> str:
    """Only PostgreSQL here (tests/server/conftest.py's ``app`` reads this)."""
    return "postgresql"


def _task(scope: str) -> dict[str, str]:
    return {"task_no": "X", "draw_type": "不定向" if not scope or "名录库" in scope else "定向",
            "scope": scope, "ratio": "100%", "window_start": "2024-04-01",
            "window_end": "2024-06-30"}


def _registry() -> None:
    make_world()
    make_enterprise(industry="industry_trade", status="closed", credit_class="A")
    make_enterprise(industry="industry_trade", credit_class="", street=None, needs_expert=True)
    make_enterprise(industry="coal_mine", street="丹朱镇", affiliation="区属",
                    name="名称含,逗号'引号与\"双引号\"")
    make_enterprise(industry="industry_trade", name="", blacklisted=True, needs_expert=True)


@pytest.mark.parametrize("scope", SCOPES)
def test_column_read_gives_the_row_reads_pool(ctx, scope):
    _registry()
    conn = db.session.connection()
    rows = di.read_rows(conn, scope)
    pool = di.load_pool_rows(scope)
    assert isinstance(pool, PoolColumns)
    assert pool.keys == rows.keys
    # Same rows, same order, same values in the pool's fields and the id …
    assert list(zip(*pool.columns[:BASE], strict=True)) == [r[:BASE] for r in rows.rows]
    assert pool.columns[0] == sorted(pool.columns[0])
    # … and the same pool and exclusions out of build_pool.
    task = _task(scope)
    assert build_pool(pool, task, {}, carry=("id",)) == build_pool(rows, task, {}, carry=("id",))


@pytest.mark.parametrize(("field", "scope", "in_scope"), [
    ("name", "行业领域=工贸", True),
    ("name", "行业领域=煤矿", False),
    ("street", "", True),
    ("street", "信用风险分类=A", False),
])
def test_a_value_holding_the_separator_gives_way_to_rows(ctx, field, scope, in_scope):
    _registry()
    odd = make_enterprise(industry="industry_trade", credit_class="B",
                          **{field: f"含{di._SEP}分隔符"})
    conn = db.session.connection()
    rows = di.read_rows(conn, scope)
    assert (odd.id in [r[BASE - 1] for r in rows.rows]) is in_scope
    pool = di.load_pool_rows(scope)
    assert isinstance(pool, PoolRows if in_scope else PoolColumns)
    task = _task(scope)
    assert build_pool(pool, task, {}, carry=("id",)) == build_pool(rows, task, {}, carry=("id",))


def test_a_json_list_filter_and_an_empty_scope_read(ctx):
    _registry()
    assert isinstance(di.load_pool_rows("所属名录库=一级库"), PoolRows)
    empty = di.load_pool_rows("行业领域=烟花爆竹")
    assert isinstance(empty, PoolColumns) and empty.columns == [[] for _ in empty.keys]
