"""A fake of the Pixabay API (images + videos search) and its CDN.

Speaks the documented format: ``GET /api/`` and ``GET /api/videos/`` with the
key as the ``key`` query parameter; ``per_page`` 3–200; images take
``orientation`` all/horizontal/vertical; errors are plain text such as
``[ERROR 400] Invalid API key``; over the limit it answers 429 with
``X-RateLimit-*`` (reset in seconds).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.fakes.pexels import jpeg_bytes
from tests.fakes.server import FakeRequest, FakeResponse

KEY = "pixabay-test-key"
ORIENTATIONS = {"all", "horizontal", "vertical"}


@dataclass
class FakePixabay:
    key: str = KEY
    base_url: str = ""
    empty: set[str] = field(default_factory=set)
    rate_limited: int = 0
    retry_after: str | None = "0"
    downloads: list[str] = field(default_factory=list)
    #: Serve only landscape videos (Pixabay's video search has no orientation filter).
    landscape_only: bool = False

    def handle(self, request: FakeRequest) -> FakeResponse:
        if request.path.startswith("/cdn/"):
            return self._cdn(request)
        if request.path not in ("/api/", "/api/videos/"):
            return FakeResponse(404, "[ERROR 404] Not found.")
        key = request.arg("key")
        if not key:
            return FakeResponse(400, '[ERROR 400] "key" is a required parameter.')
        if key != self.key:
            return FakeResponse(
                400, "[ERROR 400] Invalid API key. Note: This value is case-sensitive."
            )
        if self.rate_limited > 0:
            self.rate_limited -= 1
            headers = {
                "X-RateLimit-Limit": "100",
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": "42",
            }
            if self.retry_after is not None:
                headers["Retry-After"] = self.retry_after
            return FakeResponse(429, "[ERROR 429] Too many requests.", headers)
        per_page = int(request.arg("per_page", "20") or 20)
        if not 3 <= per_page <= 200:
            return FakeResponse(400, '[ERROR 400] "per_page" is out of valid range.')
        query = request.arg("q", "") or ""
        if len(query) > 100:
            return FakeResponse(
                400, '[ERROR 400] "q" exceeds the maximum length of 100 characters.'
            )
        if request.path == "/api/":
            orientation = request.arg("orientation", "all")
            if orientation not in ORIENTATIONS:
                return FakeResponse(400, '[ERROR 400] "orientation" is invalid.')
            hits = [self._image(i) for i in (301, 302)]
        else:
            if request.arg("orientation") is not None:
                return FakeResponse(400, '[ERROR 400] "orientation" is not a valid parameter.')
            hits = [self._video(i) for i in (401, 402)]
        if query in self.empty:
            hits = []
        headers = {
            "X-RateLimit-Limit": "100",
            "X-RateLimit-Remaining": "99",
            "X-RateLimit-Reset": "60",
        }
        return FakeResponse(
            200, {"total": len(hits), "totalHits": len(hits), "hits": hits}, headers
        )

    def _image(self, ident: int) -> dict[str, Any]:
        cdn = f"{self.base_url}/cdn/photo/{ident}"
        return {
            "id": ident,
            "pageURL": f"https://pixabay.com/photos/bread-{ident}/",
            "type": "photo",
            "tags": "bread, loaf, kitchen",
            "previewURL": f"{cdn}_150.jpg",
            "webformatURL": f"{cdn}_640.jpg",
            "largeImageURL": f"{cdn}_1280.jpg",
            "imageWidth": 2000,
            "imageHeight": 3000,
            "user_id": ident * 10,
            "user": f"maker{ident}",
            "userImageURL": "",
        }

    def _video(self, ident: int) -> dict[str, Any]:
        def rendition(name: str, w: int, h: int) -> dict[str, Any]:
            if self.landscape_only:
                w, h = h, w
            return {
                "url": f"{self.base_url}/cdn/video/{ident}_{name}.mp4",
                "width": w,
                "height": h,
                "size": w * h,
                "thumbnail": f"{self.base_url}/cdn/video/{ident}_{name}.jpg",
            }

        return {
            "id": ident,
            "pageURL": f"https://pixabay.com/videos/id-{ident}/",
            "type": "film",
            "tags": "city, night, traffic",
            "duration": 14,
            "videos": {
                "large": {"url": "", "width": 0, "height": 0, "size": 0, "thumbnail": ""},
                "medium": rendition("medium", 1080, 1920),
                "small": rendition("small", 720, 1280),
                "tiny": rendition("tiny", 360, 640),
            },
            "user_id": ident * 10,
            "user": f"filmer{ident}",
        }

    def _cdn(self, request: FakeRequest) -> FakeResponse:
        self.downloads.append(request.path)
        if "key" in request.query:
            return FakeResponse(400, "the CDN must never receive the API key")
        if request.path.endswith(".jpg"):
            return FakeResponse(200, jpeg_bytes(64, 96), {"Content-Type": "image/jpeg"})
        return FakeResponse(
            200, b"\x00\x00\x00\x18ftypmp42 fake pixabay video", {"Content-Type": "video/mp4"}
        )
