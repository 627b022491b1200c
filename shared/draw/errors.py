"""The one exception a draw raises when its inputs make it impossible."""

from __future__ import annotations


class DrawError(ValueError):
    """A draw that cannot be carried out without breaking a rule.

    ``message`` is Chinese and names the enterprise (USCC and name) and the
    rule when one is involved, so the office can fix the registry or the
    policy instead of guessing.  The draw never relaxes a rule by itself.
    """

    def __init__(self, message: str, *, uscc: str | None = None, name: str | None = None,
                 rule: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.uscc = uscc
        self.name = name
        self.rule = rule
