"""Plain files for a staged demand run: values ↔ one ``.npz`` (numpy arrays, no pickle).

A value is a tree of ``None``, booleans, numbers, strings, lists, tuples, dicts, dates,
numpy arrays (numbers, booleans, datetimes, strings), pandas frames and series, and
dataclasses from an allow-list. It is written as a JSON skeleton plus one array per leaf
array, in one compressed ``.npz``. Reading runs no code from the file: ``np.load`` with
``allow_pickle=False``, the archive's unpacked size bounded before anything is inflated,
the tree's depth and size bounded, and only allow-listed dataclasses are built (by their
own constructor, which refuses unknown fields).
"""

from __future__ import annotations

import dataclasses
import io
import json
import zipfile
from datetime import date, datetime
from typing import Any

import numpy as np

SKELETON = "skeleton"
MAX_DEPTH = 32
MAX_NODES = 2_000_000
# Unpacked bytes allowed per byte of the file (numeric arrays compress 2-10×).
MAX_INFLATION = 64


class StagedFileError(ValueError):
    """A staged file that cannot be written or read back."""


def encode(value: Any, allowed: tuple[type[Any], ...]) -> bytes:
    """``value`` as the bytes of one ``.npz``; a dataclass must be in ``allowed``."""
    arrays: dict[str, np.ndarray[Any, Any]] = {}
    skeleton = _Encoder(arrays, _names(allowed)).node(value, 0)
    buffer = io.BytesIO()
    text = json.dumps(skeleton, allow_nan=True, separators=(",", ":"))
    members: dict[str, Any] = {SKELETON: np.frombuffer(text.encode(), np.uint8), **arrays}
    np.savez_compressed(buffer, **members)
    return buffer.getvalue()


