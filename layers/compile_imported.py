"""Byte-compile the layer's .py files that importing the named modules loads, and only those.

For layers where compiling whole packages would not fit (layers/Makefile). Run as
``python -I -S -B compile_imported.py LAYER_ROOT MODULE...`` with LAYER_ROOT the directory
that holds ``python/``: only the standard library and the layer are importable, nothing is
written but the .pyc files (unchecked-hash, recorded as /opt/python/…, as compileall -s -p
writes them for the rest). The layer's wheels must load on this host: Linux x86_64, as
Lambda and SAM's build image are.
"""

import importlib
import py_compile
import sys
from pathlib import Path

root, *modules = sys.argv[1:]
code = Path(root).resolve() / "python"
sys.path.insert(0, str(code))
for name in modules:
    importlib.import_module(name)
loaded = {
    Path(file).resolve()
    for m in list(sys.modules.values())
    if (file := getattr(m, "__file__", None))
}
for file in sorted(f for f in loaded if f.suffix == ".py" and f.is_relative_to(code)):
    py_compile.compile(
        str(file),
        dfile=f"/opt/python/{file.relative_to(code)}",
        doraise=True,
        invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
    )
