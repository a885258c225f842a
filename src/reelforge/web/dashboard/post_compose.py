"""New post on the dashboard: a finished video or a photo carousel, to one connected account,
now or at a chosen time (with the next good times suggested).

Each platform gets the form it asks for:

* TikTok follows its Direct Post UX rules (Content Sharing Guidelines): the
  latest creator info is read when the page is drawn and again on submit; the
  account's nickname and picture are shown; privacy is a dropdown of exactly
  ``privacy_level_options`` with no default; Allow comment / Duet / Stitch
  start off and are disabled where creator info says so (a carousel offers
  comments only); the commercial content disclosure and its labels are there;
  the Music Usage Confirmation line is always shown; a video longer than
  ``max_video_post_duration_sec`` cannot be submitted;
* YouTube: title, description, privacy;
* any other platform (the outbox, a plugin): title and description.

Posts are asked for with :func:`reelforge.publish.posts.create_post`, committed
and queued exactly as ``POST /api/v1/posts`` does; the checks TikTok's rules
need are :mod:`reelforge.publish.compose`. Carousel images are uploaded here
(:func:`reelforge.publish.uploads.add_images`) and put in order in the page
(drag, or the move buttons); their order on submit is the carousel's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from reelforge.clock import utc_now
from reelforge.connections import service as connections
from reelforge.connections.tables import PlatformConnection
from reelforge.errors import InputError, NotFound, ProviderError, QuotaExceeded, ReelforgeError
from reelforge.providers.types.publishing import CreatorInfo
from reelforge.publish import compose, posts, suggest, uploads
from reelforge.publish.images import max_image_bytes
from reelforge.publish.tables import Upload
from reelforge.runtime import Runtime
from reelforge.videos import service as videos
from reelforge.videos.tables import Video
from reelforge.web.dashboard.posts import PRIVACY_LABELS, OwnerDep, platform_name
from reelforge.web.dashboard.publishing_time import clean_tz, read_local, shown
from reelforge.web.dashboard.templating import render
from reelforge.web.dashboard.viewer import Viewer
from reelforge.web.deps import DbDep, RuntimeDep

router = APIRouter()

#: TikTok's privacy levels as its app names them.
TIKTOK_PRIVACY = {
    level: PRIVACY_LABELS[level]
    for level in ("PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "SELF_ONLY")
}
YOUTUBE_PRIVACY = {level: PRIVACY_LABELS[level] for level in ("private", "unlisted", "public")}
#: Which form each platform gets; any other platform gets the plain one.
FORMS = {"tiktok": "tiktok", "youtube": "youtube"}


@dataclass
class Compose:
    """What the person filled in (kept as typed when the form comes back with a message)."""

    connection_id: str = ""
    video_id: str = ""
    images: list[str] = field(default_factory=list)
    kind: str = ""  # "video", "photos" or "" (not chosen yet)
    title: str = ""
    description: str = ""
    privacy_level: str = ""
    allow_comment: bool = False
    allow_duet: bool = False
    allow_stitch: bool = False
    disclose: bool = False
    your_brand: bool = False
    branded_content: bool = False
    is_aigc: bool = False
    when: str = "now"
    publish_local: str = ""
    tz: str = "UTC"

    def query(self, **extra: str) -> str:
        """This draft's choice of media and account as a /posts/new query string."""
        pairs: list[tuple[str, str]] = []
        if self.video_id:
            pairs.append(("video", self.video_id))
        if self.kind == "photos":
            pairs.append(("kind", "photos"))
            pairs += [("images", i) for i in self.images]
        if self.connection_id:
            pairs.append(("connection", self.connection_id))
        pairs += list(extra.items())
        return urlencode(pairs)


@dataclass
class Page:
    """Everything the compose page shows besides the form's own values."""

    connections: list[dict[str, Any]]
    connection: PlatformConnection | None
    platform: str  # display name
    form_kind: str  # "tiktok", "youtube", "plain"
    video: Video | None = None
    thumbnail: bool = False
    duration: float | None = None
    uploads: list[Upload] = field(default_factory=list)
    ready_videos: list[Video] = field(default_factory=list)
    creator: CreatorInfo | None = None
    creator_problem: str = ""
    reconnect: bool = False
    too_long: str = ""
    suggestion: suggest.Suggestion | None = None
    suggested: list[dict[str, str]] = field(default_factory=list)
    privacy: dict[str, str] = field(default_factory=dict)

    @property
    def blocked(self) -> bool:
        """Nothing may be submitted (TikTok says no, or the video is too long)."""
        return bool(self.creator_problem or self.too_long)


