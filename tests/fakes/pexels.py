"""A fake of the Pexels API (photos + videos search) and its media CDN.

Speaks the documented format: ``GET /v1/search`` and ``GET /videos/search``
authorised by the bare key in ``Authorization``; ``orientation`` must be
landscape/portrait/square, ``per_page`` at most 80; answers carry
``X-Ratelimit-Limit/Remaining/Reset`` (reset as a UNIX time); an exhausted
quota is a 429. Files are served from ``/cdn/...`` on the same server so
downloads can be counted.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass, field
from typing import Any

from PIL import Image

from tests.fakes.server import FakeRequest, FakeResponse

KEY = "pexels-test-key"
ORIENTATIONS = {"landscape", "portrait", "square"}


def jpeg_bytes(width: int = 80, height: int = 120, colour: str = "#336699") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="JPEG")
    return buffer.getvalue()


@dataclass
class FakePexels:
    key: str = KEY
    base_url: str = ""  # set once served: media links point back at this server
    #: Queries that find nothing.
    empty: set[str] = field(default_factory=set)
    #: How many API calls to answer 429 before serving normally.
    rate_limited: int = 0
    retry_after: str | None = "0"
    downloads: list[str] = field(default_factory=list)
    video_duration: int = 12

    def handle(self, request: FakeRequest) -> FakeResponse:
        if request.path.startswith("/cdn/"):
            return self._cdn(request)
        if request.path not in ("/v1/search", "/videos/search"):
            return FakeResponse(404, {"error": "Not found"})
        if request.headers.get("authorization") != self.key:
            return FakeResponse(401, {"error": "Unauthorized"})
        if self.rate_limited > 0:
            self.rate_limited -= 1
            headers = self._quota(remaining=0)
            if self.retry_after is not None:
                headers["Retry-After"] = self.retry_after
            return FakeResponse(429, {"error": "Too Many Requests"}, headers)
        query = request.arg("query")
        orientation = request.arg("orientation")
        per_page = int(request.arg("per_page", "15") or 15)
        if not query:
            return FakeResponse(400, {"error": "query is required"})
        if orientation is not None and orientation not in ORIENTATIONS:
            return FakeResponse(400, {"error": "orientation is invalid"})
        if not 1 <= per_page <= 80:
            return FakeResponse(400, {"error": "per_page must be between 1 and 80"})
        found = query not in self.empty
        if request.path == "/v1/search":
            items = [self._photo(i) for i in (101, 102)] if found else []
            body: dict[str, Any] = {"page": 1, "per_page": per_page, "photos": items}
        else:
            items = [self._video(i) for i in (201, 202)] if found else []
            body = {"page": 1, "per_page": per_page, "videos": items}
        body["total_results"] = len(items)
        return FakeResponse(200, body, self._quota(remaining=19_999))

    def _quota(self, *, remaining: int) -> dict[str, str]:
        return {
            "X-Ratelimit-Limit": "20000",
            "X-Ratelimit-Remaining": str(remaining),
            "X-Ratelimit-Reset": str(int(time.time()) + 86_400 * 10),
        }

    def _photo(self, ident: int) -> dict[str, Any]:
        base = f"{self.base_url}/cdn/photos/{ident}/pexels-photo-{ident}.jpeg"
        return {
            "id": ident,
            "width": 3000,
            "height": 4500,
            "url": f"https://www.pexels.com/photo/bread-{ident}/",
            "photographer": f"Photographer {ident}",
            "photographer_url": f"https://www.pexels.com/@p{ident}",
            "photographer_id": ident * 10,
            "avg_color": "#7D7572",
            "src": {
                "original": base,
                "large2x": f"{base}?auto=compress&cs=tinysrgb&dpr=2&h=650&w=940",
                "large": f"{base}?auto=compress&cs=tinysrgb&h=650&w=940",
                "medium": f"{base}?auto=compress&cs=tinysrgb&h=350",
                "small": f"{base}?auto=compress&cs=tinysrgb&h=130",
                "portrait": f"{base}?auto=compress&cs=tinysrgb&fit=crop&h=1200&w=800",
                "landscape": f"{base}?auto=compress&cs=tinysrgb&fit=crop&h=627&w=1200",
                "tiny": f"{base}?auto=compress&cs=tinysrgb&dpr=1&fit=crop&h=200&w=280",
            },
            "liked": False,
            "alt": "A loaf of bread",
        }

    def _video(self, ident: int) -> dict[str, Any]:
        def file(fid: int, quality: str, w: int | None, h: int | None) -> dict[str, Any]:
            ext = "m3u8" if quality == "hls" else "mp4"
            return {
                "id": fid,
                "quality": quality,
                "file_type": "video/mp4",
                "width": w,
                "height": h,
                "fps": 25,
                "link": f"{self.base_url}/cdn/videos/{ident}/{w}x{h}.{ext}",
            }

        return {
            "id": ident,
            "width": 2160,
            "height": 3840,
            "duration": self.video_duration,
            "url": f"https://www.pexels.com/video/city-{ident}/",
            "image": f"{self.base_url}/cdn/videos/{ident}/poster.jpg",
            "user": {
                "id": ident * 10,
                "name": f"Filmmaker {ident}",
                "url": f"https://www.pexels.com/@f{ident}",
            },
            "video_files": [
                file(1, "uhd", 2160, 3840),
                file(2, "hd", 1080, 1920),
                file(3, "sd", 360, 640),
                file(4, "hd", 720, 1280),
                file(5, "hls", None, None),
            ],
            "video_pictures": [],
        }

    def _cdn(self, request: FakeRequest) -> FakeResponse:
        self.downloads.append(request.path)
        if request.headers.get("authorization"):
            return FakeResponse(400, "the CDN must never receive the API key")
        if request.path.endswith((".jpeg", ".jpg")):
            return FakeResponse(200, jpeg_bytes(), {"Content-Type": "image/jpeg"})
        return FakeResponse(
            200, b"\x00\x00\x00\x18ftypmp42 fake video bytes", {"Content-Type": "video/mp4"}
        )
