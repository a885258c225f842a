"""What changed between two Content DNA versions, field by field, in words a person reads.

Why a diff of its own: a profile is a handful of short texts and lists, so a
line diff of its JSON would say little. Per field it says the value before
and after and, for lists, which items were added and which removed — enough to
decide whether to restore an older version.
"""

from __future__ import annotations

from pydantic import BaseModel

from reelforge.research.dna.profile import ContentDNA

#: Every field of the profile, in the order people read it, with its name for people.
LABELS: dict[str, str] = {
    "niche": "Niche",
    "audience": "Audience",
    "voice_and_tone": "Voice and tone",
    "hook_styles": "Hook styles",
    "phrases_to_use": "Phrases to use",
    "phrases_to_avoid": "Phrases to avoid",
    "calls_to_action": "Calls to action",
    "words_per_minute": "Words per minute",
    "target_seconds": "Target length (seconds)",
    "visual_style": "Visual style",
    "posting_goals": "Posting goals",
}
LIST_FIELDS = ("hook_styles", "phrases_to_use", "phrases_to_avoid", "calls_to_action")


class FieldChange(BaseModel):
    field: str
    label: str
    before: str
    after: str
    added: list[str]  # list fields only: items in ``after`` that ``before`` lacks
    removed: list[str]  # list fields only: items in ``before`` that ``after`` lacks


def shown(value: object) -> str:
    """A field's value as text: lists joined with commas, empty as an en dash."""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "–"
    return str(value) if value not in ("", None) else "–"


def diff_profiles(before: ContentDNA, after: ContentDNA) -> list[FieldChange]:
    """The fields whose value differs, in :data:`LABELS` order."""
    old, new = before.model_dump(), after.model_dump()
    changes = []
    for name, label in LABELS.items():
        if old[name] == new[name]:
            continue
        added: list[str] = []
        removed: list[str] = []
        if name in LIST_FIELDS:
            was = {str(v).lower() for v in old[name]}
            now = {str(v).lower() for v in new[name]}
            added = [v for v in new[name] if str(v).lower() not in was]
            removed = [v for v in old[name] if str(v).lower() not in now]
        changes.append(
            FieldChange(
                field=name,
                label=label,
                before=shown(old[name]),
                after=shown(new[name]),
                added=added,
                removed=removed,
            )
        )
    return changes