def _connection_choices(
    db: Session, settings: object, owner_id: str
) -> tuple[list[PlatformConnection], list[dict[str, Any]]]:
    rows = connections.list_connections(db, owner_id=owner_id)
    shown_rows = [
        {
            "row": r,
            "label": f"{r.display_name or platform_name(settings, r.platform)} "
            f"({platform_name(settings, r.platform)})",
        }
        for r in rows
    ]
    return rows, shown_rows


def _owned_uploads(db: Session, owner_id: str, ids: list[str]) -> list[Upload]:
    """The owner's uploads among ``ids``, in that order (unknown ids are dropped)."""
    wanted = list(dict.fromkeys(i for i in ids if i))[:35]
    if not wanted:
        return []
    found = {
        u.id: u
        for u in db.scalars(
            select(Upload).where(Upload.owner_id == owner_id, Upload.id.in_(wanted))
        )
    }
    return [found[i] for i in wanted if i in found]


def _creator(db: Session, runtime: Runtime, page: Page, owner_id: str) -> None:
    """The latest creator info into ``page`` (or why there is none). Commits first: reading
    the token may refresh it in a transaction of its own."""
    assert page.connection is not None
    connection_id = page.connection.id
    db.commit()
    try:
        page.creator = compose.creator_info(runtime, owner_id=owner_id, connection_id=connection_id)
    except ReelforgeError as exc:
        page.reconnect = exc.code == "reconsent_required"
        page.creator_problem = (
            f"TikTok says this account cannot post right now: {exc.message} Try again later."
            if isinstance(exc, ProviderError) and not page.reconnect
            else exc.message
        )
        return
    compose.remember_avatar(
        db, owner_id=owner_id, connection_id=connection_id, creator=page.creator
    )
    db.commit()


def build_page(
    db: Session, runtime: Runtime, viewer: Viewer, form: Compose, *, choose_only: bool = False
) -> Page:
    """The page for ``form``; ``choose_only``: an account not named yet is the only one there
    is (drawing the form; a submitted post always names its account)."""
    settings = runtime.settings
    owner = viewer.user_id
    rows, choices = _connection_choices(db, settings, owner)
    connection = next((r for r in rows if r.id == form.connection_id), None)
    if connection is None and choose_only and len(rows) == 1 and not form.connection_id:
        connection = rows[0]
    form.connection_id = connection.id if connection else ""
    page = Page(
        connections=choices,
        connection=connection,
        platform=platform_name(settings, connection.platform) if connection else "",
        form_kind=FORMS.get(connection.platform, "plain") if connection else "plain",
    )
    if form.video_id:
        page.video = videos.get_video(db, owner_id=owner, video_id=form.video_id)
        form.kind = "video"
        page.thumbnail = "thumbnail" in videos.present_files(runtime.blobs, page.video)
        if page.video.status == "ready":
            page.duration = compose.video_length(runtime, page.video)
        if not form.title:
            form.title = (page.video.title or page.video.topic or "")[:150]
    elif form.kind == "photos":
        page.uploads = _owned_uploads(db, owner, form.images)
        form.images = [u.id for u in page.uploads]
    else:
        page.ready_videos = [
            v for v in videos.list_videos(db, owner_id=owner, limit=100) if v.status == "ready"
        ][:30]
    if connection is None:
        return page
    if page.form_kind == "tiktok":
        _creator(db, runtime, page, owner)  # the latest, every time the form is drawn
        if page.creator is not None:
            page.privacy = {
                level: TIKTOK_PRIVACY.get(level, level)
                for level in page.creator.privacy_level_options
            }
            limit = page.creator.max_video_post_duration_sec
            if form.kind == "video" and limit and page.duration and page.duration > limit:
                how = (
                    "edit its scenes and re-render"
                    if page.video is not None and page.video.script
                    else "trim it and upload it again"
                )
                page.too_long = (
                    f"This video is {page.duration:.1f} s long, but this TikTok account may "
                    f"post videos of at most {limit} s. Shorten it ({how}), or post it "
                    "somewhere else."
                )
    elif page.form_kind == "youtube":
        page.privacy = dict(YOUTUBE_PRIVACY)
        if not form.privacy_level:
            form.privacy_level = "private"
    page.suggestion = suggest.suggest(db, owner_id=owner, connection=connection, tz=form.tz)
    page.suggested = [
        {
            "value": slot.at.strftime("%Y-%m-%dT%H:%M"),
            "label": shown(slot.at, form.tz),
            "reason": slot.reason,
        }
        for slot in page.suggestion.slots
    ]
    return page


