"""Editing a video on the dashboard: the scene editor's moves, saving and re-rendering.

The page itself is :mod:`.videos`'s; these are its form posts. Moves, additions and
deletions answer the edited draft (htmx swaps in the editor) and save nothing; saving
queues a re-render through the service behind ``PUT /api/v1/videos/{id}/script``, and a
bad edit comes back with the message next to the field and everything typed kept.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from reelforge.errors import InputError, QuotaExceeded
from reelforge.videos import service as videos
from reelforge.web.dashboard import videos_editor as editor
from reelforge.web.dashboard.videos import FormDep, VideoId, video_page_response
from reelforge.web.dashboard.viewer import ViewerDep
from reelforge.web.deps import DbDep, RuntimeDep

router = APIRouter()


@router.post("/videos/{video_id}/editor")
def edit_scenes(
    request: Request,
    viewer: ViewerDep,
    db: DbDep,
    runtime: RuntimeDep,
    form: FormDep,
    video_id: str = VideoId,
) -> Response:
    """Move, add or delete a scene in the draft; nothing is saved (htmx swaps the editor)."""
    video = videos.get_video(db, owner_id=viewer.user_id, video_id=video_id)
    draft = editor.from_form(form)
    action = form.get("action")
    editor.apply(draft, action if isinstance(action, str) else "")
    return video_page_response(request, runtime, db, video, draft=draft)


@router.post("/videos/{video_id}/script")
def save_script(
    request: Request,
    viewer: ViewerDep,
    db: DbDep,
    runtime: RuntimeDep,
    form: FormDep,
    video_id: str = VideoId,
) -> Response:
    """Save the edited scenes and re-render, as ``PUT /api/v1/videos/{id}/script`` does."""
    video = videos.get_video(db, owner_id=viewer.user_id, video_id=video_id)
    draft = editor.from_form(form)
    draft.unsaved = True
    script = editor.check(draft, video.script or {"topic": video.topic})
    if script is None:
        return video_page_response(
            request,
            runtime,
            db,
            video,
            draft=draft,
            problem="Nothing was saved: fix what is marked below, then save again.",
            status_code=400,
        )
    try:
        videos.start_rerender(
            db,
            runtime.settings,
            runtime.queue,
            owner_id=viewer.user_id,
            video_id=video.id,
            script=script,
        )
    except (InputError, QuotaExceeded) as exc:
        db.rollback()
        video = videos.get_video(db, owner_id=viewer.user_id, video_id=video_id)
        return video_page_response(
            request, runtime, db, video, draft=draft, problem=exc.message, status_code=400
        )
    return RedirectResponse(f"/videos/{video.id}", status_code=303)


@router.post("/videos/{video_id}/render")
def render_again(
    request: Request, viewer: ViewerDep, db: DbDep, runtime: RuntimeDep, video_id: str = VideoId
) -> Response:
    """Render the saved script again (after a failed or cancelled render)."""
    video = videos.get_video(db, owner_id=viewer.user_id, video_id=video_id)
    if not video.script:
        db.commit()
        return RedirectResponse("/videos/new?" + urlencode({"topic": video.topic}), status_code=303)
    try:
        videos.start_rerender(
            db,
            runtime.settings,
            runtime.queue,
            owner_id=viewer.user_id,
            video_id=video.id,
            script=video.script,
        )
    except (InputError, QuotaExceeded) as exc:
        db.rollback()
        video = videos.get_video(db, owner_id=viewer.user_id, video_id=video_id)
        return video_page_response(
            request, runtime, db, video, problem=exc.message, status_code=400
        )
    return RedirectResponse(f"/videos/{video.id}", status_code=303)
