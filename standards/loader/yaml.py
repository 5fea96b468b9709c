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
