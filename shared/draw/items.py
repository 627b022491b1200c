"""What is checked: every 重点 item for the industry plus a random sample of 一般 items."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.draw.errors import DrawError
from shared.draw.rng import Stream
from shared.enums import Industry, ItemCategory


def industry_label(industry: str) -> str:
    """危险化学品生产 for its code; what was recorded when it is no known code."""
    try:
        return Industry.parse(industry).label
    except ValueError:
        return industry or "未登记"


class ItemPicker:
    """Per-industry applicable item lists, computed once per draw."""

    def __init__(self, snapshot: Mapping[str, Any]) -> None:
        self.items = snapshot["items"]["list"]
        self.general_count: int = snapshot["task"]["general_items"]
        self._cache: dict[str, tuple[list[str], list[str]]] = {}

    def _applicable(self, industry: str) -> tuple[list[str], list[str]]:
        hit = self._cache.get(industry)
        if hit is None:
            # An item with no 适用行业 applies to every industry.
            fits = [it for it in self.items if not it["industries"] or industry in it["industries"]]
            key = [it["no"] for it in fits if it["category"] == ItemCategory.KEY.value]
            general = [it["no"] for it in fits if it["category"] == ItemCategory.GENERAL.value]
            hit = self._cache[industry] = (key, general)
        return hit

    def applies(self, industry: str) -> bool:
        """Whether any item of the list applies to *industry*."""
        return any(self._applicable(industry))

    def pick(self, uscc: str, name: str, industry: str, stream: Stream | bytes) -> list[str]:
        """The visit's item numbers: 重点 items, then the sampled 一般 items (list order).

        *stream* is the visit's stream during a draw; a 32-byte key instead
        (the server's manual adjustments) reads the stream ``items:<uscc>``.
        """
        if isinstance(stream, bytes):
            stream = Stream(stream, f"items:{uscc}")
        key_items, general = self._applicable(industry)
        if not key_items and not general:
            label = industry_label(industry)
            # 清单之外无检查: a visit with nothing to check cannot be dispatched.
            raise DrawError(
                f"检查对象{uscc}（{name}）：事项清单中没有适用于“{label}”的检查事项"
                "（规则：随机抽查事项清单）", uscc=uscc, name=name, rule="随机抽查事项清单")
        k, n = self.general_count, len(general)
        if k >= n:
            return key_items + general
        # Sampling positions (not numbers) gives the same draws and lets the
        # sample be put back in list order without a lookup table per visit.
        # This is partial_shuffle(range(n), k) written out: it runs per visit.
        work = list(range(n))
        rb = stream.randbelow
        for i in range(k):
            j = i + rb(n - i)
            work[i], work[j] = work[j], work[i]
        del work[k:]
        work.sort()
        return key_items + [general[i] for i in work]
