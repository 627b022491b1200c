"""Errors the UI shows. ``message`` is plain Chinese for the inspector."""

from __future__ import annotations


class CoreError(Exception):
    """Base class; ``str(err)`` is the Chinese message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotLoggedInError(CoreError):
    def __init__(self, message: str = "尚未登录，请先联网登录") -> None:
        super().__init__(message)


class AuthRequiredError(CoreError):
    """The server refused the token (401): log in again. Nothing was lost."""

    def __init__(self, message: str = "登录已失效，请重新登录；记录已保存在本机，不会丢失") -> None:
        super().__init__(message)


class OfflineError(CoreError):
    def __init__(self, message: str = "无法连接服务器，记录已保存在本机，稍后自动重试") -> None:
        super().__init__(message)


class RecordLockedError(CoreError):
    def __init__(self, message: str = "该检查记录已完成并锁定，不能再修改") -> None:
        super().__init__(message)


class IncompleteRecordError(CoreError):
    """``finish`` refused: ``problems`` lists what is missing, one Chinese line each."""

    def __init__(self, problems: list[str], lead: str = "检查记录尚不完整") -> None:
        super().__init__(lead + "：" + "；".join(problems))
        self.problems = problems


class UnsentRecordsError(CoreError):
    def __init__(self, count: int) -> None:
        super().__init__(f"本机还有{count}份检查记录未上传到服务器，确认要清除吗？清除后无法恢复")
        self.count = count


class EvidenceError(CoreError):
    """A file that cannot be used as evidence (not an image, truncated, too large…)."""


class PinError(CoreError):
    pass


class PinLockedError(PinError):
    """Too many wrong PINs in a row: wait, still offline (the token is kept)."""
