"""The walk: every input file under the folders given, with its output path, lazily."""

from __future__ import annotations

import dataclasses
import errno
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath

from pipeline.batch.names import display_path, output_dir_name, output_file_name


@dataclasses.dataclass(frozen=True)
class Item:
    """One input the walk found; ``problem`` set means it fails without being read."""

    path: Path
    output: PurePosixPath  # relative to OUTDIR
    problem: tuple[str, str] | None = None
    # (st_dev, st_ino) of the file the walk vetted: the worker opens it once and reads only
    # if the opened descriptor is that very file (a file swapped for a link after the walk is not).
    identity: tuple[int, int] | None = None
    follow: bool = False  # the walk allowed a symbolic link here (inside the folder, or given by name)
    # An object on a store (``pipeline.batch.storage``): its URL, which the record names, and
    # its ETag (else its size): the worker reads it only if it still has that version.
    url: str = ""
    version: str = ""

    @property
    def shown(self) -> str:
        """The input as the manifest, the record and the summary name it."""
        return self.url or display_path(self.path)


@dataclasses.dataclass(frozen=True)
class Ignored:
    """A path the walk deliberately leaves out (counted in the summary, no record)."""

    path: Path
    reason: str


WalkEntry = Item | Ignored


def _is_ignored_name(name: str) -> bool:
    return name.startswith(".") or name.startswith("~$")


def _stat_problem(path: Path) -> tuple[os.stat_result | None, tuple[str, str] | None]:
    """Stat through symlinks; a dangling link, a loop or an unreadable path is a problem."""
    try:
        return os.stat(path), None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, ("batch.symlink_loop", f"symbolic link loop: {exc.strerror}")
        if exc.errno == errno.ENOENT and os.path.lexists(path):
            return None, ("batch.dangling_symlink", "symbolic link to a missing file")
        if exc.errno == errno.ENOENT:
            return None, ("batch.not_found", "no such file or folder")
        return None, ("batch.unreadable", f"cannot read: {exc.strerror}")


def _inside(path: Path, root_real: str) -> bool:
    real = os.path.realpath(path)
    return real == root_real or real.startswith(root_real.rstrip(os.sep) + os.sep)


def _classify_entry(
    entry: os.DirEntry[str], out: PurePosixPath, root_real: str, outdir_id: tuple[int, int] | None
) -> WalkEntry | tuple[Path, PurePosixPath]:
    """What to do with one folder entry; a (path, output) pair means "descend into it"."""
    path = Path(entry.path)
    if _is_ignored_name(entry.name):
        return Ignored(path, "hidden")
    try:
        if entry.is_symlink():
            st, problem = _stat_problem(path)
            if problem or st is None:
                return Item(path, out / output_file_name(entry.name), problem)
            if os.path.isdir(path):
                return Ignored(path, "symlinked folder")
            if not _inside(path, root_real):
                problem = ("batch.symlink_outside", "symbolic link to a file outside the input folder")
                return Item(path, out / output_file_name(entry.name), problem)
            is_regular, follow = stat.S_ISREG(st.st_mode), True
        elif entry.is_dir(follow_symlinks=False):
            st = entry.stat(follow_symlinks=False)
            if outdir_id == (st.st_dev, st.st_ino):
                return Ignored(path, "output folder")
            return path, out / output_dir_name(entry.name)
        else:
            st = entry.stat(follow_symlinks=False)
            is_regular, follow = stat.S_ISREG(st.st_mode), False
    except OSError as exc:
        return Item(path, out / output_file_name(entry.name), ("batch.unreadable", str(exc.strerror)))
    if not is_regular:
        return Item(path, out / output_file_name(entry.name), ("batch.not_a_file", "not a regular file"))
    return Item(path, out / output_file_name(entry.name), identity=(st.st_dev, st.st_ino), follow=follow)


def _sorted_entries(folder: Path) -> list[os.DirEntry[str]]:
    with os.scandir(folder) as entries:
        return sorted(entries, key=lambda entry: entry.name)


