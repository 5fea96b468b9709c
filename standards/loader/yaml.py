"""Read framework YAML with line numbers, so every problem can name its line."""

from __future__ import annotations

from datetime import date

import yaml

from standards.loader.checks import build
from standards.loader.data import FrameworkFile, LineDict, Problem

# --- YAML with line numbers -----------------------------------------------------------------------------


class _LineLoader(yaml.SafeLoader):
    """A SafeLoader whose mappings record line numbers and duplicate keys, and that refuses aliases."""

    def __init__(self, stream):
        super().__init__(stream)
        self.duplicates: list[tuple[int, str]] = []

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in framework files", event.start_mark
            )
        return super().compose_node(parent, index)


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, str | int | bool | float | date) or key is None:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain word", key_node.start_mark
            )
        key = str(key)
        if key in mapping:
            loader.duplicates.append((line, key))
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class _BadValue(yaml.constructor.ConstructorError):
    """A scalar YAML reads as a date, time or number, but which cannot be one (2026-02-30, 5,000 digits)."""


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode):
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        kind = "date" if len(node.value.strip()) <= 10 else "date and time"
        raise _BadValue(None, None, f"'{node.value}' is not a real {kind}", node.start_mark) from None


MAX_INT_BITS = 63  # no number in a framework comes near; larger ones only break what reads them


def _construct_int(loader: _LineLoader, node: yaml.ScalarNode):
    try:
        value = yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)
    except ValueError:  # Python refuses to read a decimal integer of more than 4,300 digits
        value = None
    if value is None or value.bit_length() > MAX_INT_BITS:
        # Counted, not converted: Python cannot even write such a number back out as text.
        digits = sum(c.isalnum() for c in node.value.removeprefix("0x").removeprefix("0o"))
        raise _BadValue(None, None, f"a number of {digits} digits is too long", node.start_mark)
    return value


_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_LineLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def parse_yaml(text: str | bytes, *, source: str) -> tuple[FrameworkFile | None, list[Problem]]:
    """Parse and check a framework YAML file; return the data (None if invalid) and every problem."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None, [Problem(source, None, "", "the file is not UTF-8 text")]
    loader = None
    try:
        loader = _LineLoader(text)
        tree = loader.get_single_data()
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1 if isinstance(exc.position, int) else None
        return None, [
            Problem(source, line, "", f"the file holds a character YAML does not allow ({exc.character!r})")
        ]
    except _BadValue as exc:
        return None, [Problem(source, exc.problem_mark.line + 1, "", exc.problem)]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        what = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        message = f"the YAML is malformed: {what}" + (f" ({context})" if context else "")
        return None, [Problem(source, mark.line + 1 if mark else None, "", message)]
    except RecursionError:
        return None, [Problem(source, None, "", "the YAML is nested too deeply")]
    finally:
        if loader is not None:
            loader.dispose()
    problems = [
        Problem(source, line, "", f"the key '{key}' appears twice in the same block; keep one")
        for line, key in loader.duplicates
    ]
    data, more = build(tree, source=source, unit="line")
    problems = sorted(problems + more, key=lambda p: p.line or 0)
    return (data if not problems else None), problems
