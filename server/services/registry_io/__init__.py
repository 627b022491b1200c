"""Import and export of the four registries (两库一单 + 专家库)."""

from .exporter import export_registry
from .importer import (
    ImportFailed,
    ImportPreview,
    ImportResult,
    ImportStale,
    import_registry,
    preview_registry,
)
from .specs import SPECS

__all__ = ["SPECS", "ImportFailed", "ImportPreview", "ImportResult", "ImportStale",
           "export_registry", "import_registry", "preview_registry"]
