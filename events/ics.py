"""iCalendar (RFC 5545) export of one live session, written by hand (it is a few lines)."""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings

from core.markdown import markdown_to_text
from events.models import LiveSession


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n")
    ).replace("\n", "\\n")


def _fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character."""
    out, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)


def _stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def session_ics(session: LiveSession, *, now: datetime | None = None) -> str:
    """One VCALENDAR with one VEVENT; the session URL is the location (it is online)."""
    url = settings.SITE_URL + session.get_absolute_url()
    host = settings.SITE_URL.split("://", 1)[-1].split("/")[0]
    description = markdown_to_text(session.description)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Huiju//Live sessions//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:live-session-{session.pk}@{host}",
        f"DTSTAMP:{_stamp(now or datetime.now(UTC))}",
        f"DTSTART:{_stamp(session.starts_at)}",
        f"DTEND:{_stamp(session.ends_at)}",
        f"SUMMARY:{_escape(session.title)}",
        f"DESCRIPTION:{_escape((description + chr(10) + chr(10) + url).strip())}",
        f"URL:{url}",
        f"LOCATION:{_escape(url)}",
        "STATUS:CONFIRMED",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(_fold(line) + "\r\n" for line in lines)
