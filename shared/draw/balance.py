"""Balance: each pick goes to a least-loaded candidate, ties broken by a stream.

Shared by the officers' and the experts' draws (:mod:`shared.draw.teams`).
Loads only grow during a draw; :class:`Ties` relies on that to keep the
least-loaded members of a candidate list between visits.
"""

from __future__ import annotations

from itertools import compress

from shared.draw.rng import Stream

_BARRED = 1 << 62  # a load no one has: marks a candidate already picked or taken


def least_loaded(cands: list[int], count: int, taken: list[int], load: list[int],
                  stream: Stream) -> list[int]:
    """*count* picks from *cands* (minus *taken*), each a least-loaded one.

    Ties are broken by ``stream`` over the tied candidates in *cands* order.
    The candidates' loads are read once; a pick's own entry is then barred
    (it is never picked twice), which gives the same picks as re-filtering
    the candidates before every slot.
    """
    if count == 1 and not taken:  # the usual slot: one from the street or bureau pool
        low = min(map(load.__getitem__, cands))
        ties = [i for i in cands if load[i] == low]
        pick = ties[stream.randbelow(len(ties))]
        load[pick] += 1
        return [pick]
    loads = list(map(load.__getitem__, cands))
    if taken:
        for j in compress(range(len(cands)), map(set(taken).__contains__, cands)):
            loads[j] = _BARRED
    out: list[int] = []
    for _ in range(count):
        low = min(loads)
        ties = list(compress(range(len(cands)), map(low.__eq__, loads)))
        j = ties[stream.randbelow(len(ties))]
        pick = cands[j]
        load[pick] += 1
        loads[j] = _BARRED
        out.append(pick)
    return out


class Ties:
    """The least-loaded members of one (persistent) candidate list, kept between
    visits: loads only grow, so a member still at ``low`` is still least loaded.

    Picks are exactly those of :func:`least_loaded` – ties in candidate order,
    one ``randbelow`` per pick – without a pass over the whole list per pick
    (a draw staffs 30,000 visits from lists of a few hundred officers).
    """

    __slots__ = ("cands", "low", "ties")

    def __init__(self, cands: list[int]) -> None:
        self.cands, self.low, self.ties = cands, -1, []

    def pick(self, count: int, taken: set[int], load: list[int], stream: Stream) -> list[int]:
        out: list[int] = []
        fresh = False  # whether this call recomputed the ties
        for n in range(count):
            low = self.low
            if n == 0:
                # Drop members that moved up (kept dropped: the list shrinks as loads grow).
                ties = self.ties = [i for i in self.ties if load[i] == low]
            else:
                # Within one call only the previous pick moved up: the same
                # as the filter above, without a pass (self.ties is our own list).
                ties = self.ties
                try:
                    ties.remove(out[-1])
                except ValueError:  # it was not among the ties
                    pass
            # This call's earlier picks moved up too, unless the ties were recomputed since.
            exclude = taken.union(out) if fresh else taken
            cands = [i for i in ties if i not in exclude] if exclude else ties
            if not cands:
                # Every cached tie moved up (or is excluded): recompute over the list.
                fresh = True
                self.low = low = min(map(load.__getitem__, self.cands))
                self.ties = ties = [i for i in self.cands if load[i] == low]
                exclude = taken.union(out)
                cands = [i for i in ties if i not in exclude] if exclude else ties
                if not cands:  # the least loaded are all excluded: this pick only
                    free = [i for i in self.cands if i not in exclude]
                    low = min(map(load.__getitem__, free))
                    cands = [i for i in free if load[i] == low]
            pick = cands[stream.randbelow(len(cands))]
            load[pick] += 1
            out.append(pick)
        return out
