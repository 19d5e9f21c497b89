"""The type reference formats as entries of :data:`kdocs.gen.FORMATS`, so ``kdocs gen all``
and rule G001 handle them like the CLI formats when ``[tool.kdocs.gen] formats`` names them.

``kdocs gen openapi|examples|types`` itself runs through :mod:`kdocs.gen.run_types`, which
also prints what the static model could not resolve; here those notes stay in the documents
(``x-kdocs-unresolved``), as they do there.
"""

from __future__ import annotations

from kdocs.gen import GenSettings
from kdocs.gen.run_types import generate
from kdocs.models.types import TypesModel


def _identity(settings: GenSettings) -> tuple[str, str]:
    """Title and version of the document: the ``source`` setting (``name version``)."""
    name, _, version = (settings.source or "").partition(" ")
    return name, version


def openapi(model: TypesModel, settings: GenSettings) -> dict[str, str]:
    if not model.types:
        return {}  # a project without API types: nothing to document (as for the CLI formats)
    title, version = _identity(settings)
    files, _notes = generate("openapi", model, title=title, version=version)
    return files


def examples(model: TypesModel, settings: GenSettings) -> dict[str, str]:
    if not model.types:
        return {}
    files, _notes = generate("examples", model)
    return files


def types_reference(model: TypesModel, settings: GenSettings) -> dict[str, str]:
    if not model.types:
        return {}
    files, _notes = generate("types", model, single=settings.single_file)
    return files
