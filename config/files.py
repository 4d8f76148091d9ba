"""The text of the files people edit (settings, overrides, catalogs, digest intros): read
only from a regular file of bounded size (:func:`read_file`), UTF-8, whatever the editor
added or chose.

Windows editors and Excel's "CSV UTF-8" begin a file with a byte-order mark. Left in, it
is part of the first key or column name: TOML refuses the file at line 1, column 1, and a
catalog's ``id`` column is not found, so every entry gets its row number as its id. A file
saved in another encoding (Excel's plain "CSV" on a Japanese Windows writes Shift_JIS) is
refused with the line of its first foreign byte and the fix.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

# Characters that no text people edit may carry into what is published (as regex class
# ranges): controls, which XML 1.0 forbids but for tab, newline and return (and C1 controls
# are never text; word processors write U+000B for a line break), and the bidi embedding,
# override and isolate controls, which can make a title read backwards on a page.
CONTROL_CHARACTERS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"


MAX_EDITED_BYTES = 16 * 1024 * 1024  # the largest settings, overrides or intro file read


def is_special(path: Path) -> bool:
    """Whether ``path`` (or what a link there points to) is a device, a pipe or a socket:
    there, but neither a file nor a folder. Such a path reads as an empty file, and a file
    moved over it replaces it (``/dev/null``, for a program run as root)."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):  # missing, a broken link, or no path (a NUL in it)
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def read_file(path: Path, limit: int = MAX_EDITED_BYTES) -> bytes:
    """The bytes of the file at ``path``, which must be a regular file (or a link to one)
    of at most ``limit`` bytes. A path people write may name anything: ``/dev/zero`` was
    read until the memory was full, and a pipe was waited on for ever.

    Raises:
        OSError: the file cannot be read, is a folder, a device or a pipe, or is larger
            than ``limit`` (its ``strerror`` says which, in words for the operator).
    """
    # Without O_NONBLOCK, opening a pipe waits for a writer; a regular file ignores it.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "it is a folder, not a file", str(path))
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, "it is a device or a pipe, not a file", str(path))
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise OSError(errno.EFBIG, f"it is over the {limit}-byte limit", str(path))
    return data


class NotUtf8(ValueError):
    """The bytes are not UTF-8 text; the message names the line and the fix."""


def utf8_text(data: bytes, hint: str = "") -> str:
    """``data`` decoded as UTF-8, without a leading byte-order mark.

    Args:
        data: the file's bytes.
        hint: how to save this kind of file as UTF-8, added to the fix.

    Raises:
        NotUtf8: ``data`` is not UTF-8.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start]
        fix = f"save the file as UTF-8{f' ({hint})' if hint else ''}"
        raise NotUtf8(f"not UTF-8 text (line {line} has the byte 0x{byte:02x}); {fix}") from None