def decode(data: bytes, allowed: tuple[type[Any], ...], max_unpacked: int) -> Any:
    """The value :func:`encode` wrote; :class:`StagedFileError` for anything else, or for
    a file that would unpack to more than ``max_unpacked`` bytes."""
    _check_archive(data, max_unpacked)
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
        skeleton = json.loads(bytes(arrays.pop(SKELETON)).decode())
    except StagedFileError:
        raise
    except (ValueError, KeyError, OSError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
        raise StagedFileError(f"not a staged file: {exc}") from exc
    return _Decoder(arrays, _names(allowed)).node(skeleton, 0)


def _names(allowed: tuple[type[Any], ...]) -> dict[str, type[Any]]:
    return {f"{cls.__module__}.{cls.__qualname__}": cls for cls in allowed}


def _check_archive(data: bytes, max_unpacked: int) -> None:
    """Refuse an archive that would inflate past its bound, or whose arrays claim more
    than their members hold (``np.load`` allocates what a header claims), before loading."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            unpacked = sum(info.file_size for info in members)
            if unpacked > min(max_unpacked, MAX_INFLATION * max(len(data), 1024)):
                raise StagedFileError(
                    f"a staged file of {len(data):,} bytes unpacks to {unpacked:,}"
                )
            for info in members:
                with archive.open(info) as member:
                    _check_header(member, info.file_size, info.filename)
    except (zipfile.BadZipFile, ValueError, EOFError, OSError) as exc:
        if isinstance(exc, StagedFileError):
            raise
        raise StagedFileError(f"not a staged file: {exc}") from exc


def _check_header(member: Any, size: int, name: str) -> None:
    version = np.lib.format.read_magic(member)
    if version == (1, 0):
        shape, _, dtype = np.lib.format.read_array_header_1_0(member)
    elif version == (2, 0):
        shape, _, dtype = np.lib.format.read_array_header_2_0(member)
    else:
        raise StagedFileError(f"{name}: array format {version} is not read")
    if dtype.hasobject:
        raise StagedFileError(f"{name}: object arrays are not read")
    if int(np.prod(shape, dtype=np.int64)) * dtype.itemsize > size:
        raise StagedFileError(f"{name}: its header claims more than it holds")


class _Encoder:
    def __init__(self, arrays: dict[str, np.ndarray[Any, Any]], allowed: dict[str, type]) -> None:
        self.arrays = arrays
        self.allowed = allowed

    def node(self, value: Any, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise StagedFileError(f"nested deeper than {MAX_DEPTH}")
        if value is None or isinstance(value, bool | int | float | str):
            return value
        if isinstance(value, np.datetime64 | np.timedelta64):
            return {"t": "scalar", "v": self.array(value)}
        if isinstance(value, np.generic):
            return value.item()
        if isinstance(value, np.ndarray):
            return self.array(value)
        if isinstance(value, list | tuple):
            items = [self.node(item, depth + 1) for item in value]
            return items if isinstance(value, list) else {"t": "tuple", "v": items}
        if isinstance(value, dict):
            keys = [self.node(key, depth + 1) for key in value]
            return {"t": "dict", "k": keys, "v": [self.node(v, depth + 1) for v in value.values()]}
        if isinstance(value, datetime):  # before date: a datetime is a date
            return {"t": "datetime", "v": value.isoformat()}
        if isinstance(value, date):
            return {"t": "date", "v": value.isoformat()}
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return self.dataclass(value, depth)
        return self.pandas(value, depth)

    def dataclass(self, value: Any, depth: int) -> Any:
        cls: Any = type(value)
        name = f"{cls.__module__}.{cls.__qualname__}"
        if self.allowed.get(name) is not cls:
            raise StagedFileError(f"{name} is not allowed in a staged file")
        fields = {
            field.name: self.node(getattr(value, field.name), depth + 1)
            for field in _fields(value)
            if field.init
        }
        return {"t": "dc", "name": name, "f": fields}

    def pandas(self, value: Any, depth: int) -> Any:
        import pandas as pd

        if isinstance(value, pd.Timestamp):
            return {"t": "timestamp", "v": value.isoformat()}
        if isinstance(value, pd.DataFrame):
            columns = [self.node(column, depth + 1) for column in value.columns]
            data = [self.array(value[column].to_numpy()) for column in value.columns]
            return {"t": "frame", "c": columns, "d": data, "i": self.index(value.index)}
        if isinstance(value, pd.Series):
            name = self.node(value.name, depth + 1)
            return {
                "t": "series",
                "n": name,
                "d": self.array(value.to_numpy()),
                "i": self.index(value.index),
            }
        raise StagedFileError(f"{type(value).__name__} cannot be written to a staged file")

    def index(self, index: Any) -> Any:
        import pandas as pd

        if isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1:
            return {"t": "range", "v": len(index), "n": self.node(index.name, 1)}
        return {"t": "index", "v": self.array(index.to_numpy()), "n": self.node(index.name, 1)}

    def array(self, value: Any) -> Any:
        array = np.asarray(value)
        kind = "plain"
        if array.dtype == object:
            if not all(isinstance(item, str) for item in array.ravel()):
                raise StagedFileError("an object array holds more than strings: not staged")
            array, kind = array.astype(str), "strings"
        if array.dtype.hasobject:
            raise StagedFileError(f"arrays of {array.dtype} cannot be staged")
        name = f"a{len(self.arrays)}"
        self.arrays[name] = array
        return {"t": "array", "ref": name, "kind": kind}


def _fields(value: Any) -> tuple[dataclasses.Field[Any], ...]:
    return dataclasses.fields(value)


class _Decoder:
    def __init__(self, arrays: dict[str, np.ndarray[Any, Any]], allowed: dict[str, type]) -> None:
        self.arrays = arrays
        self.allowed = allowed
        self.nodes = 0

    def node(self, node: Any, depth: int) -> Any:
        self.nodes += 1
        if depth > MAX_DEPTH or self.nodes > MAX_NODES:
            raise StagedFileError("a staged file nested too deep or too large")
        if node is None or isinstance(node, bool | int | float | str):
            return node
        if isinstance(node, list):
            return [self.node(item, depth + 1) for item in node]
        if not isinstance(node, dict):
            raise StagedFileError(f"unexpected {type(node).__name__} in a staged file")
        tag = node.get("t")
        try:
            return self.tagged(tag, node, depth)
        except StagedFileError:
            raise
        except (KeyError, TypeError, ValueError) as exc:
            raise StagedFileError(f"unreadable {tag!r} in a staged file: {exc}") from exc

    def tagged(self, tag: Any, node: dict[str, Any], depth: int) -> Any:
        if tag == "tuple":
            return tuple(self.node(node["v"], depth + 1))
        if tag == "dict":
            keys, values = self.node(node["k"], depth + 1), self.node(node["v"], depth + 1)
            if len(keys) != len(values):
                raise StagedFileError("a staged dict's keys and values differ in number")
            return dict(zip(keys, values, strict=True))
        if tag == "date":
            return date.fromisoformat(node["v"])
        if tag == "datetime":
            return datetime.fromisoformat(node["v"])
        if tag == "array":
            return self.array(node)
        if tag == "scalar":
            return self.array(node["v"])[()]
        if tag == "dc":
            return self.dataclass(node, depth)
        return self.pandas(tag, node, depth)

    def dataclass(self, node: dict[str, Any], depth: int) -> Any:
        cls = self.allowed.get(node["name"])
        if cls is None:
            raise StagedFileError(f"{node['name']!r} is not allowed in a staged file")
        fields = node["f"]
        if not isinstance(fields, dict):
            raise StagedFileError("a staged dataclass without fields")
        return cls(**{str(name): self.node(value, depth + 1) for name, value in fields.items()})

    def pandas(self, tag: Any, node: dict[str, Any], depth: int) -> Any:
        import pandas as pd

        if tag == "timestamp":
            return pd.Timestamp(node["v"])
        if tag == "frame":
            columns = self.node(node["c"], depth + 1)
            data = [self.array(item) for item in node["d"]]
            index = self.index(node["i"])
            if len(columns) != len(data) or any(len(column) != len(index) for column in data):
                raise StagedFileError("a staged frame's columns differ in length")
            return pd.DataFrame(dict(zip(columns, data, strict=True)), columns=columns, index=index)
        if tag == "series":
            values = self.array(node["d"])
            index = self.index(node["i"])
            if len(values) != len(index):
                raise StagedFileError("a staged series differs in length from its index")
            return pd.Series(values, index=index, name=node["n"])
        raise StagedFileError(f"unknown tag {tag!r} in a staged file")

    def index(self, node: Any) -> Any:
        import pandas as pd

        if not isinstance(node, dict) or node.get("t") not in ("range", "index"):
            raise StagedFileError("an index was expected in a staged file")
        name = node["n"] if node["n"] is None or isinstance(node["n"], str | int) else None
        if node["t"] == "range":
            return pd.RangeIndex(int(node["v"]), name=name)
        return pd.Index(self.array(node["v"]), name=name)

    def array(self, node: Any) -> np.ndarray[Any, Any]:
        if not isinstance(node, dict) or node.get("t") != "array":
            raise StagedFileError("an array was expected in a staged file")
        array = self.arrays.get(node["ref"])
        if array is None:
            raise StagedFileError(f"a staged file lacks its array {node['ref']!r}")
        return array.astype(object) if node.get("kind") == "strings" else array
