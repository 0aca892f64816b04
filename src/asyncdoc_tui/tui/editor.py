"""Build the command that opens `$EDITOR` at a file and line.

Editors disagree on how to take a line number, so the common families are spelled out.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path, PurePath

# editors that accept `+LINE FILE`
_PLUS_LINE = {"vi", "vim", "nvim", "view", "gvim", "nano", "emacs", "emacsclient", "micro", "kak", "joe", "ne", "mg", "jed"}
# editors that accept `-g FILE:LINE`
_GOTO_FLAG = {"code", "code-insiders", "codium", "cursor", "windsurf"}
# editors that accept `FILE:LINE`
_COLON_LINE = {"subl", "hx", "zed"}


def editor_from_env(environ: dict[str, str] | None = None) -> list[str]:
    """`$VISUAL`, then `$EDITOR`, then `vi`, split like a shell would."""
    env = os.environ if environ is None else environ
    value = env.get("VISUAL") or env.get("EDITOR") or "vi"
    return shlex.split(value) or ["vi"]


def editor_command(editor: list[str], path: Path, line: int) -> list[str]:
    """The argv that opens `path` at `line` with `editor`."""
    name = PurePath(editor[0]).name.removesuffix(".exe")
    if name in _PLUS_LINE:
        return [*editor, f"+{line}", str(path)]
    if name in _GOTO_FLAG:
        return [*editor, "-g", f"{path}:{line}"]
    if name in _COLON_LINE:
        return [*editor, f"{path}:{line}"]
    return [*editor, str(path)]
