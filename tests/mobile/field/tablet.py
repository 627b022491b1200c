"""One inspector's tablet in the field-day scenario: the real core (store, record
API, sync engine, login) with a clock the scenario moves from day to day."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from mobile.core import account
from mobile.core.records import Inspections, Order
from mobile.core.store import Store
from mobile.core.sync import SyncEngine, SyncReport
from mobile.core.transport import Transport
from mobile.platform import fonts
from tests.mobile.core.conftest import BEIJING, make_photo, make_signature
from tests.mobile.ui.server import PASSWORD, USERNAME

# A camera never takes the same picture twice, on any tablet: every shot in the
# process gets its own size (the server refuses a photo another enterprise's
# record already holds, so two tablets' first shots must differ too).
_SHOTS = itertools.count(1)


class DayClock:
    """The bureau's local time on the day of the scenario (from *hour*, Beijing
    time, whatever zone the test machine is in); every reading is 7 s later."""

    def __init__(self, day: date) -> None:
        self.set(day)

    def set(self, day: date, hour: int = 8) -> None:
        self.now = datetime(day.year, day.month, day.day, hour, tzinfo=BEIJING)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=7)
        return self.now


class Tablet:
    def __init__(self, where: Path, url: str, day: date) -> None:
        self.where, self.url = where, url
        self.clock = DayClock(day)
        self.store = Store(where / "data", clock=self.clock)
        spec = fonts.find_cjk_font()
        self.insp = Inspections(self.store, font=(str(spec.path), spec.index),
                                locate=lambda: (36.12, 112.87, 8.0))  # fmt: skip
        self.files = 0

    def login(self) -> None:
        account.login(self.store, self.url, USERNAME, PASSWORD)
        account.set_pin(self.store, "2468")

    def engine(self) -> SyncEngine:
        session = self.store.session()
        transport = Transport(session["server_url"], session["token"], timeout=(2, 3))
        return SyncEngine(self.store, transport, chunk_size=32 * 1024, base_delay=0.05,
                          stall_seconds=3.0)  # fmt: skip

    def sync(self) -> SyncReport:
        engine = self.engine()
        try:
            return engine.run()
        finally:
            engine.transport.close()

    def photo(self, uuid: str, *, item: str | None = None, hazard: str | None = None) -> str:
        self.files += 1
        p = make_photo(self.where / f"photo-{self.files}.jpg", size=(640 + next(_SHOTS), 480))
        return self.insp.add_attachment(uuid, p, item_code=item, hazard_id=hazard)

    def sign(self, uuid: str, *, refuse: bool = False) -> None:
        team = self.store.package(self.insp.view(uuid)["visit_id"])["team"]
        for m in team:
            self.files += 1
            self.insp.add_signature(
                uuid,
                role="inspector",
                name=m["name"],
                cert_no=m["cert_no"],
                image=make_signature(self.where / f"s{self.files}.png"),
            )
        self.files += 1
        image = make_signature(self.where / f"s{self.files}.png")
        if refuse:
            self.insp.refuse_signature(uuid, name="企业负责人", reason="不认可检查结论",
                                       witness="园区安全员", image=image)  # fmt: skip
        else:
            self.insp.add_signature(uuid, role="enterprise", name="企业负责人", image=image)

    def inspect(
        self,
        visit_id: str,
        *,
        bad: str | None = None,
        photos: dict[str, int] | None = None,
        refuse: bool = False,
        results: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """A whole visit: every item answered (*bad* 不符合 with a hazard, its
        deadline and photos on the hazard), *photos* per item, signed, finished."""
        uuid = self.insp.start(visit_id)
        pkg = self.store.package(visit_id)
        for item in pkg["items"]:
            result = (results or {}).get(item["code"], "compliant")
            self.insp.set_result(uuid, item["code"], "noncompliant" if item["code"] == bad
                                 else result, note=f"{item['name']}：现场核查")  # fmt: skip
        hazard = None
        if bad:
            hazard = self.insp.add_hazard(
                uuid, description="危化品库房未设置机械通风", level="general", item_code=bad,
                orders=Order("deadline", deadline=self.clock.now.date() + timedelta(days=15)),
            )  # fmt: skip
            self.photo(uuid, item=bad, hazard=hazard)
        for code, n in (photos or {}).items():
            for _ in range(n):
                self.photo(uuid, item=code)
        self.sign(uuid, refuse=refuse)
        self.insp.finish(uuid)
        return {"uuid": uuid, "hazard": hazard}
