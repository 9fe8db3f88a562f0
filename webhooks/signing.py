"""Signing webhook bodies, and verifying them on the receiving side.

Huiju signs ``timestamp + "." + body`` with HMAC-SHA256 under the endpoint's
secret and sends::

    X-Huiju-Timestamp: 1764063000
    X-Huiju-Signature: sha256=<hex digest>

A receiver recomputes the digest over the *raw* request body, compares it in
constant time and rejects old timestamps (replays). This module depends only on
the standard library, so receivers may copy it as is.
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_PREFIX = "sha256="
DEFAULT_TOLERANCE = 300  # seconds a signed request stays valid


def compute_signature(secret: str, timestamp: str | int, body: bytes) -> str:
    """``sha256=<hex HMAC-SHA256(secret, f"{timestamp}.{body}")>``."""
    message = str(timestamp).encode() + b"." + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return SIGNATURE_PREFIX + digest


def verify_signature(
    secret: str,
    *,
    body: bytes,
    timestamp: str | None,
    signature: str | None,
    tolerance: int = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> bool:
    """Whether ``signature`` is Huiju's for ``body`` at ``timestamp``, signed recently enough.

    Pass the raw body bytes exactly as received (not re-serialised JSON) and the
    ``X-Huiju-Timestamp`` / ``X-Huiju-Signature`` header values.
    """
    if not secret or not timestamp or not signature:
        return False
    try:
        sent_at = int(timestamp)
    except ValueError:
        return False
    now = time.time() if now is None else now
    if abs(now - sent_at) > tolerance:
        return False
    expected = compute_signature(secret, timestamp, body)
    return hmac.compare_digest(expected.encode(), signature.strip().encode())
