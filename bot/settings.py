"""One typed settings object for the front door, read from the environment."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _secret(state_dir: Path) -> bytes:
    """SENDER_ID_SECRET, or for local runs a random key kept in the state folder (created once, mode 600)."""
    env = os.environ.get("SENDER_ID_SECRET")
    if env:
        return env.encode()
    path = state_dir / "sender_id_secret"
    if not path.exists():
        state_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def _hours(value: str) -> tuple[str, str]:
    """'09:00-21:00' -> ('09:00', '21:00'), Riga time; '00:00-24:00' means always."""
    start, _, end = value.replace("–", "-").partition("-")
    start, end = start.strip().zfill(5), end.strip().zfill(5)
    for t in (start, end):
        hh, _, mm = t.partition(":")
        if not (hh.isdigit() and mm.isdigit() and 0 <= int(hh) <= 24 and 0 <= int(mm) < 60):
            raise ValueError(f"TRIAGE_HOURS must look like 09:00-21:00, got {value!r}")
    return start, end


@dataclass(frozen=True)
class Settings:
    """Everything the front door needs; secrets never appear in repr."""

    rasa_urls: tuple[str, ...]
    rasa_timeout: float
    telegram_token: str | None
    telegram_base_url: str | None
    sender_secret: bytes
    tracker_db_url: str | None
    knowledge_db_url: str | None
    max_text_chars: int
    rate_per_minute: int = 20
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_port: int = 8443
    crisis_model: bool = True
    admin_ids: frozenset[int] = frozenset()
    volunteer_chat_id: int | None = None
    triage_hours: tuple[str, str] = ("09:00", "21:00")
    triage_reannounce_minutes: float = 10
    triage_expire_hours: float = 72
    triage_retention_days: float = 30
    triage_audit_retention_days: float = 365
    triage_tick_seconds: float = 20
    triage_stale_seconds: float = 60

    def __repr__(self) -> str:  # keep tokens and keys out of any log line
        return f"Settings(rasa_urls={self.rasa_urls}, telegram={'on' if self.telegram_token else 'off'})"

    @classmethod
    def from_env(cls) -> "Settings":
        """Read the environment (see .env.example)."""
        state = Path(os.environ.get("STATE_DIR", ROOT / ".state"))
        urls = os.environ.get("RASA_URLS") or f"http://127.0.0.1:{os.environ.get('RASA_PORT', '5005')}"
        return cls(
            rasa_urls=tuple(u.strip().rstrip("/") for u in urls.split(",") if u.strip()),
            rasa_timeout=float(os.environ.get("RASA_TIMEOUT", "4.0")),
            telegram_token=os.environ.get("TELEGRAM_BOT_TOKEN") or None,
            telegram_base_url=os.environ.get("TELEGRAM_BASE_URL") or None,
            sender_secret=_secret(state),
            tracker_db_url=os.environ.get("TRACKER_DB_URL") or None,
            knowledge_db_url=os.environ.get("KNOWLEDGE_DB_URL") or None,
            max_text_chars=int(os.environ.get("MAX_TEXT_CHARS", "1000")),
            rate_per_minute=int(os.environ.get("RATE_PER_MINUTE", "20")),
            webhook_url=os.environ.get("TELEGRAM_WEBHOOK_URL") or None,
            webhook_secret=os.environ.get("TELEGRAM_WEBHOOK_SECRET") or None,
            webhook_port=int(os.environ.get("TELEGRAM_WEBHOOK_PORT", "8443")),
            crisis_model=os.environ.get("CRISIS_MODEL", "on") != "off",
            admin_ids=frozenset(int(x) for x in os.environ.get("ADMIN_TELEGRAM_IDS", "").replace(",", " ").split()),
            volunteer_chat_id=int(os.environ["VOLUNTEER_CHAT_ID"]) if os.environ.get("VOLUNTEER_CHAT_ID") else None,
            triage_hours=_hours(os.environ.get("TRIAGE_HOURS", "09:00-21:00")),
            triage_reannounce_minutes=float(os.environ.get("TRIAGE_REANNOUNCE_MINUTES", "10")),
            triage_expire_hours=float(os.environ.get("TRIAGE_EXPIRE_HOURS", "72")),
            triage_retention_days=float(os.environ.get("TRIAGE_RETENTION_DAYS", "30")),
            triage_audit_retention_days=float(os.environ.get("TRIAGE_AUDIT_RETENTION_DAYS", "365")),
            triage_tick_seconds=float(os.environ.get("TRIAGE_TICK_SECONDS", "20")),
            triage_stale_seconds=float(os.environ.get("TRIAGE_STALE_SECONDS", "60")),
        )
