"""Every message an application error carries is read by a person (on a page, in an API client,
in a command's output), so it goes through the translation machinery like every other text.

A literal string or an f-string handed straight to one of our errors (``NotAllowed("…")``,
``InvalidInput.at(where, f"…")``) or to a ``Problem`` would reach every reader in English.
"""

from __future__ import annotations

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "src" / "waypoint"
#: the errors people read (core/errors.py and each app's subclasses), and the located problem
ERRORS = {
    "ApplicationError",
    "InvalidInput",
    "NotAllowed",
    "NotFound",
    "EditConflict",
    "Problem",
    "FrameworkFileInvalid",
    "IndicatorRuleBroken",
    "TargetsChangedMeanwhile",
    "UnitCodeTaken",
    "UnitTreeError",
    "FileInvalid",
    "PlanRuleBroken",
    "PlanFileInvalid",
    "PlanLocked",
    "RoadmapRuleBroken",
    "PydanticCustomError",
}


def _error_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "at":  # InvalidInput.at(where, message)
        func = func.value
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _bare_texts(call: ast.Call) -> list[ast.expr]:
    """The arguments that are English as written: a literal with a letter in it, or an f-string."""
    found: list[ast.expr] = []
    for arg in call.args[1:] if _error_name(call) in ("Problem",) or _is_at(call) else call.args:
        if isinstance(arg, ast.JoinedStr) or (
            isinstance(arg, ast.Constant) and isinstance(arg.value, str) and any(c.isalpha() for c in arg.value)
        ):
            found.append(arg)
    return found


def _is_at(call: ast.Call) -> bool:
    return isinstance(call.func, ast.Attribute) and call.func.attr == "at"


def test_no_error_message_is_written_in_english_only() -> None:
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        if "migrations" in path.parts or "engine" in path.parts:
            continue  # the engines are Django-free: their messages are translated by their callers
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or _error_name(node) not in ERRORS:
                continue
            if _error_name(node) == "PydanticCustomError":
                texts: list[ast.expr] = [a for a in node.args[1:2] if isinstance(a, (ast.Constant, ast.JoinedStr))]
            else:
                texts = _bare_texts(node)
            found += [f"{path.relative_to(SOURCE)}:{text.lineno}" for text in texts]
    assert not found, "wrap these in gettext (_(…) with %(name)s placeholders):\n" + "\n".join(found)