def _render(
    request: Request,
    page: Page,
    form: Compose,
    *,
    problem: str = "",
    status_code: int = 200,
    tz_given: bool = True,
) -> Response:
    return render(
        request,
        "publishing/new.html",
        status_code=status_code,
        title="New post",
        page=page,
        form=form,
        problem=problem,
        tz_given=tz_given,
        tiktok_privacy=TIKTOK_PRIVACY,
        rules={
            "needs_kind": compose.NEEDS_KIND,
            "branded_private": compose.BRANDED_NOT_PRIVATE,
            "not_sent": compose.DISCLOSURE_NOT_SENT,
        },
        back=f"/posts/new?{form.query()}",
        elsewhere="/posts/new"
        + (f"?{urlencode({'connection': form.connection_id})}" if form.connection_id else ""),
        max_images=35,
    )


@router.get("/posts/new")
def new_post(
    request: Request,
    viewer: OwnerDep,
    db: DbDep,
    runtime: RuntimeDep,
    video: Annotated[str, Query(max_length=64)] = "",
    connection: Annotated[str, Query(max_length=64)] = "",
    kind: Annotated[str, Query(max_length=8)] = "",
    images: Annotated[list[str], Query(max_length=35)] = [],  # noqa: B006 - FastAPI copies it
    tz: Annotated[str, Query(max_length=64)] = "",
) -> Response:
    form = Compose(
        connection_id=connection,
        video_id=video,
        kind="photos" if kind == "photos" and not video else "",
        images=[i[:64] for i in images],
        tz=clean_tz(tz),
    )
    page = build_page(db, runtime, viewer, form, choose_only=True)
    problem = ""
    if page.video is not None and page.video.status != "ready":
        problem = (
            f"This video is not finished yet (it is {page.video.status}). Post it once its "
            "render has succeeded."
        )
    db.commit()  # see posts._owner
    return _render(request, page, form, problem=problem, tz_given=bool(tz))


def _flag(value: str) -> bool:
    return value in ("on", "1", "true", "yes")


