"""``aktina-ml segment --retailers FILE.csv``."""

import json
from pathlib import Path

from aktina_ml.cli import main
from tests.support.demo import demo_dataset, retailers_frame, write_retailers_csv

APP_SAMPLE = (
    Path(__file__).resolve().parents[1] / "fixtures" / "app_customer_segmentation_training.csv"
)


def test_segment_prints_segments_profiles_and_quality(tmp_path, capsys):
    # Given demo retailers (planted segments) in the app's CSV shape
    path = write_retailers_csv(retailers_frame(demo_dataset(500, seed=2)), tmp_path / "r.csv")
    # When segmented from the command line
    assert main(["segment", "--retailers", str(path)]) == 0
    report = json.loads(capsys.readouterr().out)
    # Then segments, profiles and the three held-out accuracies are printed
    quality = report["quality"]
    assert report["k"] == len(report["segments"]) == 4
    assert quality["heldout_volume_accuracy"] >= quality["best_single_attribute_accuracy"]
    assert quality["best_single_attribute_accuracy"] > quality["majority_class_accuracy"]
    assert sum(s["size"] for s in report["segments"]) == 500
    assert len(report["retailer_segments"]) == 500


def test_segment_reads_the_apps_sample_with_fixed_options(capsys):
    assert (
        main(
            [
                "segment",
                "--retailers",
                str(APP_SAMPLE),
                "--segments",
                "3",
                "--volume-thresholds",
                "5000,10000",
            ]
        )
        == 0
    )
    report = json.loads(capsys.readouterr().out)
    assert report["k"] == 3
    assert report["volume_cut_points"] == [5000.0, 10000.0]


def test_segment_reports_user_errors_in_one_line(tmp_path, capsys):
    path = tmp_path / "no_sales.csv"
    path.write_text("id,city\n1,Kampala\n")
    assert main(["segment", "--retailers", str(path)]) == 2
    assert "total_sales" in capsys.readouterr().err
    assert main(["segment", "--retailers", str(tmp_path / "missing.csv")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_a_fixed_segment_count_on_the_apps_sample_works_and_says_why_it_is_weak(capsys):
    # Given the app's 50-retailer sample and five segments asked for (this crashed with an
    # IndexError when the fit left empty segments)
    assert main(["segment", "--retailers", str(APP_SAMPLE), "--segments", "5"]) == 0
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    # Then five segments come back, and the output says plainly that income alone is better
    assert report["k"] == len(report["segments"]) == 5
    assessment = report["assessment"]
    assert not assessment["as_good_as_best_single_attribute"]
    assert "worse than income bracket alone" in captured.err
    assert {"plain_kmeans_accuracy", "bootstrap_stability"} <= set(report["quality"])


def test_more_segments_than_the_data_supports_is_a_clear_error(tmp_path, capsys):
    # Given retailers of two demographic profiles only
    lines = ["id,customer_income_bracket,total_sales"]
    lines += [f"{i},{'high' if i % 2 else 'low'},{i * 10}" for i in range(1, 31)]
    path = tmp_path / "two.csv"
    path.write_text("\n".join(lines) + "\n")
    # When four segments are asked for / Then the command says why, in one line, exit 2
    assert main(["segment", "--retailers", str(path), "--segments", "4"]) == 2
    assert "only 2 distinct demographic profiles" in capsys.readouterr().err
