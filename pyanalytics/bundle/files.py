"""A bundle's files on disk: the fixed names, size limits, verified reading and atomic replacement.

Reading opens the bundle directory once and reads each file through that open directory, never
following a symbolic link inside it (the bundle path itself may be a link to a bundle directory).
The manifest must list exactly the four data files; each file is read once, within its size limit
(``LIMITS``), hashed as it streams in, and only those verified bytes are used afterwards: JSON is
parsed from them and Keras loads the network from a private copy of them. The members of
``model.keras`` (a zip archive) are checked against ``MODEL_MEMBER_LIMIT`` and
``MODEL_UNCOMPRESSED_LIMIT`` before Keras opens it; ``zipfile`` never inflates a member beyond
the size its header declares.

Writing puts every file in a staging directory ``.NAME.<random>.tmp`` beside the target, flushes
it to disk, then swaps it with the target in one ``renameat2(RENAME_EXCHANGE)`` call (Linux 3.15
and later), so the target path always holds one whole bundle; the previous bundle, now under the
staging name, is then deleted. A reader that had the previous directory open either finishes
reading it whole or finds its files gone and starts again on the new one. Where the file system
cannot exchange, the previous bundle is renamed away and the new one renamed in: a load in the
instant between the two renames reports that there is no bundle. Saves into one folder hold an
exclusive lock on that folder, under which the ``.tmp``/``.old`` leftovers of an interrupted
save are deleted.
"""

import ctypes
import errno
import fcntl
import hashlib
import io
import json
import os
import shutil
import stat
import tempfile
import time
import zipfile
from contextlib import contextmanager, suppress
from functools import cache
from pathlib import Path

from pyanalytics.bundle.schema import strict_json
from pyanalytics.errors import BundleError

FORMAT = "pyanalytics-bundle"
FORMAT_VERSION = 1
MODEL_FILE = "model.keras"
JSON_FILES = ("preprocessing.json", "baselines.json", "metadata.json")
DATA_FILES = (MODEL_FILE, *JSON_FILES)
MANIFEST = "manifest.json"
MiB = 1024**2

# Largest size accepted for each file, in bytes.
LIMITS = {
    MANIFEST: 64 * 1024,
    MODEL_FILE: 256 * MiB,
    "preprocessing.json": 16 * MiB,
    "baselines.json": 4 * MiB,
    "metadata.json": 16 * MiB,
}
MODEL_MEMBER_LIMIT = {"config.json": 16 * MiB, "metadata.json": 1 * MiB}  # other members: the total
MODEL_UNCOMPRESSED_LIMIT = 1024 * MiB  # all members of model.keras once inflated
MODEL_MEMBERS_MAX = 16
READ_ATTEMPTS = 20  # a load restarts when a concurrent save replaces the bundle under it
_CHUNK = MiB
_RENAME_NOREPLACE, _RENAME_EXCHANGE, _AT_FDCWD = 1, 2, -100


def _where(folder) -> str:
    return f"bundle {str(folder)!r}"


class _Replaced(Exception):
    """The directory being read was replaced by a concurrent save; read it again."""


def read_bundle(folder: str | Path) -> dict[str, bytes]:
    """The verified bytes of every file of the bundle at ``folder``, by name (manifest included).

    Raises:
        BundleError: the directory or a file is missing, a manifest name is not one of the
            bundle's files, a file is a link or not a regular file, exceeds its limit, or does
            not match its SHA-256.
    """
    folder = Path(folder)
    for _ in range(READ_ATTEMPTS):
        try:
            return _read_once(folder)
        except _Replaced:
            time.sleep(0.01)
    raise BundleError(
        f"{_where(folder)}: it was replaced {READ_ATTEMPTS} times while being read; "
        "load it again once the saves writing to it have finished."
    )


def _read_once(folder: Path) -> dict[str, bytes]:
    try:
        directory = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:
        raise BundleError(f"{_where(folder)}: no such directory. Check the path.") from None
    except NotADirectoryError:
        raise BundleError(f"{_where(folder)}: it is a file, not a bundle directory. Check the path.") from None
    except OSError as error:
        raise BundleError(f"{_where(folder)}: cannot open it ({error.strerror}).") from None
    try:
        manifest_bytes = _read_member(folder, directory, MANIFEST)
        digests = _manifest_digests(folder, manifest_bytes)
        files = {name: _read_member(folder, directory, name, digests[name]) for name in DATA_FILES}
    finally:
        os.close(directory)
    _check_model_archive(folder, files[MODEL_FILE])
    return {**files, MANIFEST: manifest_bytes}


