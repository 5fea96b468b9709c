"""Turn a DATABASE_URL into a Django DATABASES entry (PostgreSQL and SQLite only)."""

from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit


def parse_database_url(url: str, *, base_dir: Path) -> dict:
    """Return the Django database settings for a postgres:// or sqlite:/// URL."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        # sqlite:///relative.db and sqlite:////absolute/path.db, as in the usual convention
        raw = unquote(parts.path[1:] if parts.path.startswith("/") else parts.path)
        path = Path(raw) if Path(raw).is_absolute() else base_dir / raw
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        options = dict(parse_qsl(parts.query))
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")) or "sendplan",
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": int(options.pop("conn_max_age", 60)),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ValueError(f"DATABASE_URL scheme {parts.scheme!r} is not supported (use postgres:// or sqlite:///)")
