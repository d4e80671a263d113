"""One typed settings object for the front door, read from the environment."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from personal.registry import Retention

ROOT = Path(__file__).resolve().parent.parent
MIN_SECRET_BYTES = 32


def _key(state_dir: Path, variable: str, filename: str) -> bytes:
    """A secret from the environment, or for local runs a random one kept in the state folder (created once, mode
    600). A value shorter than 32 bytes, or one that starts with '#' (a comment an env-file parser kept as the
    value), is refused: a guessable key would make the pseudonyms (or the chat references) computable."""
    env = os.environ.get(variable)
    if env is not None and env != "":
        if len(env.encode()) < MIN_SECRET_BYTES or env.lstrip().startswith("#"):
            raise SystemExit(f"{variable} must be a random value of at least {MIN_SECRET_BYTES} bytes "
                             f"(e.g. `openssl rand -hex 32`), with no comment after it")
        return env.encode()
    path = state_dir / filename
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
            raise ValueError(f"HANDOFF_HOURS must look like 09:00-21:00, got {value!r}")
    return start, end


def _days(name: str, default: dt.timedelta) -> dt.timedelta:
    return dt.timedelta(days=float(os.environ.get(name, default.days)))


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
    telegram_rate_per_second: float = 30.0  # all chats together: Telegram's bulk limit (AIORateLimiter)
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_port: int = 8443
    crisis_model: bool = True
    sentence_vector_to_rasa: bool = True  # off only for a Rasa whose pipeline does not take it (the bench's stock)
    admin_ids: frozenset[int] = frozenset()
    volunteer_chat_id: int | None = None  # a volunteer group; without it, each volunteer is told directly
    chat_ref_key: bytes = b""
    handoff_hours: tuple[str, str] = ("09:00", "21:00")
    handoff_reannounce_minutes: float = 10
    handoff_expire_hours: float = 72
    handoff_per_day: int = 3  # requests a person may send to volunteers in 24 hours (a crisis always gets through)
    handoff_tick_seconds: float = 20
    handoff_stale_seconds: float = 60
    retention: Retention = field(default_factory=Retention)
    retention_tick_seconds: float = 3600
    forget_recheck_seconds: float | None = None  # the tombstone after /dzest; default: Rasa's timeout + 60 s
    morning_at: dt.time = dt.time(8, 0)  # Riga time of the morning reminder
    checkin_at: dt.time = dt.time(10, 0)  # Riga time of the next day's "did it work out?"
    reminder_tick_seconds: float = 30
    reports_dir: Path = ROOT / "reports"  # the monthly survey report (survey/report.py)

    def __repr__(self) -> str:  # keep tokens and keys out of any log line
        return f"Settings(rasa_urls={self.rasa_urls}, telegram={'on' if self.telegram_token else 'off'})"

    @property
    def forget_recheck(self) -> dt.timedelta:
        """How long after /dzest a turn that was under way may still write (Rasa's timeout plus its lock lifetime)."""
        seconds = self.forget_recheck_seconds if self.forget_recheck_seconds is not None else self.rasa_timeout + 60
        return dt.timedelta(seconds=seconds)

    @classmethod
    def from_env(cls) -> "Settings":
        """Read the environment (see .env.example)."""
        state = Path(os.environ.get("STATE_DIR", ROOT / ".state"))
        urls = os.environ.get("RASA_URLS") or f"http://127.0.0.1:{os.environ.get('RASA_PORT', '5005')}"
        default = Retention()
        return cls(
            rasa_urls=tuple(u.strip().rstrip("/") for u in urls.split(",") if u.strip()),
            rasa_timeout=float(os.environ.get("RASA_TIMEOUT", "4.0")),
            telegram_token=os.environ.get("TELEGRAM_BOT_TOKEN") or None,
            telegram_base_url=os.environ.get("TELEGRAM_BASE_URL") or None,
            sender_secret=_key(state, "SENDER_ID_SECRET", "sender_id_secret"),
            tracker_db_url=os.environ.get("TRACKER_DB_URL") or None,
            knowledge_db_url=os.environ.get("KNOWLEDGE_DB_URL") or None,
            max_text_chars=int(os.environ.get("MAX_TEXT_CHARS", "1000")),
            rate_per_minute=int(os.environ.get("RATE_PER_MINUTE", "20")),
            telegram_rate_per_second=float(os.environ.get("TELEGRAM_RATE_PER_SECOND", "30")),
            webhook_url=os.environ.get("TELEGRAM_WEBHOOK_URL") or None,
            webhook_secret=os.environ.get("TELEGRAM_WEBHOOK_SECRET") or None,
            webhook_port=int(os.environ.get("TELEGRAM_WEBHOOK_PORT", "8443")),
            crisis_model=os.environ.get("CRISIS_MODEL", "on") != "off",
            sentence_vector_to_rasa=os.environ.get("RASA_SENTENCE_VECTOR", "on") != "off",
            admin_ids=frozenset(int(x) for x in os.environ.get("ADMIN_TELEGRAM_IDS", "").replace(",", " ").split()),
            volunteer_chat_id=int(os.environ["VOLUNTEER_CHAT_ID"]) if os.environ.get("VOLUNTEER_CHAT_ID") else None,
            chat_ref_key=_key(state, "CHAT_REF_KEY", "chat_ref_key"),
            handoff_hours=_hours(os.environ.get("HANDOFF_HOURS", "09:00-21:00")),
            handoff_reannounce_minutes=float(os.environ.get("HANDOFF_REANNOUNCE_MINUTES", "10")),
            handoff_expire_hours=float(os.environ.get("HANDOFF_EXPIRE_HOURS", "72")),
            handoff_per_day=int(os.environ.get("HANDOFF_PER_DAY", "3")),
            handoff_tick_seconds=float(os.environ.get("HANDOFF_TICK_SECONDS", "20")),
            handoff_stale_seconds=float(os.environ.get("HANDOFF_STALE_SECONDS", "60")),
            retention=Retention(
                held=_days("HELD_RETENTION_DAYS", default.held),
                conversation=_days("CONVERSATION_RETENTION_DAYS", default.conversation),
                checklist=_days("CHECKLIST_RETENTION_DAYS", default.checklist),
                handoff=_days("HANDOFF_RETENTION_DAYS", default.handoff),
                handoff_audit=_days("HANDOFF_AUDIT_RETENTION_DAYS", default.handoff_audit),
                volunteers=_days("VOLUNTEER_RETENTION_DAYS", default.volunteers),
            ),
            retention_tick_seconds=float(os.environ.get("RETENTION_TICK_SECONDS", "3600")),
            forget_recheck_seconds=float(os.environ["FORGET_RECHECK_SECONDS"])
            if os.environ.get("FORGET_RECHECK_SECONDS") else None,
            morning_at=dt.time.fromisoformat(os.environ.get("MORNING_REMINDER_AT", "08:00")),
            checkin_at=dt.time.fromisoformat(os.environ.get("CHECKIN_AT", "10:00")),
            reminder_tick_seconds=float(os.environ.get("REMINDER_TICK_SECONDS", "30")),
            reports_dir=Path(os.environ.get("REPORTS_DIR", ROOT / "reports")),
        )
