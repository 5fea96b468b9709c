"""A path converter for section and criterion refs: a segment that cannot be a ref never reaches a view."""

from standards.loader.schema import REF_MAX_LENGTH, REF_PATTERN


class RefConverter:
    """Match a ref as the framework loader allows it (letters, digits, dots, hyphens, underscores)."""

    regex = REF_PATTERN

    def to_python(self, value: str) -> str:
        if len(value) > REF_MAX_LENGTH:
            raise ValueError("longer than any ref")  # Django reads ValueError as "no match": 404
        return value

    def to_url(self, value: str) -> str:
        return value
