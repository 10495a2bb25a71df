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
    # Pages are bounded so no client can ask the server for everything at once (OWASP API4).
    max_page_size: int = 200

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'server.db'}"
