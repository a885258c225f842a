"""Settings, read from the environment (prefix ``REELFORGE_``) and an optional ``.env``.

Built by :func:`load_settings`, never at import time, so tests and workers can
each build their own with overrides.

:class:`Settings` is flat (``settings.openai_api_key``, ``REELFORGE_OPENAI_API_KEY``);
its fields are declared in one section class each, in the order the README's
"All settings" table lists them (``tools/settings_doc.py`` writes that table from
these classes: a section's docstring is its heading, a field's comments its meaning).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_home() -> Path:
    """``$REELFORGE_HOME`` or ``./.reelforge`` (kept beside the project, easy to find and delete)."""
    return Path(os.environ.get("REELFORGE_HOME", ".reelforge")).expanduser()


class Home(BaseModel):
    """Home: the folder that holds reelforge's data."""

    home: Path = Field(default_factory=default_home)  # ./.reelforge: database, files, caches, keys

    @property
    def cache_dir(self) -> Path:
        return self.home / "cache"


class StudioDefaults(BaseModel):
    """Studio defaults, each overridable per command."""

    writer: str = "offline"  # offline | openai | anthropic | gemini
    voice: str = "piper"  # piper | espeak | elevenlabs | openai | none
    media: str = "procedural"  # comma list: procedural, library, pexels, pixabay
    preset: str = "vertical"  # vertical | vertical-fast | square | horizontal
    fps: int = 30  # 23-60
    crf: int = 23  # x264 quality; lower is better and bigger
    x264_preset: str = "veryfast"  # ultrafast ... slow: speed against size
    music: Path | None = None  # default music file, ducked under the voice
    out_dir: Path = Path("out")  # where `reelforge make/render` write videos
    ffmpeg: str | None = None  # path to an ffmpeg binary; default: the imageio-ffmpeg build


class Http(BaseModel):
    """HTTP behaviour shared by every provider client."""

    http_timeout_s: float = 60.0  # per provider request
    http_max_retries: int = 3  # 429/5xx/timeouts retried this often, honouring Retry-After
    http_backoff_s: float = 1.0  # first retry delay; doubles each time


class Writers(BaseModel):
    """Script writers: the LLM servers, models and request details."""

    openai_base_url: str = (
        "https://api.openai.com"  # any OpenAI-compatible server (Ollama: http://localhost:11434)
    )
    openai_api_key: SecretStr | None = None  # not needed for self-hosted servers
    openai_model: str = "gpt-4o-mini"  # chat model for scripts
    # Some OpenAI-compatible servers reject response_format; turn JSON mode off for them.
    openai_json_mode: bool = True
    openai_max_tokens: int | None = None  # sent as max_tokens when set; else the server default
    anthropic_base_url: str = "https://api.anthropic.com"  # /v1/messages
    anthropic_api_key: SecretStr | None = None  # for --writer anthropic
    anthropic_model: str = "claude-sonnet-4-5"  # model for scripts
    anthropic_version: str = "2023-06-01"
    anthropic_max_tokens: int = 4096  # the Messages API requires max_tokens
    gemini_base_url: str = "https://generativelanguage.googleapis.com"  # generateContent
    gemini_api_key: SecretStr | None = None  # for --writer gemini
    gemini_model: str = "gemini-2.5-flash"  # model for scripts
    gemini_json_mode: bool = True  # generationConfig.responseMimeType = application/json
    llm_temperature: float = 0.7


class Voices(BaseModel):
    """Voices: the text-to-speech providers and their options."""

    openai_tts_model: str = "gpt-4o-mini-tts"  # /v1/audio/speech model
    openai_tts_voice: str = "alloy"  # /v1/audio/speech voice
    elevenlabs_base_url: str = (
        "https://api.elevenlabs.io"  # /v1/text-to-speech/{voice}/with-timestamps
    )
    elevenlabs_api_key: SecretStr | None = None  # for --voice elevenlabs
    elevenlabs_voice_id: str = "21m00Tcm4TlvDq8Ikachm"  # which ElevenLabs voice
    elevenlabs_model: str = "eleven_multilingual_v2"  # ElevenLabs model_id
    elevenlabs_output_format: str = "mp3_44100_128"  # sent as ?output_format=; pcm_* also works
    piper_model: Path | None = None  # a .onnx voice; default: the bundled en_US joe voice
    piper_length_scale: float | None = None  # > 1 slower, < 1 faster; default: the voice's own
    espeak_voice: str = "en-us"  # espeak-ng -v
    espeak_binary: str | None = None  # espeak-ng or espeak to run; default: found on PATH
    espeak_rate_wpm: int = 165  # espeak-ng -s (words per minute)
    silent_words_per_minute: float = 150.0  # reading pace that sizes the silent ("none") voice


