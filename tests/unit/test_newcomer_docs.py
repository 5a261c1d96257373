"""What a newcomer reads first stays true: README.md and docs/ (their commands, links and
settings), make help, .env.example, the deploy guide's AWS commands."""

from __future__ import annotations

import argparse
import importlib
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from aktina_ml.cli import build_parser
from aktina_ml.config import ENV_PREFIX, Settings

ROOT = Path(__file__).resolve().parents[2]
README_LIMIT = 15 * 1024
# Topic pages the README links to that other branches are writing; once a page exists it is
# checked like every other link.
# Folders that commands create (git ignores them).
BUILT_FOLDERS = {"var/test-artifacts/", ".aws-sam/build/"}


def newcomer_docs() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def joined_commands(text: str) -> list[str]:
    """Shell commands of the ```bash blocks, continuation lines joined."""
    commands: list[str] = []
    for block in re.findall(r"```bash\n(.*?)```", text, re.S):
        commands += [c.strip() for c in block.replace("\\\n", " ").splitlines() if c.strip()]
    return commands


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def shell_words(command: str) -> list[str]:
    """A documented command's words: comments, redirections and leading VAR=value dropped."""
    words = shlex.split(command, comments=True)
    for stop in (">", "|", "&&", ";"):
        if stop in words:
            words = words[: words.index(stop)]
    while words and re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", words[0]):
        words = words[1:]
    return words


def documented_commands(program: str) -> list[tuple[str, list[str]]]:
    """(file, words) of every command in a ```bash block of README.md and docs/ that runs
    ``program`` (also as .venv/bin/program)."""
    found = []
    for doc in newcomer_docs():
        for command in joined_commands(doc.read_text()):
            starts = rf"(?:[A-Z_][A-Z0-9_]*=\S*\s+)*(?:\S*/)?{re.escape(program)}(?:\s|$)"
            if re.match(starts, command):
                found.append((doc.name, shell_words(command)))
    return found


