"""YouTube as a publishing platform: Google OAuth to connect, resumable uploads to post.

Why a module of its own: callers know YouTube only as a
:class:`~reelforge.providers.base.Platform`. What is YouTube's is stated here,
on top of the wire clients (:mod:`.google_oauth`, :mod:`.youtube_upload`) and
the resumable upload (:mod:`.youtube_machine`): one channel per connection,
the refresh token revokes the whole grant, videos only and no drafts through
the API, YouTube's privacy words and title rules, ``#Shorts`` from settings.
"""

from __future__ import annotations

from reelforge.errors import InputError
from reelforge.providers.base import Platform
from reelforge.providers.platforms.google_oauth import GoogleOAuth
from reelforge.providers.platforms.resumable import with_fresh_token
from reelforge.providers.platforms.youtube_machine import publish_youtube
from reelforge.providers.platforms.youtube_upload import PRIVACY, YouTubeUploader, video_resource
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

#: Google's answer when it stopped accepting an access token before its expiry.
TOKEN_REJECTED = frozenset({"authError"})


class YouTubePlatform(Platform):
    name = "youtube"
    display_name = "YouTube"
    needs_key = True  # posts with the user's connected account
    remote = True

    def oauth(self) -> GoogleOAuth:
        return GoogleOAuth(self.settings, transport=self._transport)

    def account(self, tokens: ConnectionTokens | None) -> ConnectedAccount:
        """The channel the upload scope reaches (scope youtube.upload cannot read its name)."""
        return ConnectedAccount(key="youtube", display_name="YouTube channel")

    def revoke_token(self, tokens: ConnectionTokens) -> str:
        """Google's refresh token revokes the whole grant (the access token only itself)."""
        return (tokens.refresh_token or tokens.access_token).get_secret_value()

    def check_post(self, request: PostRequest) -> None:
        if not request.is_video:
            raise InputError(
                "YouTube takes videos only; post the images to a platform that takes carousels."
            )
        if request.mode == "draft":
            raise InputError(
                "YouTube has no drafts through its API; post with privacy_level 'private' "
                "(or SELF_ONLY) and publish it from YouTube Studio later."
            )
        if request.privacy_level not in PRIVACY:
            raise InputError(f"YouTube privacy_level must be one of: {', '.join(PRIVACY)}.")
        video_resource(request)  # title and description rules

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
        settings = self.settings

        def run(token: str) -> PlatformPost:
            uploader = YouTubeUploader(settings, access_token=token, transport=self._transport)
            try:
                return publish_youtube(
                    client=uploader,
                    ledger=ledger,
                    post_key=post_key,
                    request=request,
                    chunk_size=settings.youtube_chunk_bytes,
                    shorts=settings.youtube_shorts,
                    shorts_max_s=settings.youtube_shorts_max_s,
                    on_progress=on_progress,
                )
            finally:
                uploader.close()

        return with_fresh_token(access_token, run, rejected=TOKEN_REJECTED)
