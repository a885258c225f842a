"""Source media: find or make the still or clip each scene shows.

Why a chain: a short must render even when the stock search finds nothing or
a provider is down, so providers are tried in the order the user chose and a
procedural background is the floor. Every fallback is recorded as a warning
the user sees ("pexels found nothing for 'stale bread'; used a procedural
background"), never silently. A refused API key is *not* a fallback case: it
is the user's setting to fix, so the ConfigError goes up.

What comes back is data: a :class:`MediaAsset` saying image or video, its size
and duration, and who made it. The renderer decides pan/zoom for stills and
trim/loop for clips from that; :func:`attribution_lines` turns assets into the
credits file.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from collections.abc import Iterable, Sequence
from pathlib import Path

from reelforge.errors import ProviderError
from reelforge.providers.base import ImageGen, MediaRequest, MediaSource
from reelforge.providers.media.procedural import ProceduralMedia
from reelforge.providers.types.media import MediaAsset
from reelforge.studio.models import Visual, VisualKind

log = logging.getLogger(__name__)

#: Providers whose media needs no credit line: drawn here, or the user's own files.
NO_CREDIT = frozenset({"procedural", "library"})


def source_scene(
    *,
    visual: Visual,
    providers: Sequence[MediaSource],
    request: MediaRequest,
    cache_dir: Path,
    warnings: list[str] | None = None,
    imagegen: ImageGen | None = None,
) -> MediaAsset:
    """The asset for one scene; appends to ``warnings`` why any provider was passed over.

    ``visual.kind`` decides the route: PROCEDURAL draws a background at once;
    GENERATED asks ``imagegen`` for ``visual.prompt`` (falling back to the
    media chain); STOCK tries ``providers`` in order with ``visual.query``.
    """
    notes: list[str] = [] if warnings is None else warnings
    request = dataclasses.replace(
        request,
        query=(visual.query or request.query).strip(),
        style=visual.style or request.style,
    )
    if visual.kind is VisualKind.PROCEDURAL:
        return _floor(providers).fetch(request, cache_dir=cache_dir)

    if visual.kind is VisualKind.GENERATED:
        generated = _generate(visual, request, imagegen, cache_dir, notes)
        if generated is not None:
            return generated

    if not request.query and any(not isinstance(p, ProceduralMedia) for p in providers):
        _note(
            notes,
            f"Scene {request.seed + 1}: no search text for stock media; "
            "using a procedural background.",
        )
    for provider in providers:
        asset = _try(provider, request, cache_dir, notes)
        if asset is not None:
            return asset
    return _floor(providers).fetch(request, cache_dir=cache_dir)


def _floor(providers: Sequence[MediaSource]) -> ProceduralMedia:
    """The chain's procedural provider, else one built with the chain's own settings."""
    procedural = next((p for p in providers if isinstance(p, ProceduralMedia)), None)
    if procedural is not None:
        return procedural
    if not providers:
        raise ValueError("source_scene needs at least one media provider")
    return ProceduralMedia(providers[0].settings)


def _note(notes: list[str], message: str) -> None:
    log.warning(message)
    notes.append(message)


def _try(
    provider: MediaSource, request: MediaRequest, cache_dir: Path, notes: list[str]
) -> MediaAsset | None:
    if not request.query and not isinstance(provider, ProceduralMedia):
        return None
    try:
        asset = provider.fetch(request, cache_dir=cache_dir)
    except ProviderError as error:
        _note(
            notes,
            f"Scene {request.seed + 1}: {provider.name} failed ({error.message}); "
            "trying the next media source.",
        )
        asset = None
    else:
        if asset is None:
            _note(
                notes,
                f"Scene {request.seed + 1}: {provider.name} found nothing for "
                f"{request.query!r}; trying the next media source.",
            )
    take = getattr(provider, "take_warnings", None)
    if callable(take):
        for message in take():
            _note(notes, str(message))
    return asset


def _generate(
    visual: Visual,
    request: MediaRequest,
    imagegen: ImageGen | None,
    cache_dir: Path,
    notes: list[str],
) -> MediaAsset | None:
    if imagegen is None or not visual.prompt.strip():
        why = "no image generator is chosen" if imagegen is None else "the scene has no prompt"
        _note(
            notes,
            f"Scene {request.seed + 1}: wanted a generated image but {why}; "
            "using stock or procedural media instead.",
        )
        return None
    model = str(getattr(imagegen, "model", ""))
    ident = json.dumps([imagegen.name, model, visual.prompt, request.width, request.height])
    stem = hashlib.sha256(ident.encode()).hexdigest()[:24]
    out = cache_dir / "generated" / f"{stem}.png"
    record = out.with_suffix(".json")
    if out.exists() and record.exists():  # generated before: never pay for it twice
        return MediaAsset.model_validate_json(record.read_text(encoding="utf-8"))
    try:
        asset = imagegen.generate(
            prompt=visual.prompt, width=request.width, height=request.height, out_path=out
        )
    except ProviderError as error:
        _note(
            notes,
            f"Scene {request.seed + 1}: image generation failed ({error.message}); "
            "using stock or procedural media instead.",
        )
        return None
    tmp = record.with_suffix(".json.part")
    tmp.write_text(asset.model_dump_json(), encoding="utf-8")
    tmp.replace(record)
    return asset


def attribution_lines(assets: Iterable[MediaAsset]) -> list[str]:
    """Credit lines for the media used, one per distinct item, in order of use.

    Locally drawn backgrounds and the user's own files need no credit and get
    no line; an empty list means no credits file is needed. Generated images
    get a line saying which model made them.
    """
    lines: list[str] = []
    seen: set[str] = set()
    for asset in assets:
        if asset.provider in NO_CREDIT:
            continue
        ident = asset.source_url or str(asset.path)
        if ident in seen:
            continue
        seen.add(ident)
        if not (asset.author or asset.source_url):
            lines.append(f"Image — {asset.licence or 'generated by ' + asset.provider}")
            continue
        what = "Video" if asset.kind == "video" else "Photo"
        by = f" by {asset.author}" if asset.author else ""
        if asset.author_url:
            by += f" ({asset.author_url})"
        parts = [f"{what}{by} on {asset.provider.capitalize()}"]
        if asset.source_url:
            parts.append(asset.source_url)
        if asset.licence:
            parts.append(asset.licence)
        lines.append(" — ".join(parts))
    return lines
