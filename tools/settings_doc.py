"""Print the README's "All settings" table from config.py (fields, defaults, comments).

    .venv/bin/python tools/settings_doc.py > /tmp/settings.md

tests/test_readme.py checks that every setting is in the README, so a new
setting without documentation fails CI; this script writes the rows.
"""

from __future__ import annotations

import re
from pathlib import Path

CONFIG = Path(__file__).parents[1] / "src" / "reelforge" / "config.py"
FIELD = re.compile(r"^    (\w+): ([^=#]+?)(?: = (.+?))?\s*(?:#\s*(.*))?$")


def rows() -> list[tuple[str, str, str, str]]:
    found: list[tuple[str, str, str, str]] = []
    section = ""
    pending: list[str] = []  # a comment block above a field describes it
    for line in CONFIG.read_text().splitlines():
        if line.startswith("    # ---"):
            section, pending = line.strip("# -").strip(), []
            continue
        if line.startswith("    #"):
            pending.append(line.strip().lstrip("#").strip())
            continue
        match = FIELD.match(line)
        if not match or match[1] in ("model_config",):
            pending = [] if not line.strip() else pending
            continue
        name, _, default, comment = match.groups()
        if not comment and pending:
            comment = " ".join(pending)
        pending = []
        default = (default or "").strip()
        if default.startswith(("Field(", "(")) or default.endswith("("):
            default = "(see config.py)"
        found.append(
            (section, f"REELFORGE_{name.upper()}", default or "—", (comment or "").strip())
        )
    return found


def main() -> None:
    current = None
    for section, env, default, comment in rows():
        if section != current:
            current = section
            print(f"\n**{section or 'General'}**\n\n| setting | default | meaning |\n|---|---|---|")
        print(f"| `{env}` | `{default}` | {comment} |")


if __name__ == "__main__":
    main()