class Media(BaseModel):
    """Background media: procedural pictures, your own library and stock sites."""

    procedural_palette: str = (
        ""  # a palette name (see providers/media/palette.py); "" = varies by scene
    )
    library_dir: Path | None = None  # your folder of images/videos for the library media provider
    library_min_score: float = 0.04  # library match: cosine lift over neutral anchors needed
    pexels_base_url: str = "https://api.pexels.com"  # /v1/search, /videos/search
    pexels_api_key: SecretStr | None = None  # for --media pexels
    pexels_size: str = "medium"  # Pexels minimum size filter: large, medium, small or ""
    pixabay_base_url: str = "https://pixabay.com"  # /api/, /api/videos/
    pixabay_api_key: SecretStr | None = None  # for --media pixabay
    stock_per_page: int = 15  # results asked of Pexels/Pixabay per search
    stock_max_download_mb: int = 200  # refuse stock files larger than this


class ImageGeneration(BaseModel):
    """Image generation: the OpenAI-compatible images model."""

    openai_image_model: str = "gpt-image-1"
    openai_image_size: str = ""  # e.g. "1024x1536"; "" = closest portrait size the model supports


class Server(BaseModel):
    """Web server: the public address and TLS."""

    # https:// here (or tls=true behind a TLS proxy) makes the cookie Secure + HSTS. It also
    # builds the OAuth callback URLs and the public image prefix.
    public_url: str = "http://127.0.0.1:8000"
    tls: bool = False


class Accounts(BaseModel):
    """Accounts and security: secrets, sessions, sign-in codes and rate limits."""

    # Neither secret is ever stored in the database.

    secret_key: SecretStr | None = None  # signs sessions, hashes codes; default $HOME/secret.key
    vault_key: SecretStr | None = None  # base64 32-byte AES keys, comma-separated, newest first;
    #                                     default $HOME/vault.key (0600, made on first run)
    session_ttl_s: int = 30 * 24 * 3600
    otp_ttl_s: int = 600  # sign-in and email-change codes live 10 minutes
    otp_max_attempts: int = 5  # wrong tries before a code is locked

    # "db" counts in the database (shared by every worker process and machine); "memory" counts
    # in one process only.
    rate_limit_backend: Literal["db", "memory"] = "db"
    # Each rate limit is "COUNT/WINDOW", with WINDOW like 30s, 15m, 1h, 1d.
    rate_limit_code_per_email: str = "5/15m"
    rate_limit_code_per_ip: str = "20/15m"
    rate_limit_signin_per_email: str = "10/15m"
    rate_limit_signin_per_ip: str = "30/15m"
    rate_limit_api_per_key: str = "600/1m"
    rate_limit_api_per_user: str = "1200/1m"
    rate_limit_api_per_ip: str = "1200/1m"


class Mail(BaseModel):
    """Mail: how sign-in codes are sent."""

    # "file" writes .eml files to $HOME/mail; smtp and resend send them.
    mailer: Literal["file", "smtp", "resend"] = "file"
    mail_from: str = "reelforge <noreply@localhost>"
    smtp_host: str = "localhost"
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_security: Literal["starttls", "ssl", "none"] = "starttls"
    resend_base_url: str = "https://api.resend.com"
    resend_api_key: SecretStr | None = None


class Storage(BaseModel):
    """Database, queue and file storage; the defaults keep everything under $REELFORGE_HOME."""

    database_url: str | None = None  # default sqlite:///$HOME/reelforge.db; postgresql+psycopg://…
    migrate_on_start: bool = True  # `reelforge serve` applies migrations before listening
    redis_url: str | None = (
        None  # Huey's Redis backend (redis://host:6379/0); default: SQLite queue
    )
    storage_url: str | None = None  # blobs: default $HOME/files; file:///dir or s3://bucket/prefix
    s3_endpoint_url: str | None = None  # S3-compatible endpoint (R2, MinIO, …); default: AWS
    s3_region: str = "us-east-1"
    s3_access_key_id: SecretStr | None = None  # default: boto3's own chain (env, profile, role)
    s3_secret_access_key: SecretStr | None = None


class Jobs(BaseModel):
    """Jobs and workers."""

    job_max_attempts: int = 4  # a retryable provider failure is tried this many times in all
    job_retry_base_s: float = 10.0  # backoff: base x 2^(attempt-1), at most 10 minutes
    worker_threads: int = 1  # jobs one worker process runs at once (renders use every core)
    queue_name: str = "reelforge"  # separates several installations sharing one Redis
    job_stale_after_s: float = 90.0  # a running job silent this long lost its worker: run it again