def _walk_folder(
    root: Path, out: PurePosixPath, error_output: PurePosixPath, outdir_id: tuple[int, int] | None
) -> Iterator[WalkEntry]:
    """Depth-first, name-sorted walk with an explicit stack (deep trees need no recursion)."""
    root_real = os.path.realpath(root)
    try:
        stack = [iter(_sorted_entries(root))]
    except OSError as exc:
        yield Item(root, error_output, ("batch.unreadable", f"cannot list folder: {exc.strerror}"))
        return
    outs = [out]
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            outs.pop()
            continue
        found = _classify_entry(entry, outs[-1], root_real, outdir_id)
        if not isinstance(found, tuple):
            yield found
            continue
        folder, folder_out = found
        try:
            stack.append(iter(_sorted_entries(folder)))
            outs.append(folder_out)
        except OSError as exc:
            problem = ("batch.unreadable", f"cannot list folder: {exc.strerror}")
            yield Item(folder, outs[-1] / output_file_name(entry.name), problem)


def _unique(name: str, used: set[str], suffix: str = "") -> str:
    """``name`` (before ``suffix``) made unique among ``used`` top-level names with ``~2``, ``~3``."""
    candidate, n = name + suffix, 1
    while candidate in used:
        n += 1
        candidate = f"{name}~{n}{suffix}"
    used.add(candidate)
    return candidate


def walk_inputs(inputs: Iterable[Path], outdir: Path | None = None) -> Iterator[WalkEntry]:
    """Every file under ``inputs`` with its output path, lazily, in a deterministic order.

    One input folder maps straight onto OUTDIR; with several inputs each gets its own
    top-level output folder (or file) named after it. See the module docstring for the policy.
    Output paths are unique by construction: a path already issued in this walk (a cleaned
    and hashed name that another file already has) gets ``~2``, ``~3`` before ``.json``.
    """
    return unique_outputs(_walk_inputs(inputs, outdir))


def unique_outputs(entries: Iterable[WalkEntry]) -> Iterator[WalkEntry]:
    """The entries with output paths made unique: one already issued gets ``~2``, ``~3``."""
    issued: set[str] = set()
    for entry in entries:
        if isinstance(entry, Item):
            output = entry.output.as_posix()
            if output in issued:
                stem, n = output[: -len(".json")] if output.endswith(".json") else output, 1
                while output in issued:
                    n += 1
                    output = f"{stem}~{n}.json"
                entry = dataclasses.replace(entry, output=PurePosixPath(output))
            issued.add(output)
        yield entry


def _walk_inputs(inputs: Iterable[Path], outdir: Path | None) -> Iterator[WalkEntry]:
    roots = list(inputs)
    outdir_id = _dir_id(outdir) if outdir is not None else None
    used: set[str] = set()
    seen: set[str] = set()
    for root in roots:
        root = Path(root)
        name = root.name or Path(os.path.realpath(root)).name or "root"
        st, problem = _stat_problem(root)
        if problem or st is None:
            yield Item(
                root, PurePosixPath(_unique(output_file_name(name)[: -len(".json")], used, ".json")), problem
            )
            continue
        real = os.path.realpath(root)
        if real in seen:
            yield Ignored(root, "duplicate input")
            continue
        seen.add(real)
        output = PurePosixPath(_unique(output_file_name(name)[: -len(".json")], used, ".json"))
        if stat.S_ISDIR(st.st_mode):
            out = (
                PurePosixPath("") if len(roots) == 1 else PurePosixPath(_unique(output_dir_name(name), used))
            )
            yield from _walk_folder(root, out, output, outdir_id)
        else:
            if stat.S_ISREG(st.st_mode):  # given by name: a link to it is the user's choice
                yield Item(root, output, identity=(st.st_dev, st.st_ino), follow=True)
            else:
                yield Item(root, output, ("batch.not_a_file", "not a regular file"))


def _dir_id(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino
