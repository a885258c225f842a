"""What composing a post needs before it is asked for: the TikTok account's creator info, the
video's length, and TikTok's Direct Post rules checked on what the person chose.

Why a module of its own: TikTok's Content Sharing Guidelines bind the compose
form, not only the API call — the form must show the latest creator info (who
posts, which privacy levels, which interactions are off, how long a video may
be), offer no default privacy, and refuse a commercial disclosure without its
kind or branded content that is private. The dashboard's compose page calls
these functions; the publish job checks creator info again before its first
call to TikTok (:mod:`reelforge.providers.platforms.tiktok_machine`), so a rule
skipped here still stops the post there.

Creator info is read with the connection's own token, refreshed when TikTok
refuses it. :func:`creator_info` opens its own database sessions for that (the
token may rotate), so the caller must not hold a write transaction open.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from reelforge.av.ffmpeg import probe
from reelforge.connections import tokens
from reelforge.connections.service import get_connection
from reelforge.deps import Deps
from reelforge.errors import InputError, RenderError
from reelforge.providers.platforms.resumable import with_fresh_token
from reelforge.providers.platforms.tiktok import TOKEN_REJECTED
from reelforge.providers.platforms.tiktok_posting import TikTokPosting
from reelforge.providers.platforms.tiktok_posting import check_direct_post as _check_direct
from reelforge.providers.types.publishing import CreatorInfo, PostRequest
from reelforge.videos import service as videos
from reelforge.videos.tables import Video

#: The platform whose posts follow the Direct Post rules below.
TIKTOK = "tiktok"
PRIVATE = "SELF_ONLY"
#: TikTok's own words for the rules of its commercial content disclosure.
NEEDS_KIND = "You need to indicate if your content promotes yourself, a third party, or both."
BRANDED_NOT_PRIVATE = "Branded content visibility cannot be set to private."
#: reelforge's TikTok client does not send the disclosure toggles yet; a post that needs
#: them is stopped rather than published without its label.
DISCLOSURE_NOT_SENT = (
    "reelforge cannot send TikTok's commercial content disclosure yet, and a promotional post "
    "must not go out without its label. Post this one from the TikTok app, or turn the "
    "disclosure off if the content promotes nothing."
)


def creator_info(deps: Deps, *, owner_id: str, connection_id: str) -> CreatorInfo:
    """The latest creator info of the owner's TikTok connection (TikTok allows 20 a minute).

    ReconsentRequired when the grant is gone; a PlatformError (``spam_risk_…``,
    ``scope_not_authorized``, ``rate_limit_exceeded``) says why this account cannot post now.
    """
    with deps.database.session() as db:
        connection = get_connection(db, owner_id=owner_id, connection_id=connection_id)
        platform = connection.platform
    if platform != TIKTOK:
        raise InputError(f"Creator info is TikTok's; this connection is {platform}.")

    def token(force: bool) -> str:
        return tokens.access_token(
            deps, owner_id=owner_id, connection_id=connection_id, force=force
        )

    def read(access: str) -> CreatorInfo:
        client = TikTokPosting(deps.settings, access_token=access)
        try:
            return client.creator_info()
        finally:
            client.close()

    return with_fresh_token(token, read, rejected=TOKEN_REJECTED)


def remember_avatar(
    db: Session, *, owner_id: str, connection_id: str, creator: CreatorInfo
) -> None:
    """Keep the connection's avatar URL current (the one account detail P11 allows besides
    its name and open id), so the Connections page shows the picture TikTok shows."""
    connection = get_connection(db, owner_id=owner_id, connection_id=connection_id)
    if creator.avatar_url and creator.avatar_url[:1000] != connection.avatar_url:
        connection.avatar_url = creator.avatar_url[:1000]


def video_length(deps: Deps, video: Video) -> float | None:
    """The video's length in seconds: from its render report, else by probing the stored file
    when it is on this machine; None when neither can tell (the publish job probes it then)."""
    report = videos.render_report(deps.blobs, video)
    if report is not None and report.duration > 0:
        return report.duration
    local = deps.blobs.local_path(videos.file_key(video, "mp4"))
    if local is None or not Path(local).is_file():
        return None
    try:
        return probe(Path(local)).duration or None
    except RenderError:
        return None


def check_direct_post(
    *,
    creator: CreatorInfo,
    privacy_level: str,
    title: str,
    description: str,
    is_video: bool,
    duration_s: float | None,
) -> None:
    """The creator-info rules (privacy offered, video length, caption length) on what the
    person chose; InputError says what to change."""
    if not privacy_level:
        raise InputError("Choose who can see this post: TikTok has no default for it.")
    stand_in = PostRequest(
        title=title,
        description=description,
        privacy_level=privacy_level,
        video_path=Path("video.mp4") if is_video else None,
        image_urls=() if is_video else ("https://stand.in/1.jpg",),
    )
    _check_direct(stand_in, creator, duration_s=duration_s)


def check_disclosure(
    *, disclose: bool, your_brand: bool, branded_content: bool, privacy_level: str
) -> None:
    """TikTok's commercial content rules; then reelforge's own limit (it cannot send them)."""
    if not disclose:
        return
    if not (your_brand or branded_content):
        raise InputError(NEEDS_KIND)
    if branded_content and privacy_level == PRIVATE:
        raise InputError(BRANDED_NOT_PRIVATE)
    raise InputError(DISCLOSURE_NOT_SENT)