def _read_member(folder: Path, directory: int, name: str, digest: str | None = None) -> bytes:
    """``name`` read once through the open ``directory``, within its limit, checked against ``digest``."""
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=directory)
    except FileNotFoundError:
        if _replaced_under(folder, directory):
            raise _Replaced from None
        raise BundleError(f"{_where(folder)}: {name} is missing. Save the bundle again.") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise BundleError(
                f"{_where(folder)}: {name} is a symbolic link; a bundle holds only regular files. "
                "Refusing to load it."
            ) from None
        raise BundleError(f"{_where(folder)}: cannot open {name} ({error.strerror}).") from None
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise BundleError(f"{_where(folder)}: {name} is not a regular file. Refusing to load it.")
        limit = LIMITS[name]
        if info.st_size > limit:
            raise _too_large(folder, name, info.st_size, limit)
        data, sha = _read_limited(folder, name, file, limit)
    if digest is not None and sha != digest:
        raise BundleError(
            f"{_where(folder)}: {name} does not match its SHA-256 in manifest.json; "
            "the file changed after saving. Refusing to load it."
        )
    return data


def _read_limited(folder: Path, name: str, file, limit: int) -> tuple[bytes, str]:
    """The file's bytes and their SHA-256, hashed chunk by chunk, stopping past ``limit``."""
    sha = hashlib.sha256()
    chunks, size = [], 0
    while chunk := file.read(_CHUNK):
        size += len(chunk)
        if size > limit:
            raise _too_large(folder, name, size, limit)
        sha.update(chunk)
        chunks.append(chunk)
    return b"".join(chunks), sha.hexdigest()


def _too_large(folder, name: str, size: int, limit: int) -> BundleError:
    return BundleError(
        f"{_where(folder)}: {name} holds at least {size:,} bytes; the limit is {limit:,}. "
        "Refusing to read it."
    )


def _replaced_under(folder: Path, directory: int) -> bool:
    """Whether ``folder`` now names another directory than the one open as ``directory``."""
    try:
        now = os.stat(folder)
    except FileNotFoundError:
        return True
    opened = os.fstat(directory)
    return (now.st_dev, now.st_ino) != (opened.st_dev, opened.st_ino)


def _manifest_digests(folder, data: bytes) -> dict[str, str]:
    """The SHA-256 of each data file listed in manifest bytes, after checking format and names."""
    try:
        manifest = strict_json(data)
    except ValueError as error:
        raise BundleError(f"{_where(folder)}: manifest.json is not valid JSON ({error}).") from None
    if not isinstance(manifest, dict):
        raise BundleError(f"{_where(folder)}: manifest.json holds a {type(manifest).__name__}; expected an object.")
    if manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
        raise BundleError(
            f"{_where(folder)}: format {manifest.get('format')!r} version "
            f"{manifest.get('version')!r}; expected {FORMAT!r} version {FORMAT_VERSION}."
        )
    files = manifest.get("files")
    if not isinstance(files, dict):
        raise BundleError(f"{_where(folder)}: manifest.json key 'files': expected an object of SHA-256 by file name.")
    for name, digest in files.items():
        if name not in DATA_FILES:
            raise BundleError(
                f"{_where(folder)}: manifest.json lists {name!r}, which is not a bundle file "
                f"(expected exactly {', '.join(DATA_FILES)}). Refusing to load it."
            )
        if not (isinstance(digest, str) and len(digest) == 64 and all(c in "0123456789abcdef" for c in digest)):
            raise BundleError(f"{_where(folder)}: manifest.json gives {name} the SHA-256 {digest!r}; expected 64 hex digits.")
    for name in DATA_FILES:
        if name not in files:
            raise BundleError(f"{_where(folder)}: manifest.json does not list {name}.")
    return files


