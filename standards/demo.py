"""Demo data for the standards library: every shipped framework file under fixtures/frameworks/."""

from pathlib import Path

from django.conf import settings

from standards.loader import FrameworkFileInvalid, parse_yaml
from standards.services import framework_version_load

FRAMEWORKS_DIR = Path(settings.BASE_DIR) / "fixtures" / "frameworks"


def shipped_files() -> list[Path]:
    """Return the shipped framework files, each framework's versions in label order."""
    return sorted(FRAMEWORKS_DIR.glob("*/*.yaml"))


def seed(context) -> None:
    """Load every shipped framework version (idempotent: loaded versions are left as they are)."""
    for path in shipped_files():
        data, problems = parse_yaml(path.read_bytes(), source=str(path.relative_to(settings.BASE_DIR)))
        if problems:
            raise FrameworkFileInvalid(problems)
        framework_version_load(by=None, data=data)
