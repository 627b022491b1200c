"""Which public randomness a freeze promises, and getting its value later.

Configured by environment (README): ``DRAW_BEACON`` (``drand`` or
``lottery``), ``DRAND_CHAIN`` (``quicknet`` or ``default``),
``DRAND_LEAD_MINUTES`` (how far ahead of the freeze the round must be),
``DRAND_URLS`` (relays to fetch a round from; offline, a person pastes it),
``LOTTERY_SOURCE`` (``id=名称`` of the lottery whose draws may be named).
The value itself is always verified by ``shared.draw.beacon`` – fetched or
pasted alike.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app

from shared.draw.beacon import DRAND, LOCAL, LOTTERY, BeaconError, chain, iso_utc

from ...localtime import DEFAULT_ZONE, SECONDS, bureau_tz, local_time, zone_name  # BUREAU_TIMEZONE
from ..plans import PlanError


def _config(key: str, default: Any) -> Any:
    return current_app.config.get(key, default)


def lottery_source() -> tuple[str, str]:
    """``(id, 名称)`` of the configured lottery."""
    raw = str(_config("LOTTERY_SOURCE", "cwl-3d=中国福利彩票3D"))
    ident, _, name = raw.partition("=")
    return ident.strip(), (name or ident).strip()


def promise(now: datetime, *, source: str | None = None, lottery: dict[str, Any] | None = None,
            allow_local: bool = False) -> tuple[dict[str, Any], datetime]:
    """The public value a freeze at *now* (naive UTC) commits to, and when it is due.

    drand: the first round published at least ``DRAND_LEAD_MINUTES`` after *now*.
    lottery: the named draw (``{"draw_no", "draw_time"}``, the announced time
    in UTC), which must be at least that far ahead too.
    """
    source = source or _config("DRAW_BEACON", DRAND)
    lead = timedelta(minutes=int(_config("DRAND_LEAD_MINUTES", 5)))
    if source == DRAND:
        c = chain(_config("DRAND_CHAIN", "quicknet"))
        round_no = c.round_at(_unix(now + lead)) + 1
        due = datetime.fromisoformat(iso_utc(c.round_time(round_no)))
        return {"source": DRAND, "chain": c.hash, "chain_name": c.name, "round": round_no,
                "round_time": due.isoformat()}, due
    if source == LOTTERY:
        ident, name = lottery_source()
        draw_no = str((lottery or {}).get("draw_no") or "").strip()
        when = (lottery or {}).get("draw_time")
        if not draw_no or not when:
            raise PlanError(422, f"使用彩票作为公共随机数时，须填写{name}的期号和开奖时间")
        try:
            due = when if isinstance(when, datetime) else datetime.fromisoformat(str(when))
        except ValueError:
            raise PlanError(422, f"开奖时间“{when}”无法识别") from None
        if due.tzinfo is None:  # as announced: the bureau's local time
            due = due.replace(tzinfo=bureau_tz())
        due = due.astimezone(UTC).replace(tzinfo=None)
        if due < now + lead:
            raise PlanError(422, f"{name}第{draw_no}期的开奖时间须晚于冻结时间至少"
                                 f"{int(lead.total_seconds() // 60)}分钟")
        return {"source": LOTTERY, "id": ident, "name": name, "draw_no": draw_no,
                "draw_time": due.isoformat()}, due
    if source == LOCAL:
        if not (allow_local or _config("DRAW_LOCAL_BEACON", False)):
            raise PlanError(422, "本地随机数仅用于演示和测试，本系统未启用")
        return {"source": LOCAL}, now
    raise PlanError(422, f"未知的公共随机数来源“{source}”")


def local_text(naive_utc: datetime) -> str:
    """A stored UTC time as a person in the bureau reads it."""
    return local_time(naive_utc, SECONDS)


def not_yet_text(promised: dict[str, Any], due: datetime) -> str:
    """Why a draw must wait, as the office reads it (no chain, no jargon)."""
    when = ("北京时间 " if zone_name() == DEFAULT_ZONE else "") + local_text(due)
    if promised["source"] == DRAND:
        return (f"约定的第{promised['round']}轮公共随机数（drand 信标）尚未公布"
                f"（预计{when}），请到时再试")
    if promised["source"] == LOTTERY:
        return (f"约定的{promised.get('name')}第{promised.get('draw_no')}期开奖号码尚未公布"
                f"（预计{when}），请到时再试")
    return f"约定的公共随机数尚未公布（预计{when}），请到时再试"


def _unix(naive_utc: datetime) -> float:
    return (naive_utc - datetime(1970, 1, 1)).total_seconds()


_PUBLIC_RELAYS = ("https://api.drand.sh", "https://drand.cloudflare.com")


def _relays() -> list[str]:
    return [u.strip().rstrip("/") for u in str(_config("DRAND_URLS", "")).split(",")
            if u.strip()]


def round_urls(promised: dict[str, Any]) -> list[str]:
    """Where a person opens the promised round to copy it: the configured relays,
    else the public ones (an offline server has none configured)."""
    bases = _relays() or list(_PUBLIC_RELAYS)
    return [f"{b}/{promised['chain']}/public/{promised['round']}" for b in bases]


def paste_hint(promised: dict[str, Any]) -> str:
    """How to bring the round to an offline server, as the office reads it."""
    return (f"请在任一能上网的电脑或手机上打开 {round_urls(promised)[0]}"
            f"（该轮公布后才有内容），页面显示一段以 {{\"round\":{promised['round']} 开头的文字，"
            "全部复制后粘贴到“该轮数据”框内，再点“用该公共随机数抽取”；"
            "服务器会核验该轮的签名，粘贴的内容无法伪造")


def fetch_drand(promised: dict[str, Any]) -> dict[str, Any]:
    """The promised round from the configured relays (``DRAND_URLS``)."""
    import requests

    errors = []
    for base in _relays():
        url = f"{base}/{promised['chain']}/public/{promised['round']}"
        host = base.split("//", 1)[-1]
        try:
            resp = requests.get(url, timeout=10)
            if resp.status_code == 200:
                return resp.json()
            errors.append(f"{host}返回错误（代码{resp.status_code}）")
        except requests.Timeout:
            errors.append(f"{host}连接超时")
        except requests.RequestException:
            errors.append(f"{host}无法连接")
        except json.JSONDecodeError:
            errors.append(f"{host}返回的内容无法识别")
    # A person reads this on the console: no exception names, and what to do next.
    why = "；".join(errors) or "本机未配置联网获取"
    raise PlanError(503, f"无法自动获取公共随机信标第{promised['round']}轮（{why}）。"
                         + paste_hint(promised))


def parse_beacon(text: str | dict[str, Any]) -> dict[str, Any]:
    """A drand round's JSON as pasted (or already parsed)."""
    if isinstance(text, dict):
        return text
    try:
        data = json.loads(text)
    except (TypeError, ValueError):
        raise PlanError(422, "粘贴的内容无法识别：应为公共随机信标该轮页面上以 {\"round\": "
                             "开头的全部文字") from None
    if not isinstance(data, dict):
        raise PlanError(422, "粘贴的内容无法识别：应为公共随机信标该轮页面上以 {\"round\": "
                             "开头的全部文字")
    return data


def value_for(promised: dict[str, Any], given: dict[str, Any] | None) -> dict[str, Any]:
    """The value to check against *promised*: for drand the given (pasted or
    file) round or one fetched now; for a lottery the entered numbers."""
    source = promised["source"]
    if source == DRAND:
        data = dict(given) if given else fetch_drand(promised)
        data.setdefault("chain", promised["chain"])
        data["source"] = DRAND
        # The HTTP API answers without "chain"; keep only what the record holds.
        keep = ("source", "chain", "round", "signature", "previous_signature", "randomness")
        return {k: data[k] for k in keep if k in data and data[k] not in (None, "")}
    if source == LOTTERY:
        from shared.draw.beacon import lottery_value

        if not given or not given.get("numbers"):
            raise PlanError(422, f"请填写{promised.get('name')}第{promised['draw_no']}期的开奖号码")
        try:
            return lottery_value(promised["id"], promised["draw_no"], given["numbers"])
        except BeaconError as exc:
            raise PlanError(422, exc.message) from None
    if source == LOCAL:
        import secrets

        return {"source": LOCAL, "randomness": secrets.token_hex(32)}
    raise PlanError(422, f"未知的公共随机数来源“{source}”")
