"""Where an export goes, and writing it there without harming what was there before.

`resolve_target` looks at what `-o PATH` names before anything is written:

* nothing yet, or a regular file (with `force`): written to a temporary file beside it,
  fsynced, then renamed over it, so the old file stays whole until the new one is complete;
* a symbolic link: followed to what it points at, which is then treated as above (the link
  itself stays a link); a loop is refused;
* a character device (`/dev/null`, a terminal) or a named pipe: written to as a stream, in
  place, since there is nothing to replace (a pipe no one reads is refused rather than waited on);
* a block device, a socket or anything else: refused with one line;
* a folder: the target of the folder formats (brat), replaced whole with `force`.

Every byte goes through `os.write` on a file descriptor (`FdWriter`), so a full disk or any
other failed write is seen where it happens and the temporary file is removed.
"""

from __future__ import annotations

import errno
import io
import os
import shutil
import stat
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Literal

__all__ = ["Target", "TargetRefused", "resolve_target", "FdWriter", "write_atomically", "write_folder",
           "write_stream", "write_stdout", "umask"]

TargetKind = Literal["new", "file", "stream", "folder"]


class TargetRefused(Exception):
    """A target an export must not write to; the message is one line saying what to do."""


@dataclass(frozen=True)
class Target:
    """What `-o PATH` turned out to be: the path written (links followed) and how to write it."""

    given: Path
    path: Path
    kind: TargetKind

    @property
    def exists(self) -> bool:
        """Whether something is already there that an atomic write would replace."""
        return self.kind in ("file", "folder")


def resolve_target(given: Path, *, folder_format: bool) -> Target:
    """Look at `given` (following links) and say how an export may write there.

    Raises `TargetRefused` for a symlink loop, a block device, a socket, a file where a folder
    is needed and the reverse, and a missing parent folder.
    """
    try:
        info = os.stat(given)  # follows links
    except FileNotFoundError:
        info = None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise TargetRefused(f"{given} is a symbolic link that loops: point it at a file or choose another name") from None
        raise TargetRefused(f"cannot look at {given}: {error.strerror or error}") from None
    path = Path(os.path.realpath(given)) if given.is_symlink() else given
    if info is None:
        if not path.parent.is_dir():
            raise TargetRefused(f"cannot write {given}: the folder {path.parent} does not exist")
        return Target(given, path, "new")
    mode = info.st_mode
    if stat.S_ISREG(mode):
        if folder_format:
            raise TargetRefused(f"{given} is a file, but this format writes a folder: choose another name")
        return Target(given, path, "file")
    if stat.S_ISDIR(mode):
        if not folder_format:
            raise TargetRefused(f"{given} is a folder: give a file name for this format")
        return Target(given, path, "folder")
    if folder_format:
        raise TargetRefused(f"{given} is not a folder, but this format writes a folder: choose another name")
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return Target(given, path, "stream")
    what = "a block device" if stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode) else "not a regular file"
    raise TargetRefused(f"{given} is {what}: write the export to a file, a pipe or standard output (-o -)")


class FdWriter(io.RawIOBase):
    """A raw binary stream writing to a file descriptor with `os.write`, every byte accounted for."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self.fd = fd

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[override]
        if self.fd < 0:  # a wrapper flushed late, after the descriptor was closed (or reused)
            raise ValueError("write to a closed export stream")
        view = memoryview(data)
        total = 0
        while total < len(view):
            total += os.write(self.fd, view[total:])
        return total

    def fileno(self) -> int:
        return self.fd


def _streams(fd: int, binary: bool) -> tuple[FdWriter, io.BufferedWriter, io.IOBase]:
    raw = FdWriter(fd)
    buffered = io.BufferedWriter(raw, buffer_size=1 << 20)
    if binary:
        return raw, buffered, buffered
    return raw, buffered, io.TextIOWrapper(buffered, encoding="utf-8", newline="", write_through=False)


def umask() -> int:
    """The process umask, read without changing it (os.umask would, for a moment, for every thread)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o022


def fsync_folder(folder: Path) -> None:
    """Make a rename inside `folder` durable (best effort where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError as error:
        if error.errno not in (errno.EINVAL, errno.ENOTSUP):
            raise
    finally:
        os.close(fd)


def write_atomically(target: Path, write: Callable[[io.IOBase], None], *, binary: bool,
                     still_ok: Callable[[], None]) -> None:
    """Write through `write` into a temporary file beside `target`, fsync, then rename over it.

    `still_ok` is called just before the rename (it raises if the target changed meanwhile).
    On any failure the temporary file is removed and `target` is as it was.
    """
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    temp = Path(temp_name)
    raw, buffered, handle = _streams(fd, binary)
    try:
        # mkstemp makes the file private (0600); an export is meant to be shared like any new file.
        os.fchmod(fd, 0o666 & ~umask())
        write(handle)
        handle.flush()
        buffered.flush()
        os.fsync(fd)
        raw.fd = -1
        os.close(fd)
        still_ok()
        os.replace(temp, target)
        fsync_folder(target.parent)
    except BaseException:
        if raw.fd >= 0:
            raw.fd = -1
            os.close(fd)
        temp.unlink(missing_ok=True)
        raise


def write_stream(target: Path, write: Callable[[io.IOBase], None], *, binary: bool) -> None:
    """Write to a character device or named pipe in place; a pipe without a reader is refused."""
    try:
        fd = os.open(target, os.O_WRONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        if error.errno == errno.ENXIO:
            raise TargetRefused(f"{target} is a named pipe that no one is reading: start the reader first") from None
        raise
    raw, buffered, handle = _streams(fd, binary)
    try:
        import fcntl  # POSIX only, like named pipes

        flags = fcntl.fcntl(fd, fcntl.F_GETFL)
        fcntl.fcntl(fd, fcntl.F_SETFL, flags & ~os.O_NONBLOCK)
        write(handle)
        handle.flush()
        buffered.flush()
    finally:
        raw.fd = -1
        os.close(fd)


def write_folder(target: Path, write: Callable[[Path], None], *, still_ok: Callable[[], None]) -> None:
    """Fill a temporary folder beside `target`, then put it in place of `target` (the old one kept until then)."""
    temp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part"))
    old: Path | None = None
    try:
        os.chmod(temp, 0o777 & ~umask())
        write(temp)
        fsync_folder(temp)
        still_ok()
        if target.exists():
            # A folder cannot be replaced in one rename: move the old one aside first, and
            # put it back if the new one cannot take its place.
            old = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".old")) / "old"
            os.rename(target, old)
            try:
                os.rename(temp, target)
            except BaseException:
                os.rename(old, target)
                raise
        else:
            os.rename(temp, target)
        fsync_folder(target.parent)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old.parent, ignore_errors=True)


def write_stdout(write: Callable[[io.IOBase], None]) -> None:
    """Write a text format to standard output (sys.stdout's own buffer when it has one)."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        write(sys.stdout)
        sys.stdout.flush()
        return
    sys.stdout.flush()
    handle = io.TextIOWrapper(buffer, encoding="utf-8", newline="", write_through=False)
    try:
        write(handle)
        handle.flush()
    finally:
        try:
            handle.detach()  # leave sys.stdout's buffer open
        except (BrokenPipeError, ValueError):
            pass
