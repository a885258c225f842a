"""A fake TikTok: Login Kit OAuth v2 (PKCE, rotating refresh tokens, revoke), user info, and
the Content Posting API (creator info, video init direct + inbox, chunked upload, photo init,
status fetch), speaking the documented wire format.

It is strict where TikTok is strict, so the client is proven against the rules:
PKCE is verified with the configured encoding, a used refresh token dies, the
chunk rules are checked exactly (sizes, ``Content-Range``, order), photo URLs
must sit under a verified prefix, per-endpoint rate limits answer 429
``rate_limit_exceeded``, and errors come in the ``error.code`` envelope — also
with HTTP 200 when a test asks for it (``fail_next(..., status=200)``).

Serve it with ``serve(fake)``; point both ``tiktok_auth_base_url`` and
``tiktok_api_base_url`` at the server.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import re
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from tests.fakes.server import FakeRequest, FakeResponse

MB = 1_000_000
MIN_CHUNK, MAX_CHUNK, MAX_FINAL = 5 * MB, 64 * 1024 * 1024, 128 * 1024 * 1024
ALL_PRIVACY = ("PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "SELF_ONLY")
CODE_STATUS = {
    "access_token_invalid": 401,
    "scope_not_authorized": 401,
    "invalid_params": 400,
    "invalid_file_upload": 400,
    "rate_limit_exceeded": 429,
    "internal_error": 500,
    "privacy_level_option_mismatch": 400,
}
LIMITS = {"creator_info": 20, "init": 6, "status": 30}  # per access token per minute
_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def challenge_of(verifier: str, encoding: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    if encoding == "hex":
        return digest.hex()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class Reject(Exception):
    """Raised inside a route to answer with a TikTok error envelope."""

    def __init__(self, code: str, message: str = "", status: int | None = None) -> None:
        super().__init__(code)
        self.code, self.message = code, message
        self.status = status or CODE_STATUS.get(code, 403)


@dataclass
class Grant:
    open_id: str
    scopes: tuple[str, ...]
    alive: bool = True


@dataclass
class Publish:
    publish_id: str
    kind: str  # video_direct | video_inbox | photo_direct | photo_inbox
    body: dict[str, Any]
    video_size: int = 0
    chunk_size: int = 0
    chunk_count: int = 0
    received: bytearray = field(default_factory=bytearray)
    polls: int = 0
    script: tuple[str, ...] = ()
    fail_reason: str = ""
    post_id: str = ""

    @property
    def uploaded(self) -> bool:
        return not self.kind.startswith("video") or len(self.received) == self.video_size


@dataclass
class FakeTikTok:
    client_key: str = "ck_test"
    client_secret: str = "cs_test"
    pkce_encoding: str = "hex"
    redirect_uris: tuple[str, ...] = ()  # registered; empty = any https URI
    granted_scopes: tuple[str, ...] | None = None  # None = what the user was asked for
    verified_prefixes: tuple[str, ...] = ("https://media.reelforge.example/p/",)
    privacy_level_options: tuple[str, ...] = ALL_PRIVACY
    max_video_post_duration_sec: int = 600
    comment_disabled: bool = False
    unaudited: bool = False
    access_ttl: int = 86400
    refresh_ttl: int = 31536000
    fail_reason: str = ""  # non-empty: new publishes end FAILED with this reason
    processing_polls: int = 1  # status polls answered PROCESSING_* before the final status
    now: Callable[[], float] = time.monotonic
    user: dict[str, str] = field(
        default_factory=lambda: {
            "open_id": "oid-123",
            "union_id": "uid-9",
            "display_name": "Test Creator",
            "avatar_url": "https://p16.tiktokcdn.example/a.jpg",
        }
    )

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self.codes: dict[str, dict[str, str]] = {}
        self.access: dict[str, Grant] = {}
        self.refresh: dict[str, Grant] = {}
        self.publishes: dict[str, Publish] = {}
        self.inits: list[tuple[str, dict[str, Any]]] = []  # every accepted init (path, body)
        self._calls: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self._failures: dict[str, deque[tuple[str, int, str]]] = defaultdict(deque)

    # --- knobs -------------------------------------------------------------------

    def fail_next(
        self, endpoint: str, code: str, *, status: int | None = None, message: str = ""
    ) -> None:
        """Answer the next call to ``endpoint`` with ``code`` (``status=200``: in a 200)."""
        self._failures[endpoint].append((code, status or CODE_STATUS.get(code, 403), message))

    def issue_tokens(
        self, scopes: tuple[str, ...] = ("user.info.basic", "video.publish", "video.upload")
    ) -> dict[str, Any]:
        """Tokens as if the user had connected (skips the browser round trip)."""
        with self._lock:
            return self._issue(Grant(self.user["open_id"], scopes))

    # --- plumbing ----------------------------------------------------------------

    def __call__(self, req: FakeRequest) -> FakeResponse:
        routes: dict[tuple[str, str], tuple[str, Callable[[FakeRequest], FakeResponse]]] = {
            ("GET", "/v2/auth/authorize/"): ("authorize", self._authorize),
            ("POST", "/v2/oauth/token/"): ("token", self._token),
            ("POST", "/v2/oauth/revoke/"): ("revoke", self._revoke),
            ("GET", "/v2/user/info/"): ("user_info", self._user_info),
            ("POST", "/v2/post/publish/creator_info/query/"): ("creator_info", self._creator_info),
            ("POST", "/v2/post/publish/video/init/"): ("video_init", self._video_init),
            ("POST", "/v2/post/publish/inbox/video/init/"): ("inbox_init", self._inbox_init),
            ("POST", "/v2/post/publish/content/init/"): ("content_init", self._content_init),
            ("POST", "/v2/post/publish/status/fetch/"): ("status", self._status),
            ("PUT", "/upload/"): ("upload", self._upload),
        }
        found = routes.get((req.method, req.path))
        if found is None:
            return FakeResponse(404, {"error": {"code": "not_found", "message": req.path}})
        name, route = found
        flat = name in ("token", "revoke", "authorize")
        with self._lock:
            try:
                if self._failures[name]:
                    code, status, message = self._failures[name].popleft()
                    raise Reject(code, message or f"injected {code}", status)
                return route(req)
            except Reject as exc:
                if flat:
                    return FakeResponse(
                        exc.status,
                        {"error": exc.code, "error_description": exc.message, "log_id": "log-fake"},
                    )
                return self.envelope({}, exc.code, exc.message, status=exc.status)

    @staticmethod
    def envelope(
        data: dict[str, Any], code: str = "ok", message: str = "", *, status: int = 200
    ) -> FakeResponse:
        return FakeResponse(
            status,
            {"data": data, "error": {"code": code, "message": message, "log_id": "log-fake"}},
        )

    def _issue(self, grant: Grant) -> dict[str, Any]:
        n = next(self._ids)
        access, refresh = f"act.fake{n}", f"rft.fake{n}"
        self.access[access] = grant
        self.refresh[refresh] = grant
        return {
            "access_token": access,
            "expires_in": self.access_ttl,
            "open_id": grant.open_id,
            "refresh_token": refresh,
            "refresh_expires_in": self.refresh_ttl,
            "scope": ",".join(grant.scopes),
            "token_type": "Bearer",
        }

    def _bearer(self, req: FakeRequest, *scopes: str) -> str:
        token = req.headers.get("authorization", "").removeprefix("Bearer ").strip()
        grant = self.access.get(token)
        if grant is None or not grant.alive:
            raise Reject("access_token_invalid", "The access token is invalid or not found.")
        if scopes and not any(s in grant.scopes for s in scopes):
            raise Reject("scope_not_authorized", f"Needs scope {' or '.join(scopes)}.")
        return token

    def _limit(self, group: str, token: str) -> None:
        calls, now = self._calls[(group, token)], self.now()
        while calls and now - calls[0] >= 60:
            calls.popleft()
        if len(calls) >= LIMITS[group]:
            raise Reject("rate_limit_exceeded", f"{group}: {LIMITS[group]} requests per minute.")
        calls.append(now)

    # --- OAuth -------------------------------------------------------------------

    def _authorize(self, req: FakeRequest) -> FakeResponse:
        q = {k: v[0] for k, v in req.query.items()}
        if q.get("client_key") != self.client_key:
            raise Reject("invalid_client", "Unknown client_key.", 400)
        if q.get("response_type") != "code" or q.get("code_challenge_method") != "S256":
            raise Reject("invalid_request", "response_type=code and S256 are required.", 400)
        uri = q.get("redirect_uri", "")
        if (self.redirect_uris and uri not in self.redirect_uris) or not uri.startswith("https://"):
            raise Reject("invalid_request", "redirect_uri is not registered.", 400)
        if not q.get("code_challenge") or not q.get("state"):
            raise Reject("invalid_request", "code_challenge and state are required.", 400)
        asked = tuple(s for s in q.get("scope", "").split(",") if s)
        scopes = tuple(s for s in asked if self.granted_scopes is None or s in self.granted_scopes)
        code = f"code-{next(self._ids)}"
        self.codes[code] = {
            "challenge": q["code_challenge"],
            "redirect_uri": uri,
            "scope": ",".join(scopes),
        }
        query = urlencode({"code": code, "scopes": ",".join(scopes), "state": q["state"]})
        return FakeResponse(302, b"", {"Location": f"{uri}?{query}"})

    def _token(self, req: FakeRequest) -> FakeResponse:
        form = req.form()
        if "x-www-form-urlencoded" not in req.headers.get("content-type", ""):
            raise Reject("invalid_request", "Body must be form-encoded.", 400)
        if (
            form.get("client_key") != self.client_key
            or form.get("client_secret") != self.client_secret
        ):
            raise Reject("invalid_client", "Client key or secret is wrong.", 401)
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            issued = self.codes.pop(form.get("code", ""), None)
            if issued is None:
                raise Reject("invalid_grant", "Authorization code is expired or used.", 400)
            if form.get("redirect_uri") != issued["redirect_uri"]:
                raise Reject("invalid_grant", "redirect_uri does not match.", 400)
            verifier = form.get("code_verifier", "")
            if challenge_of(verifier, self.pkce_encoding) != issued["challenge"]:
                raise Reject("invalid_request", "Code verifier or code challenge is invalid.", 400)
            scopes = tuple(s for s in issued["scope"].split(",") if s)
            return FakeResponse(200, self._issue(Grant(self.user["open_id"], scopes)))
        if grant_type == "refresh_token":
            grant = self.refresh.pop(form.get("refresh_token", ""), None)  # rotation: old one dies
            if grant is None or not grant.alive:
                raise Reject("invalid_grant", "Refresh token is invalid or expired.", 400)
            return FakeResponse(200, self._issue(grant))
        raise Reject("unsupported_grant_type", str(grant_type), 400)

    def _revoke(self, req: FakeRequest) -> FakeResponse:
        form = req.form()
        if (
            form.get("client_key") != self.client_key
            or form.get("client_secret") != self.client_secret
        ):
            raise Reject("invalid_client", "Client key or secret is wrong.", 401)
        grant = self.access.get(form.get("token", ""))
        if grant is not None:
            grant.alive = False
        return FakeResponse(200, {})

    def _user_info(self, req: FakeRequest) -> FakeResponse:
        self._bearer(req, "user.info.basic")
        fields = (req.arg("fields") or "").split(",")
        return self.envelope({"user": {k: v for k, v in self.user.items() if k in fields}})

    # --- Content Posting ---------------------------------------------------------

    def _creator_info(self, req: FakeRequest) -> FakeResponse:
        token = self._bearer(req, "video.publish")
        self._limit("creator_info", token)
        return self.envelope(
            {
                "creator_avatar_url": self.user["avatar_url"],
                "creator_username": "testcreator",
                "creator_nickname": self.user["display_name"],
                "privacy_level_options": list(self.privacy_level_options),
                "comment_disabled": self.comment_disabled,
                "duet_disabled": False,
                "stitch_disabled": False,
                "max_video_post_duration_sec": self.max_video_post_duration_sec,
            }
        )

    def _check_privacy(self, level: Any) -> None:
        if level not in self.privacy_level_options:
            raise Reject(
                "privacy_level_option_mismatch", f"{level} is not offered to this creator."
            )
        if self.unaudited and level != "SELF_ONLY":
            raise Reject("unaudited_client_can_only_post_to_private_accounts", "Unaudited client.")

    def _source(self, info: Any) -> tuple[int, int, int]:
        if not isinstance(info, dict) or info.get("source") != "FILE_UPLOAD":
            raise Reject("invalid_params", "source_info.source must be FILE_UPLOAD here.")
        size, chunk, count = (
            info.get(k) for k in ("video_size", "chunk_size", "total_chunk_count")
        )
        if not all(isinstance(v, int) and v > 0 for v in (size, chunk, count)):
            raise Reject(
                "invalid_params", "video_size, chunk_size, total_chunk_count are required."
            )
        assert isinstance(size, int) and isinstance(chunk, int) and isinstance(count, int)
        if size < MIN_CHUNK:
            if chunk != size or count != 1:
                raise Reject("invalid_params", "A video under 5 MB is one chunk of its whole size.")
            return size, chunk, count
        if not MIN_CHUNK <= chunk <= MAX_CHUNK:
            raise Reject("invalid_params", "chunk_size must be 5–64 MB.")
        if count != size // chunk or not 1 <= count <= 1000:
            raise Reject(
                "invalid_params", "total_chunk_count must be floor(video_size / chunk_size)."
            )
        if size - (count - 1) * chunk > MAX_FINAL:
            raise Reject("invalid_params", "The final chunk may be at most 128 MB.")
        if size > MAX_CHUNK and count < 2:
            raise Reject("invalid_params", "Videos over 64 MB must be sent in several chunks.")
        return size, chunk, count

    def _new_publish(self, kind: str, body: dict[str, Any], path: str, **fields: Any) -> Publish:
        n = next(self._ids)
        prefix = "v_pub_file~v2-1." if kind.startswith("video") else "p_pub_url~v2."
        done = "SEND_TO_USER_INBOX" if kind.endswith("inbox") else "PUBLISH_COMPLETE"
        first = "PROCESSING_UPLOAD" if kind.startswith("video") else "PROCESSING_DOWNLOAD"
        script = (first,) * self.processing_polls + ("FAILED" if self.fail_reason else done,)
        publish = Publish(
            f"{prefix}{n}",
            kind,
            body,
            script=script,
            fail_reason=self.fail_reason,
            post_id=f"73{n:08d}",
            **fields,
        )
        self.publishes[publish.publish_id] = publish
        self.inits.append((path, body))
        return publish

    def _video_init(self, req: FakeRequest) -> FakeResponse:
        token = self._bearer(req, "video.publish")
        self._limit("init", token)
        body = req.json() or {}
        info = body.get("post_info") or {}
        self._check_privacy(info.get("privacy_level"))
        if utf16_len(str(info.get("title", ""))) > 2200:
            raise Reject("invalid_params", "title is longer than 2200 UTF-16 units.")
        size, chunk, count = self._source(body.get("source_info"))
        publish = self._new_publish(
            "video_direct", body, req.path, video_size=size, chunk_size=chunk, chunk_count=count
        )
        return self._upload_answer(req, publish)

    def _inbox_init(self, req: FakeRequest) -> FakeResponse:
        token = self._bearer(req, "video.upload")
        self._limit("init", token)
        body = req.json() or {}
        pending = [p for p in self.publishes.values() if p.kind == "video_inbox"]
        if len(pending) >= 5:
            raise Reject("spam_risk_too_many_pending_share", "5 pending shares in 24 hours.")
        size, chunk, count = self._source(body.get("source_info"))
        publish = self._new_publish(
            "video_inbox", body, req.path, video_size=size, chunk_size=chunk, chunk_count=count
        )
        return self._upload_answer(req, publish)

    def _upload_answer(self, req: FakeRequest, publish: Publish) -> FakeResponse:
        host = req.headers.get("host", "127.0.0.1")
        n = publish.publish_id.rsplit(".", 1)[-1]
        url = f"http://{host}/upload/?upload_id={n}&upload_token=tok{n}"
        return self.envelope({"publish_id": publish.publish_id, "upload_url": url})

    def _upload(self, req: FakeRequest) -> FakeResponse:
        n = req.arg("upload_id")
        publish = self.publishes.get(f"v_pub_file~v2-1.{n}")
        if publish is None or req.arg("upload_token") != f"tok{n}":
            raise Reject("invalid_params", "Unknown or expired upload_url.", 404)
        if req.headers.get("content-type") not in ("video/mp4", "video/quicktime", "video/webm"):
            raise Reject("invalid_file_upload", "Content-Type must be a video type.")
        match = _RANGE.match(req.headers.get("content-range", ""))
        if match is None:
            raise Reject("invalid_file_upload", "Content-Range must be 'bytes FIRST-LAST/TOTAL'.")
        first, last, total = (int(g) for g in match.groups())
        if total != publish.video_size:
            raise Reject("invalid_file_upload", "TOTAL differs from video_size.")
        if first != len(publish.received):
            raise Reject(
                "invalid_file_upload",
                f"Chunks must be sequential: expected byte {len(publish.received)}.",
                416,
            )
        index = first // publish.chunk_size
        final = index == publish.chunk_count - 1
        want = publish.video_size - first if final else publish.chunk_size
        if first != index * publish.chunk_size or last - first + 1 != want:
            raise Reject(
                "invalid_file_upload",
                f"Chunk {index} must be bytes {index * publish.chunk_size}+{want}.",
            )
        if len(req.body) != want or req.headers.get("content-length") != str(want):
            raise Reject("invalid_file_upload", "Content-Length and body must match the range.")
        publish.received += req.body
        return FakeResponse(201 if publish.uploaded else 206, b"")

    def _content_init(self, req: FakeRequest) -> FakeResponse:
        body = req.json() or {}
        direct = body.get("post_mode") == "DIRECT_POST"
        token = self._bearer(req, "video.publish" if direct else "video.upload")
        self._limit("init", token)
        info, source = body.get("post_info") or {}, body.get("source_info") or {}
        if body.get("media_type") != "PHOTO" or source.get("source") != "PULL_FROM_URL":
            raise Reject("invalid_params", "Photos need media_type PHOTO and PULL_FROM_URL.")
        images = source.get("photo_images") or []
        if not 1 <= len(images) <= 35 or not 0 <= source.get("photo_cover_index", -1) < len(images):
            raise Reject("invalid_params", "1–35 photo_images and a valid photo_cover_index.")
        if (
            utf16_len(str(info.get("title", ""))) > 90
            or utf16_len(str(info.get("description", ""))) > 4000
        ):
            raise Reject("invalid_params", "title ≤ 90 and description ≤ 4000.")
        if direct:
            self._check_privacy(info.get("privacy_level"))
        for url in images:
            if not any(str(url).startswith(p) for p in self.verified_prefixes):
                raise Reject("url_ownership_unverified", f"{url} is not under a verified prefix.")
        publish = self._new_publish("photo_direct" if direct else "photo_inbox", body, req.path)
        return self.envelope({"publish_id": publish.publish_id})

    def _status(self, req: FakeRequest) -> FakeResponse:
        token = self._bearer(req, "video.publish", "video.upload")
        self._limit("status", token)
        publish = self.publishes.get(str((req.json() or {}).get("publish_id")))
        if publish is None:
            raise Reject("invalid_params", "Unknown publish_id.")
        data: dict[str, Any] = {
            "uploaded_bytes": len(publish.received),
            "publicaly_available_post_id": [],
        }
        if not publish.uploaded:
            data["status"] = "PROCESSING_UPLOAD"
            return self.envelope(data)
        status = publish.script[min(publish.polls, len(publish.script) - 1)]
        publish.polls += 1
        data["status"] = status
        if status == "FAILED":
            data["fail_reason"] = publish.fail_reason
        privacy = (publish.body.get("post_info") or {}).get("privacy_level")
        if status == "PUBLISH_COMPLETE" and privacy == "PUBLIC_TO_EVERYONE":
            data["publicaly_available_post_id"] = [int(publish.post_id)]
        if publish.kind.startswith("photo"):
            data["downloaded_bytes"] = 1000 * len(
                (publish.body.get("source_info") or {}).get("photo_images", [])
            )
        return self.envelope(data)
