"""App configuration from the environment (stable names: see architecture.md)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ASSETS_DIR = PROJECT_ROOT / "assets"


def default_data_dir() -> Path:
    return Path.home() / ".local" / "share" / "kitokito"


class AppConfig(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore", populate_by_name=True)

    data_dir: Path = Field(default_factory=default_data_dir, alias="KITOKITO_DATA_DIR")
    port: int = Field(default=8550, alias="KITOKITO_PORT")
    api_port: int = Field(default=8700, alias="KITOKITO_API_PORT")
    api_url: str | None = Field(default=None, alias="KITOKITO_API_URL")
    host: str = Field(default="127.0.0.1", alias="KITOKITO_HOST")
    # How often an open session re-checks for new notices (seconds).
    refresh_interval_s: float = Field(default=300.0, alias="KITOKITO_REFRESH_INTERVAL")
    # A logged-in session left alone logs out; the warning (with Extend) comes this much before.
    idle_timeout_s: int = Field(default=900, ge=60, alias="KITOKITO_IDLE_TIMEOUT")
    idle_warning_s: int = Field(default=120, ge=10, alias="KITOKITO_IDLE_WARNING")

    @property
    def embedded_backend(self) -> bool:
        return not self.api_url

    @property
    def effective_api_url(self) -> str:
        return self.api_url or f"http://127.0.0.1:{self.api_port}"

    @property
    def client_store_path(self) -> Path:
        return self.data_dir / "client" / "store.db"
