"""Load joblib artifacts through an allow-list: nothing read from the store can run code.

A pickle names the callables it needs (``find_class``) and the unpickler calls them; a
crafted pickle can name ``os.system``. Our serving artifacts hold numpy arrays, plain
Python values and our own dataclasses only, so :func:`restricted_load` admits exactly those
names and refuses everything else *before* importing the module a name points into.
joblib's own array wrapper is kept (it reads the raw array bytes that follow it); its
nested pickle for object arrays goes through the same ``find_class``
(https://docs.python.org/3/library/pickle.html#restricting-globals).

Admitted names cannot run code, but some can allocate: ``bytearray(3_000_000_000)`` is 41
bytes of pickle and 3 GB of memory, ``set(range(30_000_000))`` 2.2 GB. So each admitted
callable that takes a size is called through a guard that refuses any size the artifact's own
bytes cannot account for (:data:`GUARDS`): a real artifact pickles its data, never a count.
The one opcode that allocates its declared length before reading it (``BYTEARRAY8``) is
bounded the same way, in the stream and in the nested pickle of an object array.
"""

from __future__ import annotations

import dataclasses
import io
import math
import pickle
import pickletools
import struct
import typing
from collections.abc import Callable, Iterable
from typing import Any

from joblib.numpy_pickle import NumpyArrayWrapper, NumpyUnpickler

PICKLE_PROTOCOL_MARK = 0x80  # an uncompressed pickle (protocol >= 2) starts with PROTO