@router.post("/posts/new")
def create_post(
    request: Request,
    viewer: OwnerDep,
    db: DbDep,
    runtime: RuntimeDep,
    connection: Annotated[str, Form(max_length=64)] = "",
    video: Annotated[str, Form(max_length=64)] = "",
    kind: Annotated[str, Form(max_length=8)] = "",
    images: Annotated[list[str], Form(max_length=64)] = [],  # noqa: B006
    title: Annotated[str, Form(max_length=2200)] = "",
    description: Annotated[str, Form(max_length=5000)] = "",
    privacy_level: Annotated[str, Form(max_length=32)] = "",
    allow_comment: Annotated[str, Form(max_length=4)] = "",
    allow_duet: Annotated[str, Form(max_length=4)] = "",
    allow_stitch: Annotated[str, Form(max_length=4)] = "",
    disclose: Annotated[str, Form(max_length=4)] = "",
    your_brand: Annotated[str, Form(max_length=4)] = "",
    branded_content: Annotated[str, Form(max_length=4)] = "",
    is_aigc: Annotated[str, Form(max_length=4)] = "",
    when: Annotated[str, Form(max_length=8)] = "now",
    publish_local: Annotated[str, Form(max_length=20)] = "",
    tz: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    form = Compose(
        connection_id=connection,
        video_id=video,
        kind="photos" if kind == "photos" and not video else "",
        images=images[:35],
        title=title,
        description=description,
        privacy_level=privacy_level,
        allow_comment=_flag(allow_comment),
        allow_duet=_flag(allow_duet),
        allow_stitch=_flag(allow_stitch),
        disclose=_flag(disclose),
        your_brand=_flag(your_brand),
        branded_content=_flag(branded_content),
        is_aigc=_flag(is_aigc),
        when="later" if when == "later" else "now",
        publish_local=publish_local,
        tz=clean_tz(tz),
    )
    page = build_page(db, runtime, viewer, form)
    try:
        ask = _ask(page, form)
        post, job = posts.create_post(db, runtime, owner_id=viewer.user_id, ask=ask)
    except (InputError, NotFound, QuotaExceeded) as exc:
        db.rollback()
        return _render(request, page, form, problem=exc.message, status_code=400)
    db.commit()  # the worker must see the rows before it hears of the job
    if job is not None:
        runtime.queue.enqueue(job.id)
    return RedirectResponse(
        f"/posts/{post.id}?" + urlencode({"created": "1", "tz": form.tz}), status_code=303
    )


def _ask(page: Page, form: Compose) -> posts.PostInput:
    """The form as a post request, after the checks the compose page owes the platform."""
    if page.connection is None:
        raise InputError("Choose the account to post to.")
    if page.creator_problem:
        raise InputError(page.creator_problem)
    if page.too_long:
        raise InputError(page.too_long)
    if form.kind == "photos" and not form.images:
        raise InputError("Upload at least one image for the carousel.")
    if not form.video_id and form.kind != "photos":
        raise InputError("Choose a video, or make a photo carousel.")
    is_video = form.kind == "video"
    disable = {"disable_comment": False, "disable_duet": False, "disable_stitch": False}
    privacy = form.privacy_level
    if page.form_kind == "tiktok":
        assert page.creator is not None
        compose.check_direct_post(
            creator=page.creator,
            privacy_level=privacy,
            title=form.title,
            description=form.description,
            is_video=is_video,
            duration_s=page.duration,
        )
        compose.check_disclosure(
            disclose=form.disclose,
            your_brand=form.your_brand,
            branded_content=form.branded_content,
            privacy_level=privacy,
        )
        disable = {
            "disable_comment": not form.allow_comment or page.creator.comment_disabled,
            "disable_duet": is_video and (not form.allow_duet or page.creator.duet_disabled),
            "disable_stitch": is_video and (not form.allow_stitch or page.creator.stitch_disabled),
        }
    elif page.form_kind == "youtube":
        if privacy not in YOUTUBE_PRIVACY:
            raise InputError("Choose who can see the video on YouTube.")
    else:
        privacy = "SELF_ONLY"  # a platform without privacy levels keeps the default
    publish_at = None
    if form.when == "later":
        publish_at = read_local(form.publish_local, form.tz)
        if publish_at <= utc_now():
            raise InputError(
                f"{shown(publish_at, form.tz)} has passed: pick a time in the future, or "
                "choose Post now."
            )
    return posts.PostInput(
        connection_id=page.connection.id,
        video_id=form.video_id or None,
        images=tuple(form.images) if form.kind == "photos" else (),
        title=form.title.strip(),
        description=form.description.strip(),
        privacy_level=privacy,
        is_aigc=form.is_aigc,
        publish_at=publish_at,
        disable_comment=disable["disable_comment"],
        disable_duet=disable["disable_duet"],
        disable_stitch=disable["disable_stitch"],
    )


# --- carousel images -------------------------------------------------------------------


def _read(upload: UploadFile, limit: int) -> tuple[str, bytes]:
    data = upload.file.read(limit + 1)
    name = upload.filename or "an image"
    if len(data) > limit:
        raise InputError(f"{name} is larger than {limit / 1e6:.0f} MB; choose a smaller image.")
    return upload.filename or "", data


@router.post("/posts/images")
def add_images(
    request: Request,
    viewer: OwnerDep,
    db: DbDep,
    runtime: RuntimeDep,
    files: Annotated[list[UploadFile] | None, File()] = None,
    keep: Annotated[list[str], Form(max_length=64)] = [],  # noqa: B006
    images: Annotated[list[str], Form(max_length=64)] = [],  # noqa: B006
    connection: Annotated[str, Form(max_length=64)] = "",
    tz: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Upload images for the carousel. From htmx: the new items for the list (or a message
    in its place); without JavaScript: back to the compose page with them added."""
    settings = runtime.settings
    htmx = request.headers.get("hx-request") == "true"
    # htmx sends the list as it stands now (reordered, some removed); a plain form its own copy
    keep = images if htmx else keep
    chosen = [f for f in files or [] if f.filename]
    problem = ""
    rows: list[Upload] = []
    try:
        if not chosen:
            raise InputError("Choose one or more images first (JPEG, PNG or WebP).")
        if len(chosen) + len(keep) > settings.upload_max_images:
            raise InputError(f"A carousel has at most {settings.upload_max_images} images.")
        limit = max_image_bytes(settings)
        received = [_read(f, limit) for f in chosen]
        rows = uploads.add_images(
            db, runtime.blobs, settings, owner_id=viewer.user_id, files=received
        )
    except (InputError, QuotaExceeded) as exc:  # a bad image; the plan's storage is full
        db.rollback()
        problem = exc.message
    db.commit()
    if htmx:
        if problem:
            return _htmx_problem(request, problem)
        return render(request, "publishing/_carousel_items.html", items=rows, start=len(keep))
    form = Compose(
        connection_id=connection,
        kind="photos",
        images=[*keep, *(r.id for r in rows)],
        tz=clean_tz(tz),
    )
    if problem:
        page = build_page(db, runtime, viewer, form, choose_only=True)
        db.commit()
        return _render(request, page, form, problem=problem, status_code=400)
    return RedirectResponse(f"/posts/new?{form.query()}", status_code=303)


def _htmx_problem(request: Request, problem: str) -> Response:
    """A 200 (htmx leaves error answers unswapped) that lands in the upload message slot."""
    answer = render(request, "publishing/_upload_problem.html", problem=problem)
    answer.headers["HX-Retarget"] = "#upload-problem"
    answer.headers["HX-Reswap"] = "innerHTML"
    return answer
