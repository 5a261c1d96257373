"""What `sam build` produced: each function with its layers, and their unzipped size.

``python -m scripts.package_size [BUILD_DIR]`` prints every function's size (its code plus
all its layers, unzipped, as Lambda counts it) and exits 1 when any exceeds Lambda's limit, or
when a function serving a GET route exceeds 80 MB (their cold start grows with what they load).
Sizes print in MiB: Lambda's "250 MB" is 250 MiB (262,144,000 bytes, its error message says).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

LAMBDA_UNZIPPED_LIMIT = 250 * 2**20  # bytes (262,144,000): function code plus all its layers
MIB = 2**20
GET_FUNCTION_LIMIT = 80_000_000  # bytes: our own budget for functions answering GET routes
DEFAULT_BUILD_DIR = Path(".aws-sam/build")


class _CfnLoader(yaml.SafeLoader):
    """Reads CloudFormation short-form tags (!Ref X → {"Ref": X}, !Sub → {"Fn::Sub": …})."""


def _tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = suffix if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


_CfnLoader.add_multi_constructor("!", _tag)


@dataclass(frozen=True)
class Route:
    method: str
    path: str


@dataclass
class BuiltFunction:
    """One function of the built template and the directories Lambda would unpack."""

    name: str
    code_dir: Path
    layer_dirs: list[Path]
    handler: str
    environment: dict[str, Any] = field(default_factory=dict)
    routes: list[Route] = field(default_factory=list)
    scheduled: bool = False

    @property
    def import_path(self) -> list[Path]:
        """sys.path as on Lambda: the code, then each layer's python/ (/opt/python)."""
        return [self.code_dir, *(layer / "python" for layer in self.layer_dirs)]

    def size_bytes(self) -> int:
        return tree_size(self.code_dir) + sum(tree_size(layer) for layer in self.layer_dirs)

    @property
    def limit_bytes(self) -> int:
        """Lambda's limit, or the tighter GET budget for a function serving a GET route."""
        serves_get = any(route.method == "GET" for route in self.routes)
        return GET_FUNCTION_LIMIT if serves_get else LAMBDA_UNZIPPED_LIMIT


def tree_size(path: Path) -> int:
    """Bytes of every file under ``path`` (what the unzipped package occupies)."""
    total = 0
    for root, _, files in os.walk(path):
        total += sum(os.lstat(os.path.join(root, name)).st_size for name in files)
    return total


def load_template(build_dir: Path) -> dict[str, Any]:
    return yaml.load((build_dir / "template.yaml").read_text(), Loader=_CfnLoader)


def built_functions(build_dir: Path = DEFAULT_BUILD_DIR) -> list[BuiltFunction]:
    """Every AWS::Serverless::Function of ``build_dir``/template.yaml, with its layers."""
    template = load_template(build_dir)
    resources = template["Resources"]
    defaults = (template.get("Globals") or {}).get("Function") or {}
    functions = []
    for name, resource in resources.items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        props = resource["Properties"]
        layers = [*defaults.get("Layers", []), *props.get("Layers", [])]
        events = (props.get("Events") or {}).values()
        functions.append(
            BuiltFunction(
                name=name,
                code_dir=build_dir / props["CodeUri"],
                layer_dirs=[_layer_dir(build_dir, resources, layer) for layer in layers],
                handler=props.get("Handler") or defaults["Handler"],
                environment={
                    **((defaults.get("Environment") or {}).get("Variables") or {}),
                    **((props.get("Environment") or {}).get("Variables") or {}),
                },
                routes=[
                    Route(e["Properties"]["Method"].upper(), e["Properties"]["Path"])
                    for e in events
                    if e["Type"] == "Api"
                ],
                scheduled=any(e["Type"] in ("Schedule", "ScheduleV2") for e in events),
            )
        )
    return functions


def _layer_dir(build_dir: Path, resources: dict[str, Any], layer: Any) -> Path:
    if not (isinstance(layer, dict) and "Ref" in layer and layer["Ref"] in resources):
        raise ValueError(f"layer {layer!r} is not built by this template; cannot measure it")
    return build_dir / resources[layer["Ref"]]["Properties"]["ContentUri"]


def report(functions: list[BuiltFunction]) -> list[tuple[BuiltFunction, int]]:
    """Print each function's unzipped size against its limit; return (function, bytes)."""
    sizes = [(function, function.size_bytes()) for function in functions]
    print(f"{'function':<28} {'unzipped MiB':>12} {'limit MiB':>9} {'used':>5}  layers")
    for function, size in sizes:
        layers = ", ".join(layer.name for layer in function.layer_dirs)
        limit = function.limit_bytes
        flag = "  OVER THE LIMIT" if size > limit else ""
        print(
            f"{function.name:<28} {size / MIB:>12.1f} {limit / MIB:>9.1f} {size / limit:>5.0%}"
            f"  {layers}{flag}"
        )
    return sizes


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    build_dir = Path(args[0]) if args else DEFAULT_BUILD_DIR
    if not (build_dir / "template.yaml").exists():
        print(f"{build_dir}/template.yaml not found: run `make build` first", file=sys.stderr)
        return 2
    over = [f.name for f, size in report(built_functions(build_dir)) if size > f.limit_bytes]
    if over:
        print(
            f"over the unzipped limit (Lambda's {LAMBDA_UNZIPPED_LIMIT:,} bytes; "
            f"{GET_FUNCTION_LIMIT:,} for GET functions): {', '.join(over)}"
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
