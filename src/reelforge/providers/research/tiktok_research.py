"""TikTok Research API: any public creator's videos, for users with approved research access.

Wire facts this client relies on (Research API docs):

* Token: ``POST /v2/oauth/token/`` form ``client_key``, ``client_secret``,
  ``grant_type=client_credentials`` → flat ``access_token`` (``clt.…``),
  ``expires_in`` (2 h), ``token_type``; errors are flat too
  (``{"error","error_description","log_id"}``).
* Videos: ``POST /v2/research/video/query/?fields=…`` with a bearer token and
  ``{"query":{"and":[{"operation":"EQ","field_name":"username","field_values":[…]}]},
  "start_date":"YYYYMMDD","end_date":"YYYYMMDD","max_count":≤100,"cursor":…,
  "search_id":…}``. start..end spans at most 30 days, so a longer history is
  walked window by window back to the horizon. Pages continue with the
  returned ``cursor`` and ``search_id`` while ``has_more``.
* Profile: ``POST /v2/research/user/info/?fields=…`` ``{"username"}``.
* Daily quota: 1,000 requests and 100,000 records, reset at 00:00 UTC — both
  counted here; when one runs out the walk stops with what it has.
* Answers use the ``{"data","error"}`` envelope, errors possibly with HTTP 200.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar

from reelforge.config import Settings, secret_text
from reelforge.errors import ConfigError, InputError, ProviderError
from reelforge.providers.research import (
    DailyQuota,
    ErrorMemo,
    Page,
    QuotaBudget,
    ResearchSource,
)
from reelforge.providers.research._tiktok import TokenExpired, raise_for_envelope, video_from_tiktok
from reelforge.providers.types.research import CreatorPlatform, CreatorProfile, CreatorRef

#: Only public metadata is asked for (promise P14).
VIDEO_FIELDS = (
    "id,video_description,create_time,username,view_count,like_count,comment_count,"
    "share_count,hashtag_names,video_duration"
)
USER_FIELDS = "display_name,follower_count"
PROVIDER = "tiktok_research"


def parse_client_credentials(credential: str) -> tuple[str, str]:
    """A vault entry as ``{"client_key","client_secret"}`` JSON or ``KEY:SECRET``."""
    text = credential.strip()
    if text.startswith("{"):
        try:
            data = json.loads(text)
            return str(data["client_key"]), str(data["client_secret"])
        except (ValueError, KeyError, TypeError):
            pass
    key, sep, secret = text.partition(":")
    if sep and key and secret:
        return key, secret
    raise ConfigError(
        'Store TikTok Research credentials as {"client_key": "…", "client_secret": "…"} '
        "or as KEY:SECRET."
    )


class TikTokResearch(ResearchSource):
    name = "tiktok_research"
    platform: ClassVar[CreatorPlatform] = "tiktok"
    needs_key = True
    remote = True
    key_setting = "tiktok_research_client_key"

    @classmethod
    def daily_quotas(cls, settings: Settings) -> tuple[DailyQuota, ...]:
        """Requests and records a day, both reset at 00:00 UTC; a request costs 1, and each
        video a page returns costs a record (counted as the pages arrive)."""
        return (
            DailyQuota("requests", settings.tiktok_research_daily_requests),
            DailyQuota("records", settings.tiktok_research_daily_records),
        )

    def setup(self) -> None:
        # The user's own credentials first, then the operator's in one value, then in two.
        combined = self._credential or secret_text(self.settings.tiktok_research_api_key)
        if combined:
            self.client_key, self.client_secret = parse_client_credentials(combined)
        else:
            self.client_key = secret_text(self.settings.tiktok_research_client_key)
            self.client_secret = secret_text(self.settings.tiktok_research_client_secret)
            if not self.client_key or not self.client_secret:
                raise ConfigError(
                    "TikTok Research API credentials are missing: add your research client key "
                    "and secret to your vault, or set REELFORGE_TIKTOK_RESEARCH_CLIENT_KEY and "
                    "REELFORGE_TIKTOK_RESEARCH_CLIENT_SECRET."
                )
        self.http = self.http_client(self.settings.tiktok_api_base_url)
        self.errors = ErrorMemo()
        self.errors.install(self.http.client)
        #: The last day of the walk (tests fix it); None: today in UTC.
        self.today: date | None = None
        self._token: tuple[str, float] | None = None

    @property
    def requests(self) -> QuotaBudget:
        """The daily requests left to these credentials."""
        return self.budgets["requests"]

    @property
    def records(self) -> QuotaBudget:
        """The daily records (videos returned) left to these credentials."""
        return self.budgets["records"]

    # --- token and calls -----------------------------------------------------------

    def _access_token(self) -> str:
        if self._token and self._token[1] > time.monotonic():
            return self._token[0]
        form = {
            "client_key": self.client_key,
            "client_secret": self.client_secret,
            "grant_type": "client_credentials",
        }
        try:
            body = self.http.post_json("/v2/oauth/token/", data=form)
        except ProviderError as error:
            self.errors.take()
            if error.status in (400, 401, 403):
                raise ConfigError(
                    f"TikTok refused the Research API client key/secret ({error.message}). "
                    "Check them; research access must be approved for this client."
                ) from error
            raise
        if not isinstance(body, dict) or not body.get("access_token"):
            detail = (
                body.get("error_description") or body.get("error")
                if isinstance(body, dict)
                else body
            )
            raise ConfigError(
                f"TikTok gave no Research API token ({detail}). Check the client key/secret."
            )
        lifetime = float(body.get("expires_in") or 7200)
        self._token = (str(body["access_token"]), time.monotonic() + max(lifetime - 60, 30))
        return self._token[0]

    def _post(self, path: str, fields: str, payload: dict[str, Any]) -> dict[str, Any]:
        """One counted API request; a refused token is renewed once."""
        self.charge("requests", path)
        for attempt in (1, 2):
            headers = {"Authorization": f"Bearer {self._access_token()}"}
            try:
                body = self.http.post_json(
                    path, params={"fields": fields}, json=payload, headers=headers
                )
                status = None
            except ProviderError as error:
                body, status = self.errors.take(), error.status
                if not isinstance(body, dict) or not isinstance(body.get("error"), dict):
                    raise
            try:
                return raise_for_envelope(body, provider=PROVIDER, status=status)
            except TokenExpired:
                self._token = None
                if attempt == 2:
                    raise ProviderError(
                        "TikTok refused a fresh Research API token.", provider=PROVIDER
                    ) from None
        raise AssertionError("unreachable")

    # --- the source -----------------------------------------------------------------

    def profile(self, creator: CreatorRef) -> CreatorProfile:
        data = self._post("/v2/research/user/info/", USER_FIELDS, {"username": creator.handle})
        followers = data.get("follower_count")
        return CreatorProfile(
            platform="tiktok",
            handle=creator.handle,
            display_name=str(data.get("display_name") or ""),
            followers=followers if isinstance(followers, int) and followers >= 0 else None,
        )

    def windows(self, since: datetime | None = None) -> Iterator[tuple[date, date]]:
        """(start, end) date windows, newest first, each spanning at most the window setting."""
        today = self.today or datetime.now(UTC).date()
        horizon = today - timedelta(days=self.settings.tiktok_research_horizon_days)
        if since is not None:
            horizon = max(horizon, since.astimezone(UTC).date())
        span = max(1, min(30, int(self.settings.tiktok_research_window_days)))
        end = today
        while end >= horizon:
            start = max(end - timedelta(days=span - 1), horizon)
            yield start, end
            end = start - timedelta(days=1)

    def videos(self, creator: CreatorRef, *, since: datetime | None = None) -> Iterator[Page]:
        if not creator.handle:
            raise InputError("TikTok creators are looked up by @username; give the handle.")
        query = {
            "and": [{"operation": "EQ", "field_name": "username", "field_values": [creator.handle]}]
        }
        page_size = max(1, min(100, int(self.settings.tiktok_research_max_count)))
        for start, end in self.windows(since):
            cursor, search_id = 0, None
            while True:
                self.records.check(1, what="a page of videos")
                payload: dict[str, Any] = {
                    "query": query,
                    "start_date": start.strftime("%Y%m%d"),
                    "end_date": end.strftime("%Y%m%d"),
                    "max_count": max(1, min(page_size, self.records.remaining)),
                    "cursor": cursor,
                }
                if search_id:
                    payload["search_id"] = search_id
                data = self._post("/v2/research/video/query/", VIDEO_FIELDS, payload)
                items = [i for i in data.get("videos") or [] if isinstance(i, dict)]
                self.records.used += len(items)
                page = [
                    v for v in (video_from_tiktok(i, username=creator.handle) for i in items) if v
                ]
                if since is not None:
                    page = [v for v in page if v.published_at >= since]
                if page:
                    yield page
                if not data.get("has_more"):
                    break
                cursor, search_id = int(data.get("cursor") or 0), data.get("search_id") or search_id
