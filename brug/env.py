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


def get_float(name: str, default: float) -> float:
    """Return ``BRUG_<name>`` read as a number."""
    raw = get(name)
    return float(raw) if raw else default


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

    The key is written to a temporary file which is then hard-linked into
    place: the link fails when the file exists, so when several processes
    start at the same moment exactly one key wins, and nobody ever reads a
    half-written file. The losers read the winner's key.
    """
    explicit = get("SECRET_KEY")
    if explicit:
        return explicit
    path = directory / "secret_key"
    if path.exists():
        key = path.read_text().strip()
        if key:
            return key
    key = secrets.token_urlsafe(50)
    temporary = directory / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            key = path.read_text().strip()
    finally:
        temporary.unlink(missing_ok=True)
    if not key:
        raise RuntimeError(f"{path} is empty: delete it and start again")
    return key


def public_url() -> tuple[str, str, str]:
    """Return (url without trailing slash, scheme, host) of ``BRUG_PUBLIC_URL``.

    Without it, the address ``brug run`` listens on (``BRUG_HOST``/``BRUG_PORT``).
    """
    host = get("HOST", "127.0.0.1")
    if host in {"0.0.0.0", "::", ""}:  # noqa: S104 - listening everywhere, linking locally
        host = "127.0.0.1"
    url = get("PUBLIC_URL", f"http://{host}:{get_int('PORT', 8000)}").rstrip("/")
    parts = urlsplit(url)
    return url, parts.scheme or "http", parts.hostname or "127.0.0.1"