def _check_model_archive(folder, data: bytes) -> None:
    """Refuse a ``model.keras`` whose members would inflate beyond the limits, before Keras opens it."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except zipfile.BadZipFile as error:
        raise BundleError(f"{_where(folder)}: {MODEL_FILE} is not a Keras archive ({error}).") from None
    if len(members) > MODEL_MEMBERS_MAX:
        raise BundleError(
            f"{_where(folder)}: {MODEL_FILE} holds {len(members)} members; the limit is {MODEL_MEMBERS_MAX}. "
            "Refusing to load it."
        )
    for member in members:
        limit = MODEL_MEMBER_LIMIT.get(member.filename, MODEL_UNCOMPRESSED_LIMIT)
        if member.file_size > limit:
            raise BundleError(
                f"{_where(folder)}: {MODEL_FILE} member {member.filename!r} inflates to "
                f"{member.file_size:,} bytes; the limit is {limit:,}. Refusing to load it."
            )
    total = sum(member.file_size for member in members)
    if total > MODEL_UNCOMPRESSED_LIMIT:
        raise BundleError(
            f"{_where(folder)}: {MODEL_FILE} inflates to {total:,} bytes; the limit is "
            f"{MODEL_UNCOMPRESSED_LIMIT:,}. Refusing to load it."
        )


def manifest_bytes(files: dict[str, bytes]) -> bytes:
    """The manifest of the data files ``files`` (name -> bytes), as strict JSON."""
    digests = {name: hashlib.sha256(files[name]).hexdigest() for name in sorted(files)}
    return (json.dumps({"format": FORMAT, "version": FORMAT_VERSION, "files": digests}, indent=2) + "\n").encode()


def check_target(target: str | Path) -> Path:
    """``target`` if a bundle can be written there, before any work: else a one-line BundleError.

    It must not be a symbolic link; if it exists it must be a verified bundle directory holding
    nothing but the bundle's files (only such a directory is replaced); its nearest existing
    parent must be a directory where a new folder can be created.
    """
    target = Path(target)
    where = _where(target)
    if target.is_symlink():
        raise BundleError(f"{where}: it is a symbolic link; refusing to replace it. Give the real path.")
    if target.exists():
        _check_replaceable(target)
    parent = target.parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise BundleError(f"{where}: {str(parent)!r} is a file, not a folder. Choose another path.")
    try:
        probe = tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent)
    except OSError as error:
        raise BundleError(
            f"{where}: cannot create files in {str(parent)!r} ({error.strerror or error}). "
            "Choose a writable folder."
        ) from None
    with suppress(FileNotFoundError):  # a concurrent save may have removed it as a leftover
        os.rmdir(probe)
    return target


def _check_replaceable(target: Path) -> None:
    where = _where(target)
    refusal = f"{where} exists and is not a pyanalytics bundle"
    if not target.is_dir():
        raise BundleError(f"{refusal}: it is a file; refusing to overwrite it. Choose a new path.")
    others = sorted(p.name for p in target.iterdir() if p.name not in (*DATA_FILES, MANIFEST))
    if others:
        raise BundleError(
            f"{refusal}: it holds {others[0]!r}{f' and {len(others) - 1} more' if len(others) > 1 else ''}, "
            "which a bundle does not; refusing to replace it. Choose a new path."
        )
    try:
        read_bundle(target)
    except BundleError as error:
        reason = str(error).removeprefix(f"{where}: ")
        raise BundleError(f"{refusal} ({reason}); refusing to replace it. Choose a new path.") from None


def publish(target: Path, files: dict[str, bytes]) -> Path:
    """Write ``files`` (name -> bytes) as the bundle directory ``target``, replacing it atomically.

    Raises:
        BundleError: the target is refused by ``check_target``, or writing failed (disk full,
            permissions); nothing is left behind and a previous bundle at ``target`` stays whole.
    """
    if sorted(files) != sorted((*DATA_FILES, MANIFEST)):
        unknown = sorted(set(files) - {*DATA_FILES, MANIFEST}) or sorted({*DATA_FILES, MANIFEST} - set(files))
        raise BundleError(
            f"{_where(target)}: refusing to write the file set {sorted(files)}; a bundle holds exactly "
            f"{', '.join((*DATA_FILES, MANIFEST))} (first difference: {unknown[0]!r})."
        )
    check_target(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with _folder_lock(target.parent):
            check_target(target)  # again: another process may have changed it meanwhile
            _remove_leftovers(target)
            _write_and_swap(target, files)
    except BundleError:
        raise
    except OSError as error:
        raise BundleError(
            f"{_where(target)}: writing failed ({error.strerror or error}); nothing was written"
            f"{' and the previous bundle is kept' if target.exists() else ''}. "
            "Free disk space or choose another path."
        ) from None
    return target


@contextmanager
def _folder_lock(folder: Path):
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _remove_leftovers(target: Path) -> None:
    """Delete the staging and retired folders an interrupted save of ``target`` left beside it."""
    for pattern in (f".{target.name}.*.tmp", f".{target.name}.*.old"):
        for leftover in target.parent.glob(pattern):
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)


def _write_and_swap(target: Path, files: dict[str, bytes]) -> None:
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        staging.chmod(0o755)  # mkdtemp makes it owner-only; a bundle is meant to be shared
        for name, data in files.items():
            write_file(staging / name, data)
        _sync(staging)
        if target.exists():
            if _renameat2(staging, target, _RENAME_EXCHANGE):
                _sync(target.parent)
                shutil.rmtree(staging)  # the previous bundle, now under the staging name
                return
            retired = staging.with_suffix(".old")
            target.rename(retired)
            staging.rename(target)
            shutil.rmtree(retired, ignore_errors=True)
        elif not _renameat2(staging, target, _RENAME_NOREPLACE):
            staging.rename(target)
        _sync(target.parent)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def write_file(path: Path, data: bytes) -> None:
    """Create ``path`` (never through a link) with ``data`` and flush it to disk."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    with os.fdopen(fd, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(fd)


def _sync(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@cache
def _libc_renameat2():
    return getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)


def _renameat2(source: Path, target: Path, flags: int) -> bool:
    """Rename with Linux ``renameat2`` flags; False where the system or file system lacks it."""
    renameat2 = _libc_renameat2()
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target), flags) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(target))
