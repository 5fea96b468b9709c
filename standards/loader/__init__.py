"""Read framework files (YAML, CSV, XLSX) into plain data, checking every rule; write them back as YAML.

Nothing here touches the database. ``parse_yaml`` and ``parse_spreadsheet`` return a ``FrameworkFile``
(or ``None``) and the list of every ``Problem`` found, each naming the file, the line or row, and the
field. ``standards.services.framework_version_load`` then checks the data against the database and
writes it. The format is documented in docs/framework-format.md.

The modules, by noun: ``data`` (the plain structure), ``yaml`` (YAML with line numbers), ``schema``
(the keys each block allows and the reader that checks values), ``checks`` (building and checking the
whole file), ``spreadsheet`` (CSV and XLSX) and ``export`` (stored versions and YAML out).
"""

from standards.loader.checks import build
from standards.loader.data import (
    Continuation,
    CriterionData,
    FrameworkData,
    FrameworkFile,
    FrameworkFileInvalid,
    LevelData,
    LineDict,
    Problem,
    ScaleData,
    SectionData,
    VersionData,
)
from standards.loader.export import data_to_tree, dump_yaml, version_to_data
from standards.loader.schema import (
    CONTINUE_CHANGES,
    CONTINUES_KEYS,
    CRITERION_KEYS,
    FRAMEWORK_KEYS,
    LA_CODE_RE,
    LEVEL_KEYS,
    MAX_EVIDENCE,
    REF_RE,
    SCALE_KEYS,
    SECTION_KEYS,
    SLUG_RE,
    TOP_KEYS,
    VERSION_KEYS,
)
from standards.loader.spreadsheet import (
    DEFAULT_SCALE,
    SPREADSHEET_OPTIONAL,
    SPREADSHEET_REQUIRED,
    SpreadsheetMeta,
    parse_spreadsheet,
)
from standards.loader.yaml import parse_yaml

__all__ = [
    "CONTINUES_KEYS",
    "CONTINUE_CHANGES",
    "CRITERION_KEYS",
    "DEFAULT_SCALE",
    "FRAMEWORK_KEYS",
    "LA_CODE_RE",
    "LEVEL_KEYS",
    "MAX_EVIDENCE",
    "REF_RE",
    "SCALE_KEYS",
    "SECTION_KEYS",
    "SLUG_RE",
    "SPREADSHEET_OPTIONAL",
    "SPREADSHEET_REQUIRED",
    "TOP_KEYS",
    "VERSION_KEYS",
    "Continuation",
    "CriterionData",
    "FrameworkData",
    "FrameworkFile",
    "FrameworkFileInvalid",
    "LevelData",
    "LineDict",
    "Problem",
    "ScaleData",
    "SectionData",
    "SpreadsheetMeta",
    "VersionData",
    "build",
    "data_to_tree",
    "dump_yaml",
    "parse_spreadsheet",
    "parse_yaml",
    "version_to_data",
]