class ResearchSources(BaseModel):
    """Research sources: the YouTube Data API and TikTok's Research and Display APIs."""

    youtube_base_url: str = "https://www.googleapis.com/youtube/v3"
    youtube_api_key: SecretStr | None = None  # the operator's key; a user's BYOK key wins
    youtube_quota_units_per_day: int = 10_000  # the project's daily quota (resets 00:00 Pacific)
    # Units each call costs; list calls are 1 by Google's table. Adjust if Google changes it.
    youtube_quota_costs: dict[str, int] = Field(
        default_factory=lambda: {
            "channels.list": 1,
            "playlistItems.list": 1,
            "videos.list": 1,
            "search.list": 100,
        }
    )
    youtube_max_videos: int = 1_000  # newest uploads read per refresh

    # TikTok's Research and Display APIs live at tiktok_api_base_url (TikTok section).

    # Research API client credentials (approved researchers only); a user's vault entry wins.
    tiktok_research_client_key: SecretStr | None = None
    tiktok_research_client_secret: SecretStr | None = None
    # The operator's TikTok Research credentials in one value, "CLIENT_KEY:CLIENT_SECRET" (an
    # alternative to the two settings above). Its name also lets a user store their own with
    # PUT /api/v1/provider-keys/tiktok_research {"key": "KEY:SECRET"} (the vault entry wins).
    tiktok_research_api_key: SecretStr | None = None
    tiktok_research_horizon_days: int = 365  # how far back a refresh walks
    tiktok_research_window_days: int = 30  # one query's start..end span (the API allows <= 30)
    tiktok_research_max_count: int = 100  # videos per page (API maximum 100)
    tiktok_research_daily_requests: int = 1_000  # API quota (resets 00:00 UTC)
    tiktok_research_daily_records: int = 100_000
    tiktok_display_max_count: int = 20  # Display API page size (maximum 20)


class Research(BaseModel):
    """Research analytics: breakouts, words, growth, imports and Content DNA."""

    research_breakout_k: float = 3.0  # breakout = views >= k x the creator's rolling median
    research_breakout_window: int = 10  # ... over this many previous videos
    research_words_sample: int = 5_000  # videos read per quartile for word counts
    research_time_zone: str = "UTC"  # IANA zone for weekday x hour when a request names none
    research_dna_versions_kept: int = Field(default=20, ge=1)  # older DNA versions are dropped
    research_import_max_mb: float = Field(default=50.0, gt=0)  # largest import file accepted
    research_growth_days: int = Field(default=90, ge=1)  # snapshots read for growth charts


class Publishing(BaseModel):
    """Publishing: the outbox, connections and the post schedule."""

    outbox_dir: Path | None = None  # default $HOME/outbox
    # Public prefix TikTok pulls carousel images from (PULL_FROM_URL). Must be https and
    # verified for the TikTok app (URL prefix or domain). Default {public_url}/api/v1/media/;
    # point it at a CDN/proxy that forwards to /api/v1/media/ to use another domain.
    publish_media_url: str | None = None
    publish_media_serve_hours: float = Field(default=24.0, ge=0)  # after a post finishes
    publish_status_checks_max: int = Field(default=48, ge=1)  # re-checks of a processing post
    publish_token_refresh_margin_s: float = Field(default=300.0, ge=0)  # refresh ahead of expiry
    oauth_state_ttl_s: int = Field(default=600, ge=60)  # an authorize link is good this long


class TikTok(BaseModel):
    """TikTok app (developers.tiktok.com → Manage apps): Login Kit + Content Posting API."""

    tiktok_client_key: str | None = None
    tiktok_client_secret: SecretStr | None = None
    tiktok_auth_base_url: str = "https://www.tiktok.com"  # browser goes to /v2/auth/authorize/
    tiktok_api_base_url: str = "https://open.tiktokapis.com"  # OAuth token + open API
    # PKCE challenge: TikTok's docs say hex SHA-256 of the verifier; RFC 7636 says base64url.
    tiktok_pkce_encoding: Literal["hex", "base64url"] = "hex"
    # Redirect URI registered with TikTok; default {public_url}/api/v1/connections/tiktok/callback
    tiktok_redirect_uri: str | None = None
    tiktok_chunk_bytes: int = 10_000_000  # wished chunk size; clamped to TikTok's 5–64 MB rules
    tiktok_poll_interval_s: float = Field(default=2.0, gt=0)  # first status poll; then x1.5
    tiktok_poll_max_wait_s: float = 600.0  # status polling per run; a later run polls on


