"""Write the README's "All settings" tables from the settings sections in config.py.

    .venv/bin/python tools/settings_doc.py            # print the tables
    .venv/bin/python tools/settings_doc.py --readme   # replace them in README.md

One table per section class that ``Settings`` inherits, in the order ``Settings``
lists them, headed by the section's docstring. A field's meaning is the comment
block directly above it (no blank line between) followed by its trailing comment
and any continuation lines under that (``#`` then two or more spaces).

tests/test_readme.py checks that every setting is in the README, so a new
setting without documentation fails CI; this script writes the rows.
"""

from __future__ import annotations

import argparse
import ast
import inspect
import io
import json
import sys
import tokenize
from pathlib import Path

ROOT = Path(__file__).parents[1]
README = ROOT / "README.md"
HEADING = "## All settings"
sys.path.insert(0, str(ROOT / "src"))

from pydantic import BaseModel  # noqa: E402

from reelforge.config import Settings  # noqa: E402

Row = tuple[str, str, str]  # env var, default, meaning


def sections() -> list[type[BaseModel]]:
    """The classes that declare Settings' fields, in the order Settings lists them."""
    found = [
        cls
        for cls in Settings.__mro__
        if issubclass(cls, BaseModel)
        and cls.__module__.startswith("reelforge.config")
        and "__annotations__" in vars(cls)
    ]
    return [*found[1:], found[0]] if found[0] is Settings else found


def _comments(source: str) -> dict[int, str]:
    """Line number -> text (from the ``#`` on) of each comment in ``source``."""
    return {
        tok.start[0]: tok.string
        for tok in tokenize.generate_tokens(io.StringIO(source).readline)
        if tok.type == tokenize.COMMENT
    }


def _text(comment: str) -> str:
    return comment.lstrip("#").strip()


def _default(name: str, node: ast.expr | None, source: str) -> str:
    if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Field":
        keywords = {k.arg: k.value for k in node.keywords}
        if "default" in keywords:
            node = keywords["default"]
        elif "default_factory" in keywords:
            factory = keywords["default_factory"]
            if isinstance(factory, ast.Name):
                return f"{factory.id}()"
            value = Settings.model_fields[name].get_default(call_default_factory=True)
            return json.dumps(value, separators=(", ", ": "))
    return "—" if node is None else (ast.get_source_segment(source, node) or "—")


def _limits(name: str) -> str:
    """Bounds set with Field(ge=..., gt=..., le=..., lt=...), in words."""
    signs = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<"}
    found = [
        f"{sign} {getattr(item, attr)}"
        for item in Settings.model_fields[name].metadata
        for attr, sign in signs.items()
        if getattr(item, attr, None) is not None
    ]
    return f" (must be {', '.join(found)})" if found else ""


def rows(section: type[BaseModel]) -> list[Row]:
    path = inspect.getsourcefile(section)
    assert path, section
    source = Path(path).read_text()
    lines = source.splitlines()
    comments = _comments(source)
    body = next(
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ClassDef) and node.name == section.__name__
    ).body
    found: list[Row] = []
    for node in body:
        if not isinstance(node, ast.AnnAssign) or not isinstance(node.target, ast.Name):
            continue
        name = node.target.id
        if name not in Settings.model_fields:
            continue
        indent = " " * node.col_offset

        def alone(n: int, indent: str = indent) -> bool:  # line n is only a comment
            return n in comments and lines[n - 1] == indent + comments[n]

        above: list[str] = []
        line = node.lineno - 1
        while alone(line) and not comments[line].startswith("#  "):
            above.insert(0, _text(comments[line]))
            line -= 1
        last = node.end_lineno or node.lineno
        trailing = [_text(comments[n]) for n in range(node.lineno, last + 1) if n in comments]
        line = last + 1
        while trailing and alone(line) and comments[line].startswith("#  "):
            trailing.append(_text(comments[line]))  # a continuation: "#" and 2+ spaces
            line += 1
        meaning = " ".join(part for part in [*above, *trailing] if part) + _limits(name)
        found.append(
            (f"REELFORGE_{name.upper()}", _default(name, node.value, source), meaning.strip())
        )
    return found


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def tables() -> str:
    out: list[str] = []
    documented: set[str] = set()
    for section in sections():
        heading = (inspect.getdoc(section) or section.__name__).splitlines()[0]
        out += [f"**{heading}**", "", "| setting | default | meaning |", "|---|---|---|"]
        for env, default, meaning in rows(section):
            documented.add(env)
            out.append(f"| `{env}` | `{_cell(default)}` | {_cell(meaning)} |")
        out.append("")
    missing = {f"REELFORGE_{n.upper()}" for n in Settings.model_fields} - documented
    assert not missing, f"fields not found in a section class: {sorted(missing)}"
    return "\n".join(out).rstrip("\n") + "\n"


def write_readme(text: str) -> None:
    """Replace the tables under HEADING: from its first bold line to the next ## heading."""
    readme = README.read_text()
    start = readme.index("\n**", readme.index(f"\n{HEADING}\n")) + 1
    end = readme.find("\n## ", start)
    end = len(readme) if end < 0 else end + 1
    block = readme[start:end]
    gap = block[len(block.rstrip("\n")) :]  # keep the blank lines before the next heading
    README.write_text(readme[:start] + text.rstrip("\n") + gap + readme[end:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readme", action="store_true", help=f"rewrite them in {README.name}")
    args = parser.parse_args()
    if args.readme:
        write_readme(tables())
    else:
        print(tables(), end="")


if __name__ == "__main__":
    main()
