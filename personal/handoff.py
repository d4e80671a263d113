"""The handoff's storage: requests to volunteers, each change in its own transaction (the volunteers and the audit
log are its base class, personal/volunteers.py).

State changes are single conditional UPDATEs (`... WHERE status = 'new'`), so two volunteers pressing "claim" at
once, or a Telegram update delivered twice after a crash, change a request once. A partial unique index keeps one
open request per person and queue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import case, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from knowledge.db import affected, aware, now_utc as _now, session_scope
from personal import rows, tombstone
from personal.crypto import ChatRefCipher
from personal.models import OPEN_STATUSES, HandoffAudit, HandoffRequest, Volunteer
from personal.volunteers import Roster

DRAFT_LIFETIME = dt.timedelta(days=1)
# Announcing is an outbox in two timestamps: not started (fresh), started but not confirmed (sending), confirmed.
_FRESH = HandoffRequest.announce_started_at.is_(None)
_SENDING = HandoffRequest.announce_started_at.is_not(None) & HandoffRequest.announced_at.is_(None)
PERSON_TEXT_LIMIT = 500
NOTE_LIMIT = 500


@dataclass(frozen=True)
class RequestView:
    """A help request as the rest of the system sees it (a detached copy of the row)."""

    id: int
    sender: str
    channel: str
    chat_ref: str | None
    queue: str
    category: str
    urgency: int
    municipality: str | None
    language: str
    topics: tuple[str, ...]
    shown: tuple[str, ...]
    person_text: str | None
    awaiting_text: bool
    status: str
    volunteer_id: int | None
    notes: tuple[dict, ...]
    created_at: dt.datetime
    updated_at: dt.datetime
    claimed_at: dt.datetime | None
    announced_at: dt.datetime | None
    requester: str | None = None  # whom the writer asks for ("son", "client"); None: for themselves

    @classmethod
    def of(cls, r: HandoffRequest, cipher: ChatRefCipher | None = None) -> "RequestView":
        """A detached copy; the chat reference opened only when a cipher is given (to deliver a reply)."""
        chat_ref = cipher.open(r.chat_ref) if cipher is not None else None
        return cls(r.id, r.sender, r.channel, chat_ref, r.queue, r.category, r.urgency, r.municipality, r.language,
                   tuple(r.topics or ()), tuple(r.shown or ()), r.person_text, bool(r.awaiting_text), r.status,
                   r.volunteer_id, tuple(r.notes or ()), aware(r.created_at), aware(r.updated_at),
                   aware(r.claimed_at), aware(r.announced_at), r.requester)


@dataclass(frozen=True)
class Announcement:
    """A request to announce; `repeat` when an earlier attempt may or may not have reached the volunteers."""

    request: RequestView
    repeat: bool


class Gone(Exception):
    """The person asked to be forgotten a moment ago: nothing new is stored for them."""


class HandoffStore(Roster):
    """SQL storage of the queue on the knowledge database (SQLite by default, PostgreSQL when scaled out). Chat
    references are stored sealed with the cipher and opened only to deliver a reply."""

    def __init__(self, url: str | None, cipher: ChatRefCipher):
        self.url = url
        self._cipher = cipher

    def _view(self, row: HandoffRequest) -> RequestView:
        return RequestView.of(row, self._cipher)

    # --- the person's side -------------------------------------------------------------------------------------
    def draft(self, *, sender: str, channel: str, chat_ref: str | None, queue: str, category: str, urgency: int,
              municipality: str | None, language: str, topics: list[str], shown: list[str],
              now: dt.datetime | None = None, requester: str | None = None) -> RequestView:
        """A new draft (replacing the person's older drafts in that queue): nothing is shared yet."""
        now = now or _now()
        if tombstone.is_buried(self.url, sender):
            raise Gone()
        # A report of a wrong listing never needs a reply: no chat reference is kept for it at all.
        sealed = self._cipher.seal(chat_ref) if queue == "help" else None
        with session_scope(self.url) as s:
            s.execute(delete(HandoffRequest).where(HandoffRequest.sender == sender, HandoffRequest.queue == queue,
                                                HandoffRequest.status == "draft"))
            row = HandoffRequest(sender=sender, channel=channel, chat_ref=sealed, queue=queue, category=category,
                              urgency=urgency, municipality=municipality, language=language, requester=requester,
                              topics=topics,
                              shown=shown, person_text=None, awaiting_text=False, status="draft", notes=[],
                              created_at=now, updated_at=now)
            s.add(row)
            s.flush()
            return self._view(row)

    def report_listing(self, service_id: str, municipality: str | None, shown: str,
                       now: dt.datetime | None = None) -> RequestView | None:
        """A listing that check-ins said was closed or full, to the volunteers' /labojumi: reported on behalf of
        nobody (its 'sender' names the listing, so one stays open per listing at a time)."""
        sender = f"listing:{service_id}"[:64]
        draft = self.draft(sender=sender, channel="system", chat_ref=None, queue="moderation",
                           category="report_error", urgency=1, municipality=municipality, language="lv", topics=[],
                           shown=[shown], now=now)  # urgency 1: above a person's report, people are sent there
        outcome, request = self.consent(draft.id, sender, now)
        return request if outcome == "created" else None

    def get(self, request_id: int) -> RequestView | None:
        """One request by number."""
        with session_scope(self.url) as s:
            row = s.get(HandoffRequest, request_id)
            return self._view(row) if row else None

    def intercepting(self, sender: str) -> RequestView | None:
        """The request the person's next message belongs to, if any: a draft waiting for their own words, or a
        conversation a volunteer holds. One query: it runs for every message."""
        with session_scope(self.url) as s:
            row = s.scalars(select(HandoffRequest).where(
                HandoffRequest.sender == sender,
                or_((HandoffRequest.status == "draft") & HandoffRequest.awaiting_text.is_(True),
                    HandoffRequest.status.in_(("claimed", "waiting")) & (HandoffRequest.queue == "help")
                    & HandoffRequest.volunteer_id.is_not(None)),
            ).order_by((HandoffRequest.status == "draft").desc())).first()  # a pending draft's words come first
            return self._view(row) if row else None

    def want_text(self, request_id: int, sender: str) -> RequestView | None:
        """The person chose to add their own words: the next message is taken as that."""
        return self._update_draft(request_id, sender, awaiting_text=True)

    def set_text(self, request_id: int, sender: str, words: str) -> RequestView | None:
        """Keep the person's own words on the draft (shortened), and stop waiting for them."""
        return self._update_draft(request_id, sender, person_text=words[:PERSON_TEXT_LIMIT], awaiting_text=False)

    def _update_draft(self, request_id: int, sender: str, **values) -> RequestView | None:
        with session_scope(self.url) as s:
            row = s.get(HandoffRequest, request_id)
            if row is None or row.sender != sender or row.status != "draft":
                return None
            for k, v in values.items():
                setattr(row, k, v)
            row.updated_at = _now()
            return self._view(row)

    def consent(self, request_id: int, sender: str, now: dt.datetime | None = None) -> tuple[str, RequestView | None]:
        """The person agreed to share the draft: ('created' | 'already' | 'open' | 'gone', the request).

        'already': this draft was sent before (a second press, or the same update after a restart). 'open': the
        person already has an open request in this queue; that one is returned and the draft is dropped.
        """
        now = now or _now()
        with session_scope(self.url) as s:
            row = s.get(HandoffRequest, request_id)
            if row is None or row.sender != sender:
                return "gone", None
            if row.status != "draft":
                return "already", self._view(row)
            queue = row.queue
        try:
            with session_scope(self.url) as s:
                done = affected(s.execute(update(HandoffRequest).where(HandoffRequest.id == request_id, HandoffRequest.status == "draft")
                                 .values(status="new", awaiting_text=False, consented_at=now, updated_at=now)))
            if done:
                return "created", self.get(request_id)
            return "already", self.get(request_id)
        except IntegrityError:  # the unique index: an open request of this person in this queue exists
            with session_scope(self.url) as s:
                s.execute(delete(HandoffRequest).where(HandoffRequest.id == request_id, HandoffRequest.status == "draft"))
            return "open", self.open_request(sender, queue)

    def cancel(self, request_id: int, sender: str) -> bool:
        """The person said no: the draft is deleted."""
        with session_scope(self.url) as s:
            return bool(affected(s.execute(delete(HandoffRequest).where(HandoffRequest.id == request_id, HandoffRequest.sender == sender,
                                                            HandoffRequest.status == "draft"))))

    def open_request(self, sender: str, queue: str = "help") -> RequestView | None:
        """The person's open request in a queue (new, claimed or waiting)."""
        with session_scope(self.url) as s:
            row = s.scalars(select(HandoffRequest).where(HandoffRequest.sender == sender, HandoffRequest.queue == queue,
                                                      HandoffRequest.status.in_(OPEN_STATUSES))).first()
            return self._view(row) if row else None

    def person_wrote(self, request_id: int) -> None:
        """The person answered: the ball is with the volunteer again."""
        back = case((HandoffRequest.status == "waiting", "claimed"), else_=HandoffRequest.status)
        with session_scope(self.url) as s:
            s.execute(update(HandoffRequest).where(HandoffRequest.id == request_id).values(status=back, updated_at=_now()))

    # --- the volunteers' side ----------------------------------------------------------------------------------
    def queue(self, queue: str = "help") -> list[RequestView]:
        """Open requests, most urgent first, then the longest waiting."""
        with session_scope(self.url) as s:
            rows = s.scalars(select(HandoffRequest).where(HandoffRequest.queue == queue,
                                                       HandoffRequest.status.in_(OPEN_STATUSES))
                             .order_by(HandoffRequest.urgency, HandoffRequest.consented_at, HandoffRequest.id)).all()
            return [self._view(r) for r in rows]

    def claim(self, request_id: int, volunteer_id: int, now: dt.datetime | None = None) -> RequestView | None:
        """Take a new request; None when someone else was faster or it is not open."""
        now = now or _now()
        with session_scope(self.url) as s:
            done = affected(s.execute(update(HandoffRequest).where(HandoffRequest.id == request_id, HandoffRequest.status == "new")
                             .values(status="claimed", volunteer_id=volunteer_id, claimed_at=now,
                                     updated_at=now)))
        return self.get(request_id) if done else None

    def replied(self, request_id: int, volunteer_id: int) -> RequestView | None:
        """The volunteer wrote to the person: now waiting for the person. None unless it is this volunteer's."""
        with session_scope(self.url) as s:
            done = affected(s.execute(update(HandoffRequest).where(HandoffRequest.id == request_id,
                                                       HandoffRequest.volunteer_id == volunteer_id,
                                                       HandoffRequest.status.in_(("claimed", "waiting")))
                             .values(status="waiting", updated_at=_now())))
        return self.get(request_id) if done else None

    def close(self, request_id: int, status: str, volunteer_id: int | None = None,
              now: dt.datetime | None = None) -> RequestView | None:
        """Resolve, expire or withdraw an open request; the chat reference is dropped. With a volunteer id, only that
        volunteer's claimed request, or an unclaimed listing report, can be closed by them: an unclaimed help request
        (a crisis, perhaps) is never closed by a typo."""
        now = now or _now()
        cond = [HandoffRequest.id == request_id, HandoffRequest.status.in_(OPEN_STATUSES)]
        if volunteer_id is not None:
            cond.append(or_(HandoffRequest.volunteer_id == volunteer_id,
                            (HandoffRequest.status == "new") & (HandoffRequest.queue == "moderation")))
        with session_scope(self.url) as s:
            before = s.get(HandoffRequest, request_id)
            chat_ref = self._cipher.open(before.chat_ref) if before else None
            done = affected(s.execute(update(HandoffRequest).where(*cond).values(status=status, chat_ref=None, closed_at=now,
                                                                     updated_at=now)))
        if not done:
            return None
        view = self.get(request_id)
        # The caller still needs to tell the person once; the stored row no longer keeps where.
        return replace(view, chat_ref=chat_ref) if view else None

    def hand_back(self, request_id: int, volunteer_id: int) -> RequestView | None:
        """Give a claimed request back to the queue (it is announced again)."""
        with session_scope(self.url) as s:
            done = affected(s.execute(update(HandoffRequest).where(HandoffRequest.id == request_id,
                                                       HandoffRequest.volunteer_id == volunteer_id,
                                                       HandoffRequest.status.in_(("claimed", "waiting")))
                             .values(status="new", volunteer_id=None, claimed_at=None, announce_started_at=None,
                                     announced_at=None,
                                     updated_at=_now())))
        return self.get(request_id) if done else None

    def add_note(self, request_id: int, author: str, words: str) -> bool:
        """An internal note, seen only by volunteers."""
        with session_scope(self.url) as s:
            row = s.get(HandoffRequest, request_id)
            if row is None or row.status == "draft":
                return False
            row.notes = [*(row.notes or []), {"at": _now().isoformat(timespec="minutes"), "by": author,
                                              "text": words[:NOTE_LIMIT]}]
            return True

    # --- announcing (an outbox: the row says what still has to be told) ----------------------------------------
    def take_announcements(self, cutoff: dt.datetime, now: dt.datetime | None = None) -> list[Announcement]:
        """Claim every open, unclaimed request not yet announced. One that started 'sending' before `cutoff` (its
        process died mid-send) is taken again and marked as a possible repeat."""
        now = now or _now()
        out = []
        with session_scope(self.url) as s:
            ids = s.scalars(select(HandoffRequest.id).where(
                HandoffRequest.status == "new", or_(_FRESH, _SENDING & (HandoffRequest.announce_started_at < cutoff)),
            ).order_by(HandoffRequest.urgency, HandoffRequest.id)).all()
        for rid in ids:
            with session_scope(self.url) as s:
                row = s.get(HandoffRequest, rid)
                if row is None or row.status != "new" or row.announced_at is not None:
                    continue
                repeat = row.announce_started_at is not None
                if row.announce_started_at is not None and not aware(row.announce_started_at) < cutoff:
                    continue  # someone else took it a moment ago
                stale = _SENDING & (HandoffRequest.announce_started_at < cutoff)
                done = affected(s.execute(update(HandoffRequest).where(HandoffRequest.id == rid, stale if repeat else _FRESH)
                                 .values(announce_started_at=now)
                                 .execution_options(synchronize_session=False)))
                if done:
                    out.append(Announcement(self._view(row), repeat))
        return out

    def announced(self, request_id: int, now: dt.datetime | None = None) -> None:
        """The volunteers have been told."""
        with session_scope(self.url) as s:
            s.execute(update(HandoffRequest).where(HandoffRequest.id == request_id).values(announced_at=now or _now()))

    def announce_failed(self, request_id: int) -> None:
        """Nobody could be told: try again on the next round."""
        with session_scope(self.url) as s:
            s.execute(update(HandoffRequest).where(HandoffRequest.id == request_id, _SENDING)
                      .values(announce_started_at=None))

    def due_reannounce(self, after: dt.timedelta, now: dt.datetime | None = None) -> list[RequestView]:
        """Urgent requests nobody claimed within `after` of their last announcement; their clock restarts."""
        now = now or _now()
        with session_scope(self.url) as s:
            rows = s.scalars(select(HandoffRequest).where(
                HandoffRequest.status == "new", HandoffRequest.urgency <= 1, HandoffRequest.announced_at.is_not(None),
                HandoffRequest.announced_at < now - after).order_by(HandoffRequest.urgency, HandoffRequest.id)).all()
            out = []
            for row in rows:
                done = affected(s.execute(update(HandoffRequest).where(HandoffRequest.id == row.id,
                                                           HandoffRequest.announced_at == row.announced_at)
                                 .values(announced_at=now)))
                if done:
                    out.append(self._view(row))
            return out

    # --- housekeeping ------------------------------------------------------------------------------------------
    def expire(self, after: dt.timedelta, now: dt.datetime | None = None) -> list[RequestView]:
        """Open requests without any activity for `after` become expired (returned, to tell those involved)."""
        now = now or _now()
        with session_scope(self.url) as s:
            ids = s.scalars(select(HandoffRequest.id).where(HandoffRequest.status.in_(OPEN_STATUSES),
                                                         HandoffRequest.updated_at < now - after)).all()
        return [v for v in (self.close(i, "expired", now=now) for i in ids) if v is not None]

    def purge_requests(self, retention: dt.timedelta, now: dt.datetime, dry_run: bool = False) -> int:
        """Delete (or count) requests closed longer ago than the retention, and drafts nobody finished within a day."""
        closed = func.coalesce(HandoffRequest.closed_at, HandoffRequest.updated_at)
        old = [(HandoffRequest.status.not_in(OPEN_STATUSES)) & (HandoffRequest.status != "draft")
               & (closed < now - retention),
               (HandoffRequest.status == "draft") & (HandoffRequest.created_at < now - DRAFT_LIFETIME)]
        return self._purge(HandoffRequest, or_(*old), dry_run)

    def purge_audit(self, retention: dt.timedelta, now: dt.datetime, dry_run: bool = False) -> int:
        """Delete (or count) audit lines older than the retention."""
        return self._purge(HandoffAudit, HandoffAudit.at < now - retention, dry_run)

    def purge_volunteers(self, retention: dt.timedelta, now: dt.datetime, dry_run: bool = False) -> int:
        """Delete (or count) volunteers removed longer ago than the retention: their Telegram id goes with them."""
        gone = Volunteer.active.is_(False) & Volunteer.removed_at.is_not(None) & (Volunteer.removed_at < now - retention)
        return self._purge(Volunteer, gone, dry_run)

    def _purge(self, model, condition, dry_run: bool) -> int:
        return rows.remove(self.url, model, condition, dry_run)

    def forget(self, sender: str) -> tuple[int, list[RequestView]]:
        """Delete every request of a person; returns (rows deleted, the open ones, to tell their volunteers)."""
        with session_scope(self.url) as s:
            rows = s.scalars(select(HandoffRequest).where(HandoffRequest.sender == sender)).all()
            was_open = [self._view(r) for r in rows if r.status in OPEN_STATUSES]
            n = affected(s.execute(delete(HandoffRequest).where(HandoffRequest.sender == sender)))
        return n, was_open

    def count(self, sender: str) -> int:
        """How many requests (any status) a person has."""
        with session_scope(self.url) as s:
            return s.scalar(select(func.count()).select_from(HandoffRequest).where(HandoffRequest.sender == sender)) or 0

    def sent_since(self, sender: str, since: dt.datetime) -> int:
        """How many requests a person has sent to volunteers since then (drafts they never sent do not count)."""
        with session_scope(self.url) as s:
            return s.scalar(select(func.count()).select_from(HandoffRequest).where(
                HandoffRequest.sender == sender, HandoffRequest.queue == "help",
                HandoffRequest.consented_at.is_not(None), HandoffRequest.consented_at >= since)) or 0

    def remove_volunteer(self, telegram_id: int) -> list[RequestView]:
        """Withdraw authorisation; their claimed requests go back to the queue (returned)."""
        with session_scope(self.url) as s:
            v = s.scalars(select(Volunteer).where(Volunteer.telegram_id == telegram_id)).first()
            if v is None:
                return []
            v.active, v.removed_at = False, _now()
            vid = v.id
        with session_scope(self.url) as s:
            ids = s.scalars(select(HandoffRequest.id).where(HandoffRequest.volunteer_id == vid,
                                                         HandoffRequest.status.in_(("claimed", "waiting")))).all()
        return [r for r in (self.hand_back(i, vid) for i in ids) if r is not None]
