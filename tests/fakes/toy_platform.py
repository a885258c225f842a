"""Toy Reels: a publishing platform in one small module, the worked example of adding one.

It puts each post on a "shelf" folder under the home (no account, no network) and
is registered from the test alone (``registry.register("platform", "toyreels",
"tests.fakes.toy_platform:ToyReels")``): the routes, the job and the CLI then
offer it like TikTok, with no other file changed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from reelforge.errors import InputError
from reelforge.providers.base import Platform
from reelforge.providers.platforms.resumable import publish_once
from reelforge.providers.types.publishing import (
    ConnectedAccount,
    ConnectionTokens,
    PlatformPost,
    PollPolicy,
    PostLedger,
    PostRequest,
    Progress,
    TokenGetter,
)


class ToyReels(Platform):
    name = "toyreels"
    display_name = "Toy Reels"
    needs_oauth = False  # connecting is one call; posting needs no token

    def account(self, tokens: ConnectionTokens | None) -> ConnectedAccount:
        return ConnectedAccount(key="shelf", display_name="My toy shelf")

    def check_post(self, request: PostRequest) -> None:
        if len(request.title) > 40:
            raise InputError("Toy Reels titles are at most 40 characters.")

    def shelf(self, owner_id: str) -> Path:
        return Path(self.settings.home) / "toyreels" / owner_id

    def publish(
        self,
        *,
        ledger: PostLedger,
        post_key: str,
        owner_id: str,
        request: PostRequest,
        access_token: TokenGetter,
        poll: PollPolicy | None = None,
        on_progress: Progress | None = None,
    ) -> PlatformPost:
        video = request.video_path
        files = [video] if video is not None else list(request.image_paths)

        def write() -> tuple[str, str | None]:  # idempotent: a rerun writes the same files
            folder = self.shelf(owner_id) / post_key
            folder.mkdir(parents=True, exist_ok=True)
            for n, source in enumerate(files, start=1):
                shutil.copyfile(source, folder / f"{n:02d}{source.suffix}")
            (folder / "title.txt").write_text(request.title)
            return post_key, f"https://toyreels.example/shelf/{post_key}"

        size = sum(path.stat().st_size for path in files)
        return publish_once(
            ledger, post_key, platform=self.name, total_bytes=size, write=write, status="SHELVED"
        )
