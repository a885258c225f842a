"""TikTok as a publishing platform: Login Kit to connect, the Content Posting API to post.

Why a module of its own: the connections service, the publish job, the routes
and the CLI know TikTok only as a :class:`~reelforge.providers.base.Platform`.
Everything TikTok-specific they used to branch on is stated here, on top of the
wire clients (:mod:`.tiktok_oauth`, :mod:`.tiktok_posting`) and the resumable
state machine (:mod:`.tiktok_machine`): the account comes from user info after
sign-in, the access token revokes the grant, posts are checked for TikTok's
privacy levels, caption lengths in UTF-16 units and carousels pulled from a
verified https prefix, and a published post's link needs the creator's username.
"""

from __future__ import annotations

from typing import get_args

from reelforge.errors import ConfigError, InputError, ProviderError
from reelforge.providers.base import Platform
from reelforge.providers.platforms.resumable import with_fresh_token
from reelforge.providers.platforms.tiktok_machine import publish_photos, publish_video
from reelforge.providers.platforms.tiktok_oauth import TikTokOAuth
from reelforge.providers.platforms.tiktok_posting import (
    TITLE_MAX_UTF16,
    TikTokPosting,
    check_photo_post,
    post_url,
)
from reelforge.providers.types.publishing import (
    ConnectedAccount,
    ConnectionTokens,
    PlatformPost,
    PollPolicy,
    PostLedger,
    PostRequest,
    PrivacyLevel,
    Progress,
    TokenGetter,
    utf16_len,
)

PRIVACY_LEVELS: tuple[str, ...] = get_args(PrivacyLevel)
#: TikTok's answer when it stopped accepting an access token before its expiry.
TOKEN_REJECTED = frozenset({"access_token_invalid"})


class TikTokPlatform(Platform):
    name = "tiktok"
    display_name = "TikTok"
    needs_key = True  # posts with the user's connected account
    remote = True

    def oauth(self) -> TikTokOAuth:
        return TikTokOAuth(self.settings, transport=self._transport)

    def account(self, tokens: ConnectionTokens | None) -> ConnectedAccount:
        """The TikTok account behind the tokens, by user info (open id, name, avatar: P11)."""
        if tokens is None:
            raise InputError("TikTok is connected by signing in at TikTok.")
        client = self.oauth()
        try:
            info = client.user_info(access_token=tokens.access_token.get_secret_value())
        finally:
            client.close()
        open_id = info.open_id or tokens.open_id or ""
        if not open_id:
            raise ProviderError("TikTok did not say which account connected.", provider="tiktok")
        return ConnectedAccount(
            key=open_id,
            open_id=open_id,
            display_name=info.display_name,
            avatar_url=info.avatar_url,
        )

    def check_post(self, request: PostRequest) -> None:
        if request.privacy_level not in PRIVACY_LEVELS:
            raise InputError(f"TikTok privacy_level must be one of: {', '.join(PRIVACY_LEVELS)}.")
        if request.is_video:
            if utf16_len(request.caption()) > TITLE_MAX_UTF16:
                raise InputError(
                    f"TikTok captions (title and description) are at most {TITLE_MAX_UTF16} "
                    "characters (emoji count as 2); shorten them."
                )
            return
        check_photo_post(request)
        if not all(url.startswith("https://") for url in request.image_urls):
            raise ConfigError(
                "TikTok pulls carousel images only from a verified https:// address. Set "
                "REELFORGE_PUBLIC_URL (or REELFORGE_PUBLISH_MEDIA_URL) to the server's https "
                "address and verify it in the TikTok developer portal.",
                details={"setting": "REELFORGE_PUBLISH_MEDIA_URL"},
            )

    def poll_policy(self) -> PollPolicy:
        """Polling from settings (``REELFORGE_TIKTOK_POLL_INTERVAL_S`` / ``_MAX_WAIT_S``)."""
        return PollPolicy(
            first_s=self.settings.tiktok_poll_interval_s,
            max_wait_s=self.settings.tiktok_poll_max_wait_s,
        )

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
        policy = poll or self.poll_policy()

        def run(token: str) -> PlatformPost:
            client = TikTokPosting(self.settings, access_token=token, transport=self._transport)
            try:
                if request.is_video:
                    post = publish_video(
                        client=client,
                        ledger=ledger,
                        post_key=post_key,
                        request=request,
                        chunk_size=self.settings.tiktok_chunk_bytes,
                        poll=policy,
                        on_progress=on_progress,
                        ffmpeg=self.settings.ffmpeg,
                    )
                else:
                    post = publish_photos(
                        client=client,
                        ledger=ledger,
                        post_key=post_key,
                        request=request,
                        poll=policy,
                    )
                if post.post_ids and post.done:
                    try:  # the public URL needs the creator's username
                        name = client.creator_info().username
                        link = post_url(name, post.post_ids[0], photo=not request.is_video)
                        post = post.model_copy(update={"url": link})
                    except ProviderError:
                        pass  # the post is out; only its link is missing
                return post
            finally:
                client.close()

        return with_fresh_token(access_token, run, rejected=TOKEN_REJECTED)
