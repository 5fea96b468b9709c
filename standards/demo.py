"""Demo data for the standards library: every shipped framework file under fixtures/frameworks/."""

import re
from pathlib import Path

from django.conf import settings

from standards.loader import FrameworkFileInvalid, parse_yaml
from standards.services import framework_version_load

FRAMEWORKS_DIR = Path(settings.BASE_DIR) / "fixtures" / "frameworks"


def shipped_files() -> list[Path]:
    """Return the shipped framework files, each framework's versions in label order (2026 before 2026.1)."""
    return sorted(FRAMEWORKS_DIR.glob("*/*.yaml"), key=_label_order)


def _label_order(path: Path) -> tuple:
    # Numbers compare as numbers, so a version comes before the versions that follow it.
    return (path.parent.name, tuple(int(n) for n in re.findall(r"\d+", path.stem)), path.stem)


def seed(context) -> None:
    """Load every shipped framework version (idempotent: loaded versions are left as they are)."""
    for path in shipped_files():
        data, problems = parse_yaml(path.read_bytes(), source=str(path.relative_to(settings.BASE_DIR)))
        if problems:
            raise FrameworkFileInvalid(problems)
        framework_version_load(by=None, data=data)