def make_targets() -> dict[str, str]:
    """`make help`'s targets and their descriptions."""
    shown = subprocess.run(
        ["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return dict(re.findall(r"^  ([a-z][a-z-]*) +(.+)$", shown, re.M))


def slug(heading: str) -> str:
    """GitHub's anchor for a Markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_readme_is_short_and_links_only_to_what_exists() -> None:
    # Given the README a newcomer opens first
    readme = ROOT / "README.md"
    # Then it stays short (the rest lives in docs/)
    assert readme.stat().st_size <= README_LIMIT, readme.stat().st_size
    # And every relative link of it and of docs/ reaches a file, and a heading where it names one
    for doc in newcomer_docs():
        for target in re.findall(r"\]\(([^)#\s]*)(?:#([^)\s]*))?\)", doc.read_text()):
            path, anchor = target
            if re.match(r"[a-z]+:", path):
                continue
            file = (doc.parent / path).resolve() if path else doc
            assert file.exists(), (doc.name, path)
            if anchor and file.suffix == ".md":
                headings = re.findall(r"^#+ (.+)$", file.read_text(), re.M)
                assert anchor in {slug(h) for h in headings}, (doc.name, path, anchor)


def is_module(name: str) -> bool:
    try:
        importlib.import_module(name)
    except ModuleNotFoundError:
        return False
    return True


def test_every_python_file_and_name_mentioned_exists() -> None:
    # Given the `….py` files, `folders/` and `aktina_ml.…` names that README.md and docs/ mention
    for doc in newcomer_docs():
        text = doc.read_text()
        for file in set(re.findall(r"`([\w./-]+\.py)`", text)):
            # Then each file is there (from the root or inside the package)
            places = (ROOT, ROOT / "shared", ROOT / "shared" / "aktina_ml")
            assert any((place / file).is_file() for place in places), (doc.name, file)
        for folder in set(re.findall(r"`([\w.-]+(?:/[\w.-]+)*/)`", text)) - BUILT_FOLDERS:
            assert (ROOT / folder).is_dir(), (doc.name, folder)
        for name in set(re.findall(r"`(aktina_ml(?:\.\w+)+)", text)):
            # And each name imports
            module, attributes = name, []
            while not is_module(module):
                module, _, attribute = module.rpartition(".")
                attributes.insert(0, attribute)
            found: object = importlib.import_module(module)
            for attribute in attributes:
                assert hasattr(found, attribute), (doc.name, name)
                found = getattr(found, attribute)


def test_code_comments_point_at_docs_that_exist() -> None:
    # Given the project's code, build and settings files
    sources = [
        *(
            p
            for folder in ("shared", "functions", "bench", "scripts", "layers")
            for p in (ROOT / folder).rglob("*.py")
        ),
        *(ROOT / name for name in ("Makefile", "template.yaml", "pyproject.toml", ".env.example")),
        ROOT / ".ci" / "run",
    ]
    pointers = 0
    for source in sources:
        text = source.read_text()
        # Then none points into a README section by name (the README is for the newcomer)
        assert not re.search(r"README(?:\.md)?:? \(?\"", text), source
        # And each docs/ page they name exists, with the section they name
        for page, section in re.findall(r"(docs/[\w-]+\.md)(?:, \"([^\"]+)\")?", text):
            pointers += 1
            assert (ROOT / page).is_file(), (source, page)
            if section:  # a comment may wrap it: "… and hostile\n    # input"
                section = re.sub(r"\s*\n\s*#?\s*", " ", section)
                headings = re.findall(r"^#+ (.+)$", (ROOT / page).read_text(), re.M)
                assert section in headings, (source, page, section)
    assert pointers >= 9


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_every_make_command_shown_is_a_listed_target() -> None:
    # Given the targets `make help` lists
    targets = make_targets()
    suites = {p.stem for p in (ROOT / "bench").glob("*.py") if not p.stem.startswith("_")}
    commands = documented_commands("make")
    assert any(words[1:] == ["setup"] for _, words in commands)
    assert any(words[1:] == ["test"] for _, words in commands)
    for doc, words in commands:
        # When a README or docs/ command runs make
        for word in words[1:]:
            name, _, value = word.partition("=")
            if not value:
                # Then each target it names is one make help lists
                assert name in targets, (doc, words)
            elif name == "SUITES":
                assert set(value.split()) <= suites, (doc, words)
            elif name == "DEMO_ARGS":  # the flags of aktina-ml demo
                assert_parses(["demo", *shlex.split(value)], doc)


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_the_readme_describes_each_make_target_as_make_help_does() -> None:
    # Given the README's `make TARGET  # what it does` lines
    targets = make_targets()
    readme = joined_commands((ROOT / "README.md").read_text())
    described = [re.fullmatch(r"make ([a-z-]+) +# (.+)", c) for c in readme]
    assert len([m for m in described if m]) >= 3
    for match in filter(None, described):
        # Then each says what `make help` says
        assert match[2] == targets[match[1]], match[0]


def assert_parses(args: list[str], doc: str) -> argparse.Namespace:
    try:
        return build_parser().parse_args(args)
    except SystemExit:
        pytest.fail(f"{doc}: aktina-ml {shlex.join(args)} is not a valid command")


def test_every_aktina_ml_command_shown_parses(capsys: pytest.CaptureFixture[str]) -> None:
    # Given every aktina-ml command of README.md and docs/
    commands = documented_commands("aktina-ml")
    assert len(commands) >= 10
    for doc, words in commands:
        # Then its subcommand and flags are the command's own (parsed, never run)
        assert_parses(words[1:], doc)


def test_the_list_of_aktina_ml_commands_is_complete() -> None:
    # Given the subcommands `aktina-ml --help` lists
    subparsers = next(
        a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)
    )
    real = set(subparsers.choices)
    numbers = {"seven": 7, "eight": 8, "nine": 9, "ten": 10}
    lists = 0
    for doc in (ROOT / "README.md", ROOT / "docs" / "local.md"):
        text = " ".join(doc.read_text().split())
        # When a page says how many there are and names them
        said = rf"({'|'.join(numbers)}) (?:sub)?commands(?::| \() ?(.+?)[;)]"
        for count, names in re.findall(said, text):
            lists += 1
            # Then the count and the names are the real ones
            assert set(re.findall(r"`([a-z-]+)`", names)) == real, (doc.name, names)
            assert numbers[count] == len(real), (doc.name, count)
    assert lists >= 2


def test_every_setting_is_documented_with_its_default() -> None:
    # Given the settings model and the variable tables of README.md and docs/
    rows = [
        line.split("|")[1:3]
        for doc in newcomer_docs()
        for line in doc.read_text().splitlines()
        if line.startswith("| `AKTINA_")
    ]
    documented = {name for cell, _ in rows for name in re.findall(r"`(AKTINA_[A-Z0-9_]+)`", cell)}
    known = {f"{ENV_PREFIX}{field.upper()}" for field in Settings.model_fields}
    # Then every setting has a row, and every row names a real setting
    assert known == documented, (known - documented, documented - known)
    # And a single variable's single default is the one the model has
    for cell, default in rows:
        names = re.findall(r"`(AKTINA_[A-Z0-9_]+)`", cell)
        value = re.fullmatch(r" `([^`]+)` ", default)
        if len(names) == 1 and value:
            field = names[0].removeprefix(ENV_PREFIX).lower()
            parsed = Settings.model_validate({field: value[1]})
            assert getattr(parsed, field) == Settings.model_fields[field].default, (cell, default)


def test_make_help_lists_every_documented_target() -> None:
    # Given the Makefile's targets that carry a ## comment
    makefile = (ROOT / "Makefile").read_text()
    documented = re.findall(r"^([a-z][a-z-]*):[^#\n]*## (.+)$", makefile, re.M)
    assert len(documented) >= 10
    # When a newcomer types `make help` (also what plain `make` does)
    shown = subprocess.run(
        ["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    # Then every one of them is listed with its description
    for target, description in documented:
        assert re.search(rf"^  {re.escape(target)} +{re.escape(description)}$", shown, re.M)
    # in one column, whatever the longest target
    columns = {len(m[1]) for m in re.finditer(r"^(  [a-z][a-z-]* +)\S", shown, re.M)}
    assert len(columns) == 1, columns
    default = subprocess.run(["make", "-s", "-n"], cwd=ROOT, capture_output=True, text=True)
    assert "make TARGET" in default.stdout


def test_env_example_names_only_real_settings() -> None:
    # Every AKTINA_* variable in .env.example is one the settings model (or the test harness) reads
    names = re.findall(r"^#? ?(AKTINA_[A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M)
    assert names
    known = {f"{ENV_PREFIX}{field.upper()}" for field in Settings.model_fields}
    known.add("AKTINA_TEST_DATABASE_URL")  # tests/support/mariadb.py
    assert set(names) <= known, set(names) - known
    # And .env itself is never committed
    assert ".env" in (ROOT / ".gitignore").read_text().splitlines()


def test_deploy_commands_work_as_written_with_cli_v2() -> None:
    commands = [c for doc in newcomer_docs() for c in joined_commands(doc.read_text())]
    longest = max(
        int(t)
        for t in re.findall(r"^\s+Timeout: (\d+)", (ROOT / "template.yaml").read_text(), re.M)
    )
    invokes = [c for c in commands if c.startswith("aws lambda invoke")]
    assert invokes
    for command in invokes:
        # CLI v2 reads --payload as base64 without this flag
        assert "--cli-binary-format raw-in-base64-out" in command, command
        # and gives up (then retries: a second training) after 60 s unless told to wait longer
        timeout = re.search(r"--cli-read-timeout (\d+)", command)
        assert timeout, command
        assert int(timeout[1]) > longest, command
    # samconfig.toml asks to confirm each change set: the non-interactive deploy must say no
    assert "confirm_changeset = true" in (ROOT / "samconfig.toml").read_text()
    deploys = [c for c in commands if "sam deploy" in c and "--guided" not in c]
    assert deploys
    assert all("--no-confirm-changeset" in c for c in deploys), deploys
