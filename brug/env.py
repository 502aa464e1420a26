"""Read Brug's settings from ``BRUG_*`` environment variables.

Every setting has an embedded default so that Brug runs on one machine with no
servers. Nothing here touches Django; ``settings.py`` calls these helpers.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit


def get(name: str, default: str = "") -> str:
    """Return ``BRUG_<name>`` or the default."""
    return os.environ.get(f"BRUG_{name}", default).strip()


def get_bool(name: str, default: bool = False) -> bool:
    """Return ``BRUG_<name>`` read as a boolean (1/true/yes/on)."""
    raw = get(name)
    if not raw:
        return default
    return raw.lower() in {"1", "true", "yes", "on"}


def get_int(name: str, default: int) -> int:
    """Return ``BRUG_<name>`` read as an integer."""
    raw = get(name)
    return int(raw) if raw else default


def get_list(name: str, default: str = "") -> list[str]:
    """Return ``BRUG_<name>`` split on commas, empty items dropped."""
    return [item.strip() for item in get(name, default).split(",") if item.strip()]


def data_dir() -> Path:
    """Return the data directory (SQLite file, uploads, secret key), creating it."""
    path = Path(get("DATA_DIR", "./var")).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(directory: Path) -> str:
    """Return ``BRUG_SECRET_KEY`` or a key generated once into the data directory.

    The file is created with ``O_EXCL`` so that two processes starting at the
    same time agree on one key: the loser of the race reads the winner's file.
    """
    explicit = get("SECRET_KEY")
    if explicit:
        return explicit
    path = directory / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):
            key = path.read_text().strip()
            if key:
                return key
            import time

            time.sleep(0.05)
        raise RuntimeError(f"{path} exists but is empty") from None
    key = secrets.token_urlsafe(50)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def public_url() -> tuple[str, str, str]:
    """Return (url without trailing slash, scheme, host) of ``BRUG_PUBLIC_URL``."""
    url = get("PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
    parts = urlsplit(url)
    return url, parts.scheme or "http", parts.hostname or "127.0.0.1"
