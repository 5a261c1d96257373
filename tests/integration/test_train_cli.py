"""``aktina-ml train`` from CSV exports: JSON alone on stdout, progress and warnings on stderr."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from aktina_ml.cli import main
from aktina_ml.demo.generator import generate
from aktina_ml.demo.spec import DemoSpec

TIMEZONE = "America/Chicago"


def test_train_prints_json_alone_and_warns_when_the_sales_are_old(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given exports whose sales ended 40 days ago
    end = date.today() - timedelta(days=40)
    spec = DemoSpec(retailers=120, orders=9000, days=300, end=end, seed=4, timezone=TIMEZONE)
    generate(spec).write_csv(tmp_path / "demo")
    monkeypatch.setenv("AKTINA_MODEL_STORE", str(tmp_path / "models"))
    monkeypatch.setenv("AKTINA_TIMEZONE", TIMEZONE)
    monkeypatch.delenv("POWERTOOLS_LOG_LEVEL", raising=False)
    # When every model is trained from them (the demo's items give demand its units)
    code = main(["train", "--data-dir", str(tmp_path / "demo")])
    out, err = capsys.readouterr()
    # Then stdout is exactly the JSON report (no log line mixed in): the quality gate kept
    # every model from promotion, naming the missing weeks
    assert code == 1
    report = json.loads(out)
    assert [(r["model"], r["promoted"]) for r in report] == [
        ("segmentation", False),
        ("forecast", False),
        ("demand", False),
    ]
    assert all("days have no sales although" in r["reason"] for r in report)
    # And stderr says what it does, warns that the sales are old, and carries nothing else
    lines = err.splitlines()
    assert all(line.startswith("aktina-ml train: ") for line in lines), err
    assert lines[0].startswith("aktina-ml train: warning: the sales end on ")
    last_sale = date.fromisoformat(lines[0].split("end on ")[1][:10])
    assert end - timedelta(days=3) <= last_sale <= end
    assert "training counts the days since as zero sales" in lines[0]
    assert lines[1] == "aktina-ml train: training segmentation …"
    assert lines[2].startswith("aktina-ml train: segmentation: NOT promoted (quality gate: ")
    assert lines[3] == "aktina-ml train: training forecast …"
    assert lines[4].startswith("aktina-ml train: forecast: NOT promoted (quality gate: ")
    assert lines[5] == "aktina-ml train: training demand …"
    assert lines[6].startswith("aktina-ml train: demand: NOT promoted (quality gate: ")
    assert len(lines) == 7
    # When the operator forces the promotion (the old data is what they have)
    monkeypatch.setenv("AKTINA_FORCE_PROMOTE", "true")
    code = main(["train", "--data-dir", str(tmp_path / "demo")])
    out, err = capsys.readouterr()
    # Then all are promoted, and the report still names what the gate found
    assert code == 0
    report = json.loads(out)
    assert [(r["model"], r["promoted"], r["gate"]["forced"]) for r in report] == [
        ("segmentation", True, True),
        ("forecast", True, True),
        ("demand", True, True),
    ]
    assert err.splitlines()[2].startswith("aktina-ml train: segmentation: promoted ")
