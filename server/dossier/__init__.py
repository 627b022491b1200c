"""一案一卷 dossier assembly and BagIt export: pure functions over given data and files."""

from server.dossier.bag import export_bag, verify_bag
from server.dossier.model import KIND_RANK, CaseData, DossierDocument, EvidencePhoto, infer_kind
from server.dossier.pdf import Dossier, TocEntry, build_dossier, build_dossier_pdf

__all__ = [
    "KIND_RANK",
    "CaseData",
    "Dossier",
    "DossierDocument",
    "EvidencePhoto",
    "TocEntry",
    "build_dossier",
    "build_dossier_pdf",
    "export_bag",
    "infer_kind",
    "verify_bag",
]
