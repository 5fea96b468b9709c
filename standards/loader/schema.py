"""The schema: which keys each block allows or needs, and the reader that checks values against it."""

from __future__ import annotations

import re

from standards.loader.data import LineDict, Problem

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REF_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]*"  # also the URL converter of refs (standards.converters)
REF_RE = re.compile(rf"^{REF_PATTERN}$")
REF_MAX_LENGTH = 40  # Section.ref and Criterion.ref
LA_CODE_RE = re.compile(r"^\d{3}$")
CONTINUE_CHANGES = ("same", "reworded", "split", "merged")
LEVEL_VALUE_RANGE = (-32768, 32767)  # ScaleLevel.value is a small integer in the database
NUL = "\x00"  # YAML's "\0" escape gives it; PostgreSQL refuses it in text
MAX_EVIDENCE = 3


# --- the schema -------------------------------------------------------------------------------------------

TOP_KEYS = {"framework": True, "version": True, "scale": True, "sections": True, "retired": False}
FRAMEWORK_KEYS = {"slug": True, "title": True, "publisher": True, "la_code": False, "description": False}
VERSION_KEYS = {"label": True, "status": True, "published_on": False, "previous": False, "notes": False}
SCALE_KEYS = {"allow_not_applicable": False, "levels": True}
LEVEL_KEYS = {"value": True, "label": True, "descriptor": True}
SECTION_KEYS = {
    "ref": True,
    "title": True,
    "kind": True,
    "area_of_need": False,
    "description": False,
    "criteria": False,
    "sections": False,
}
CRITERION_KEYS = {
    "ref": True,
    "statement": True,
    "guidance": False,
    "evidence": True,
    "statutory": True,
    "statutory_source": False,
    "area_of_need": False,
    "tier": False,
    "continues": False,
}
CONTINUES_KEYS = {"ref": True, "change": True}

_MISSING = object()


class _Reader:
    """Read values out of the raw tree, recording a problem for each rule broken."""

    def __init__(self, source: str, unit: str):
        self.source, self.unit = source, unit
        self.problems: list[Problem] = []

    def add(self, line: int | None, where: str, message: str) -> None:
        self.problems.append(Problem(self.source, line, where, message, self.unit))

    def mapping(self, value, where: str, keys: dict[str, bool], line: int | None) -> LineDict | None:
        if not isinstance(value, dict):
            self.add(line, where, f"expected a block of keys ({', '.join(keys)}), found {_kind(value)}")
            return None
        for key in value:
            if key not in keys:
                hint = " – criteria must be listed under a section" if key == "criteria" else ""
                self.add(
                    _line(value, key),
                    where,
                    f"unknown key '{key}' (allowed: {', '.join(keys)}){hint}",
                )
        for key, required in keys.items():
            if required and key not in value:
                self.add(getattr(value, "line", line), where, f"'{key}' is missing")
        return value

    def text(
        self,
        m: dict,
        key: str,
        where: str,
        *,
        required: bool = True,
        max_length: int | None = None,
        pattern: re.Pattern | None = None,
        pattern_hint: str = "",
        numbers_ok: bool = False,
    ) -> str:
        value = m.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required and value is None:
                self.add(_line(m, key), where, f"'{key}' must not be empty")
            return ""
        if numbers_ok and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.add(_line(m, key), where, f"'{key}' must be text, found {_kind(value)}")
            return ""
        value = value.strip()
        if NUL in value:
            self.add(_line(m, key), where, f"'{key}' contains a character that is not allowed (NUL)")
            return ""
        if required and not value:
            self.add(_line(m, key), where, f"'{key}' must not be empty")
        elif max_length and len(value) > max_length:
            self.add(_line(m, key), where, f"'{key}' is longer than {max_length} characters")
        elif value and pattern and not pattern.match(value):
            self.add(_line(m, key), where, f"'{key}' {pattern_hint}")
        return value

    def choice(self, m: dict, key: str, where: str, choices, *, required: bool = True) -> str:
        value = m.get(key)
        if value is None or value == "":
            if required and key in m:
                self.add(_line(m, key), where, f"'{key}' must be one of: {', '.join(choices)}")
            return ""
        if not isinstance(value, str) or value not in choices:
            self.add(_line(m, key), where, f"'{key}' must be one of: {', '.join(choices)} (found {value!r})")
            return ""
        return value

    def boolean(self, m: dict, key: str, where: str, *, default: bool | None = None) -> bool:
        value = m.get(key, default)
        if not isinstance(value, bool):
            if key in m:
                self.add(_line(m, key), where, f"'{key}' must be true or false (found {value!r})")
            return False
        return value

    def listing(self, m: dict, key: str, where: str, *, required: bool = True) -> list:
        value = m.get(key)
        if value is None:
            if required and key in m:
                self.add(_line(m, key), where, f"'{key}' must not be empty")
            return []
        if not isinstance(value, list):
            self.add(_line(m, key), where, f"'{key}' must be a list, found {_kind(value)}")
            return []
        if required and not value:
            self.add(_line(m, key), where, f"'{key}' must not be empty")
        return value


def _kind(value) -> str:
    if value is None:
        return "nothing"
    return {
        dict: "a block of keys",
        LineDict: "a block of keys",
        list: "a list",
        str: "text",
        bool: "true/false",
    }.get(type(value), f"a {type(value).__name__}")


def _line(m, key: str) -> int | None:
    return m.line_of(key) if isinstance(m, LineDict) else None
