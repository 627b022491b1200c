"""All tables. Import order does not matter; every module registers with ``db``."""

from .audit import AuditLog  # noqa: F401
from .calendar import CalendarYear  # noqa: F401
from .case import (  # noqa: F401,E501
    BlacklistProposal,
    Case,
    CaseEvent,
    CaseHazard,
    DossierVersion,
    EnterpriseCredit,
    Reinspection,
)
from .document import CaseDocument, DocumentSequence  # noqa: F401
from .draw import DrawFreeze, DrawPool, DrawRecord, Visit, VisitMember  # noqa: F401
from .enterprise import Enterprise  # noqa: F401
from .expert import Expert, SpecialtyMapping  # noqa: F401
from .inspector import Inspector  # noqa: F401
from .item import CheckItem, ItemListVersion  # noqa: F401
from .plan import Plan, Task  # noqa: F401
from .publication import PublicationResult  # noqa: F401
from .sync import Blob, Dispatch, DispatchEvent, SyncRecord, SyncRecordVersion  # noqa: F401
from .transparency import LogHead, PublicDrawFile  # noqa: F401
from .user import ConsoleSession, DeviceToken, User  # noqa: F401
