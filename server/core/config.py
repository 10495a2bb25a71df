"""Backend settings, read from the environment (names are stable: see architecture.md)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    return Path.home() / ".local" / "share" / "kitokito"


class ServerSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore", populate_by_name=True)

    data_dir: Path = Field(default_factory=default_data_dir, alias="KITOKITO_DATA_DIR")
    database_url: str | None = Field(default=None, alias="DATABASE_URL")
    seed_on_start: bool = Field(default=True, alias="KITOKITO_SEED")
    # The bundled medical, childcare, AED, duty and shelter data (server/seed/info/), loaded on
    # a first start when the info table is empty (and KITOKITO_SEED is on). Off in the tests
    # that do not need it: it is the slowest part of a start.
    seed_info: bool = Field(default=True, alias="KITOKITO_SEED_INFO")
    # The bundled consultation services, their opening rules and exceptions
    # (server/seed/consultations/), loaded on a first start when there are none yet.
    seed_consultations: bool = Field(default=True, alias="KITOKITO_SEED_CONSULTATIONS")
    # Anonymous bookings (docs/booking.md): creating, reading and cancelling together, per
    # client address (a code cannot be guessed faster than this).
    anonymous_booking_rate_per_minute: int = Field(default=10, ge=1)
    # Pages are bounded so no client can ask the server for everything at once (OWASP API4).
    max_page_size: int = 200
    # My Number login (server/core/jpki.py, server/core/security.py). The JPKI dir holds the
    # trusted test CA (ca.pem), its CRL (crl.pem) and, for counter PIN resets, ca-key.pem.
    jpki_dir: Path | None = Field(default=None, alias="KITOKITO_JPKI_DIR")
    access_token_ttl_s: int = Field(default=600, ge=30, le=900)  # figure 5: at most 15 minutes
    refresh_token_ttl_s: int = Field(default=12 * 3600, ge=60, le=30 * 24 * 3600)
    # A session (one login) ends this long after the login, however often it is refreshed,
    # and after this long without a request (the client's idle logout, enforced here too).
    session_max_lifetime_s: int = Field(default=12 * 3600, ge=60, le=30 * 24 * 3600)
    session_idle_timeout_s: int = Field(default=15 * 60, ge=60, le=24 * 3600)
    # How often a request re-checks the session's card against the revocation list (every
    # refresh always does).
    session_recheck_s: int = Field(default=300, ge=0, le=3600)
    challenge_ttl_s: int = Field(default=300, ge=10, le=300)
    auth_rate_limit_per_minute: int = Field(default=10, ge=1)
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    max_draft_bytes: int = Field(default=16 * 1024, ge=256)
    max_drafts_per_user: int = Field(default=50, ge=1)
    max_tickets_per_day: int = Field(default=50, ge=1)
    max_json_depth: int = Field(default=32, ge=2, le=10_000)
    # E-applications (docs/e-applications.md). One upload is at most 10 MiB (the contract);
    # a resident keeps a bounded number and total of them.
    max_attachment_bytes: int = Field(default=10 * 1024 * 1024, ge=1024, le=10 * 1024 * 1024)
    max_attachments_per_user: int = Field(default=100, ge=1)
    max_attachment_total_bytes: int = Field(default=200 * 1024 * 1024, ge=1024)
    max_payments_per_day: int = Field(default=50, ge=1)
    receipt_code_ttl_s: int = Field(default=180, ge=10, le=3600)
    # Proxies whose X-Forwarded-For is believed: comma-separated addresses or networks
    # ("127.0.0.1", "10.0.0.0/8"). Empty: the connection's own address is the client's.
    trusted_proxies: str = Field(default="", alias="KITOKITO_TRUSTED_PROXIES")
    # The key that encrypts residents' personal data in the database (AES-256-GCM), kept
    # apart from it; created on first start (0600, in a 0700 folder).
    server_key_file: Path | None = Field(default=None, alias="KITOKITO_SERVER_KEY_FILE")

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'server.db'}"

    def resolved_server_key_file(self) -> Path:
        if self.server_key_file is not None:
            return self.server_key_file
        return self.data_dir / "keys" / "server-data.key"

    def resolved_jpki_dir(self) -> Path:
        return self.jpki_dir if self.jpki_dir is not None else self.data_dir / "jpki"