# What numpy itself needs to rebuild arrays, dtypes and scalars (numpy 2 and 1.x names).
NUMPY_GLOBALS = frozenset(
    {
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
        ("numpy._core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "scalar"),
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy.core.multiarray", "scalar"),
        ("joblib.numpy_pickle", "NumpyArrayWrapper"),
    }
)
# Builtins a protocol-4/5 pickle of plain data may name (containers have their own opcodes).
BUILTIN_GLOBALS = frozenset(
    {
        ("builtins", "complex"),
        ("builtins", "bytearray"),
        ("builtins", "frozenset"),
        ("builtins", "set"),
        ("builtins", "slice"),
        ("builtins", "range"),
    }
)


class ForbiddenArtifactError(pickle.UnpicklingError):
    """The artifact names something outside the allow-list (or is no plain joblib pickle)."""


def global_name(cls: type[Any]) -> tuple[str, str]:
    """The (module, name) a pickle uses for ``cls``."""
    return cls.__module__, cls.__qualname__


class RestrictedUnpickler(NumpyUnpickler):  # type: ignore[misc]
    """joblib's unpickler, admitting only the (module, name) pairs of ``allowed``, each
    callable that could allocate through its guard (sizes bounded by the data's length)."""

    dispatch = NumpyUnpickler.dispatch.copy()

    def __init__(self, data: bytes, allowed: frozenset[tuple[str, str]]) -> None:
        super().__init__("", io.BytesIO(data), ensure_native_byte_order=True)
        self.allowed = allowed
        self.budget = len(data)

    def load_bytearray8(self) -> None:
        """pickle's own, once the declared length is known to fit in the artifact."""
        (size,) = struct.unpack("<Q", self.read(8))
        _within(size, self.budget, "a bytearray")
        data = bytearray(size)
        self.readinto(data)
        self.append(data)

    dispatch[pickle.BYTEARRAY8[0]] = load_bytearray8

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in self.allowed:
            raise ForbiddenArtifactError(
                f"the artifact asks for {module}.{name}, which no model artifact contains"
            )
        found = super().find_class(module, name)
        if found is NumpyArrayWrapper:
            return _CheckedArrayWrapper
        guard = GUARDS.get((module, name))
        return found if guard is None else guard(found, self.budget)


class _CheckedArrayWrapper(NumpyArrayWrapper):  # type: ignore[misc]
    """joblib's array placeholder; refuses array subclasses (they would be rebuilt by name)
    and arrays larger than the bytes left in the artifact (joblib allocates before reading)."""

    def read(self, unpickler: Any, ensure_native_byte_order: bool) -> Any:
        import numpy as np

        if self.subclass is not np.ndarray:
            raise ForbiddenArtifactError(f"array of subclass {self.subclass!r} refused")
        stream = unpickler.file_handle
        if self.dtype.hasobject:  # joblib reads a nested pickle with a plain Unpickler
            _check_nested_pickle(stream)
        else:
            left = len(stream.getbuffer()) - stream.tell()
            _within(math.prod(self.shape) * self.dtype.itemsize, left, "an array")
        return super().read(unpickler, ensure_native_byte_order)


def _check_nested_pickle(stream: io.BytesIO) -> None:
    """Walk the nested pickle ahead (pickletools reads each declared length, never allocates
    it) so that a length it cannot hold is refused before joblib's unpickler allocates it."""
    start = stream.tell()
    try:
        for _ in pickletools.genops(stream):
            pass
    except ValueError as exc:
        raise ForbiddenArtifactError(f"object array refused: {exc}") from None
    finally:
        stream.seek(start)


def _within(size: int, budget: int, what: str) -> None:
    if size > budget:
        raise ForbiddenArtifactError(
            f"{what} of {size:,} bytes from an artifact of {budget:,}: an allocation bomb"
        )


def _sized_args(what: str) -> Callable[[Callable[..., Any], int], Callable[..., Any]]:
    """A guard for ``bytearray``/``set``/``frozenset``: their argument must be data the pickle
    already holds (bytes, a list, …), never a count or a lazy ``range`` to expand."""

    def guard(build: Callable[..., Any], budget: int) -> Callable[..., Any]:
        def guarded(*args: Any) -> Any:
            if args and not isinstance(args[0], bytes | bytearray | str | list | tuple | set):
                raise ForbiddenArtifactError(
                    f"{what}({type(args[0]).__name__}) refused: artifacts pickle data, not "
                    "sizes or ranges (an allocation bomb)"
                )
            return build(*args)

        return guarded

    return guard


def _reconstruct_guard(build: Callable[..., Any], budget: int) -> Callable[..., Any]:
    """numpy's ``_reconstruct(cls, shape, dtype)`` allocates ``shape`` (numpy pickles (0,))."""

    def guarded(cls: Any, shape: Any, dtype: Any) -> Any:
        dims = shape if isinstance(shape, tuple) else (shape,)
        if not all(isinstance(d, int) and d >= 0 for d in dims):
            raise ForbiddenArtifactError(f"array shape {shape!r} refused")
        _within(math.prod(dims), budget, "an empty array")
        return build(cls, shape, dtype)

    return guarded


def _scalar_guard(build: Callable[..., Any], budget: int) -> Callable[..., Any]:
    """numpy's ``scalar(dtype, data)`` allocates ``dtype.itemsize`` bytes."""

    def guarded(dtype: Any, *args: Any) -> Any:
        _within(int(getattr(dtype, "itemsize", 0)), budget, "a numpy scalar")
        return build(dtype, *args)

    return guarded


# The admitted callables that can allocate more than the pickle holds, and their guards.
GUARDS: dict[tuple[str, str], Callable[[Callable[..., Any], int], Callable[..., Any]]] = {
    ("builtins", "bytearray"): _sized_args("bytearray"),
    ("builtins", "set"): _sized_args("set"),
    ("builtins", "frozenset"): _sized_args("frozenset"),
    ("numpy._core.multiarray", "_reconstruct"): _reconstruct_guard,
    ("numpy.core.multiarray", "_reconstruct"): _reconstruct_guard,
    ("numpy._core.multiarray", "scalar"): _scalar_guard,
    ("numpy.core.multiarray", "scalar"): _scalar_guard,
}


def allowed_globals(
    classes: Iterable[type[Any]], aliases: Iterable[tuple[str, str]] = ()
) -> frozenset[tuple[str, str]]:
    """The allow-list for an artifact built from ``classes`` (plus numpy and plain data).

    ``aliases`` are older (module, name) spellings of the same classes (after a rename).
    """
    own = {global_name(c) for c in classes} | set(aliases)
    return NUMPY_GLOBALS | BUILTIN_GLOBALS | frozenset(own)


def artifact_classes(artifact_type: type[Any]) -> list[type[Any]]:
    """``artifact_type`` and the dataclasses it holds: those its fields' annotations reach
    (recursively), plus what its ``pickled_classes()`` names (for annotations that cannot be
    resolved at run time, e.g. imported only for type checking)."""
    found: list[type[Any]] = []
    pending: list[Any] = [artifact_type]
    declared = getattr(artifact_type, "pickled_classes", None)
    if callable(declared):
        pending.extend(declared())
    while pending:
        current = pending.pop()
        if isinstance(current, type) and dataclasses.is_dataclass(current):
            if current in found:
                continue
            found.append(current)
            try:
                pending.extend(typing.get_type_hints(current).values())
            except NameError:  # declared in pickled_classes() instead
                continue
        else:
            pending.extend(typing.get_args(current))
    return found or [artifact_type]


_ALLOWED: dict[type[Any], frozenset[tuple[str, str]]] = {}


def allowed_for(artifact_type: type[Any]) -> frozenset[tuple[str, str]]:
    """The allow-list for artifacts of ``artifact_type`` (see :func:`artifact_classes`)."""
    if artifact_type not in _ALLOWED:
        aliases = getattr(artifact_type, "PICKLE_ALIASES", ())
        _ALLOWED[artifact_type] = allowed_globals(artifact_classes(artifact_type), aliases)
    return _ALLOWED[artifact_type]


def restricted_load(data: bytes, allowed: frozenset[tuple[str, str]]) -> Any:
    """Unpickle joblib ``data`` admitting only ``allowed``; raise ForbiddenArtifactError."""
    if not data or data[0] != PICKLE_PROTOCOL_MARK:
        raise ForbiddenArtifactError("not an uncompressed joblib pickle")
    try:
        return RestrictedUnpickler(data, allowed).load()
    except ForbiddenArtifactError:
        raise
    except Exception as exc:  # truncated or malformed streams raise many types
        raise ForbiddenArtifactError(f"unreadable artifact: {type(exc).__name__}: {exc}") from exc
