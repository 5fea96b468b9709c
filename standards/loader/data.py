"""The plain structure a framework file is read into, and the problems found on the way."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# --- the plain structure -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where it is and what to do about it."""

    source: str
    line: int | None
    where: str
    message: str
    unit: str = "line"  # "row" for spreadsheets

    def __str__(self) -> str:
        place = f"{self.source}, {self.unit} {self.line}" if self.line else self.source
        return f"{place}: {self.where}: {self.message}" if self.where else f"{place}: {self.message}"


@dataclass
class Continuation:
    ref: str
    change: str


@dataclass
class CriterionData:
    ref: str
    statement: str
    guidance: str = ""
    evidence: list[str] = field(default_factory=list)
    statutory: bool = False
    statutory_guidance: bool = False
    statutory_source: str = ""
    area_of_need: str = ""  # resolved: the criterion's own, else its section's
    tier: str = ""
    continues: list[Continuation] = field(default_factory=list)
    line: int | None = field(default=None, compare=False)


@dataclass
class SectionData:
    ref: str
    title: str
    kind: str
    area_of_need: str = ""
    description: str = ""
    criteria: list[CriterionData] = field(default_factory=list)
    sections: list[SectionData] = field(default_factory=list)
    line: int | None = field(default=None, compare=False)


@dataclass
class FrameworkData:
    slug: str
    title: str
    publisher: str
    la_code: str = ""
    description: str = ""
    rated_by: str = "school_staff"
    line: int | None = field(default=None, compare=False)


@dataclass
class VersionData:
    label: str
    status: str
    published_on: date | None = None
    previous: str = ""
    notes: str = ""
    line: int | None = field(default=None, compare=False)


@dataclass
class LevelData:
    value: int
    label: str
    descriptor: str


@dataclass
class ScaleData:
    allow_not_applicable: bool
    levels: list[LevelData]
    met_value: int | None = None  # the level at which a statutory duty counts as met


@dataclass
class FrameworkFile:
    """A whole framework version as plain data, checked against the schema."""

    framework: FrameworkData
    version: VersionData
    scale: ScaleData
    sections: list[SectionData]
    retired: list[str] = field(default_factory=list)
    source: str = field(default="", compare=False)
    unit: str = field(default="line", compare=False)
    retired_line: int | None = field(default=None, compare=False)

    def walk_sections(self) -> list[tuple[SectionData, SectionData | None]]:
        """Return (section, parent) pairs, depth first, in file order."""
        out: list[tuple[SectionData, SectionData | None]] = []

        def visit(sections: list[SectionData], parent: SectionData | None) -> None:
            for section in sections:
                out.append((section, parent))
                visit(section.sections, section)

        visit(self.sections, None)
        return out

    def criteria(self) -> list[tuple[CriterionData, SectionData]]:
        """Return (criterion, section) pairs in file order."""
        return [(c, s) for s, _ in self.walk_sections() for c in s.criteria]

    def problem(self, line: int | None, where: str, message: str) -> Problem:
        return Problem(self.source, line, where, message, self.unit)


class FrameworkFileInvalid(Exception):
    """The file breaks the rules; ``problems`` lists every one."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class LineDict(dict):
    """A mapping that remembers the line it starts on and the line of each key."""

    line: int | None = None
    key_lines: dict

    def line_of(self, key: str) -> int | None:
        return self.key_lines.get(key, self.line)