class YouTube(BaseModel):
    """YouTube uploads: the Google OAuth client (scope youtube.upload) and Shorts."""

    google_client_id: str | None = None
    google_client_secret: SecretStr | None = None
    google_auth_base_url: str = "https://accounts.google.com"  # + /o/oauth2/v2/auth
    google_token_url: str = "https://oauth2.googleapis.com/token"
    google_revoke_url: str = "https://oauth2.googleapis.com/revoke"
    # Redirect URI registered with Google; default {public_url}/api/v1/connections/youtube/callback
    google_redirect_uri: str | None = None
    youtube_upload_base_url: str = "https://www.googleapis.com"  # + /upload/youtube/v3/videos
    youtube_chunk_bytes: int = 8 * 1024 * 1024  # rounded down to a multiple of 256 KiB
    youtube_shorts: Literal["auto", "always", "never"] = "auto"  # add #Shorts to the title
    youtube_shorts_max_s: float = 60.0  # "auto": vertical and at most this long


class Uploads(BaseModel):
    """Uploads: size limits and how long uploaded files are kept."""

    upload_max_image_mb: float = 20.0  # larger image uploads are refused before decoding
    upload_max_video_mb: float = Field(default=500.0, gt=0)  # MP4 uploads (POST /uploads/videos)
    upload_max_images: int = Field(default=35, ge=1, le=35)  # images per request / per carousel
    # Retention (promise P17): posted images go 7 days after posting at the latest (an operator
    # may shorten it, not extend it).
    upload_retention_posted_days: float = Field(default=7.0, gt=0, le=7.0)
    # Images never posted go after this many days.
    upload_retention_unposted_days: float = Field(default=30.0, gt=0)


class Plans(BaseModel):
    """Plans and usage limits."""

    # Plans: name -> limits per period. Keys: period ("month" or "day"), api_requests, jobs,
    # renders, render_seconds, posts (per period), creators, storage_bytes (totals; absent or
    # null = unlimited), server_keys (may jobs fall back to the operator's provider keys;
    # default true; false = bring your own keys), price_id (the Stripe price that buys it),
    # amount, currency, interval (the price as shown; default: read from Stripe), description.
    # Self-hosted default: one unlimited plan.
    plans: dict[str, dict[str, int | float | bool | str | None]] = Field(
        default_factory=lambda: {"selfhost": dict[str, int | float | bool | str | None]()}
    )
    default_plan: str = "selfhost"  # accounts without a subscription (everyone, billing off)


class Billing(BaseModel):
    """Billing: Stripe subscriptions for a hosted studio (off when self-hosting)."""

    # Off: every account has REELFORGE_DEFAULT_PLAN and the billing routes answer 404.
    billing_enabled: bool = False
    stripe_api_key: SecretStr | None = None  # sk_live_… / sk_test_… (or a restricted rk_ key)
    stripe_webhook_secret: SecretStr | None = None  # whsec_… of the webhook endpoint
    stripe_base_url: str = "https://api.stripe.com"  # point tests at a local Stripe fake
    stripe_api_version: str | None = None  # sent as Stripe-Version; default: the account's
    stripe_webhook_tolerance_s: int = Field(default=300, ge=1)  # older signatures are refused
    # After a failed payment the paid plan is kept this long, then the account moves to
    # REELFORGE_DEFAULT_PLAN (unless a retry succeeds first).
    billing_grace_days: float = Field(default=7.0, ge=0)
    billing_success_url: str | None = None  # after Checkout; default {public_url}/account
    billing_cancel_url: str | None = None  # Checkout abandoned; default {public_url}/account
    billing_portal_return_url: str | None = None  # default {public_url}/account
    # A JSON or TOML file of plans (same keys as REELFORGE_PLANS); replaces REELFORGE_PLANS.
    plans_file: Path | None = None


class Settings(
    Home,
    StudioDefaults,
    Http,
    Writers,
    Voices,
    Media,
    ImageGeneration,
    Server,
    Accounts,
    Mail,
    Storage,
    Jobs,
    ResearchSources,
    Research,
    Publishing,
    TikTok,
    YouTube,
    Uploads,
    Plans,
    Billing,
    BaseSettings,
):
    """Every setting, flat: each section above adds its fields."""

    model_config = SettingsConfigDict(
        env_prefix="REELFORGE_", env_file=".env", extra="ignore", env_nested_delimiter="__"
    )


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment, with explicit overrides winning."""
    return Settings(**overrides)  # type: ignore[arg-type]


def secret_text(value: SecretStr | str | None) -> str:
    """A secret setting's text ("" when unset): the one place a ``SecretStr`` is opened."""
    if value is None:
        return ""
    return value.get_secret_value() if isinstance(value, SecretStr) else str(value)
