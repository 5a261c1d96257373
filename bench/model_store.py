"""Model store safety costs: allow-listed unpickling against plain joblib, and how long a
cold start and a warm request take when S3 accepts connections and never answers.

Figures are wall times on a shared machine: compare the rows of one run, not runs.
"""

from __future__ import annotations

import io
import json
import os
import time
from pathlib import Path

from bench.common import timed

ROOT = Path(__file__).resolve().parents[1]


def unpickling() -> None:
    import joblib

    from aktina_ml.forecasting.artifact import ForecastArtifact
    from aktina_ml.model_store.safe_pickle import allowed_for, restricted_load
    from aktina_ml.segmentation.artifact import SegmentationModel
    from aktina_ml.segmentation.fit import fit_segmentation
    from aktina_ml.segmentation.training import build_model
    from tests.support.demo import demo_dataset, retailers_frame
    from tests.support.forecast import synthetic_artifact

    frame = retailers_frame(demo_dataset(5000, seed=5))
    artifacts = {
        "segmentation, 5,000 retailers": (
            build_model(fit_segmentation(frame), frame),
            SegmentationModel,
        ),
        "forecast, 365 days + history": (synthetic_artifact(), ForecastArtifact),
    }
    print("median / best of 20 calls, ms")
    print("artifact                         size      joblib.load   restricted_load")
    for label, (artifact, kind) in artifacts.items():
        buffer = io.BytesIO()
        joblib.dump(artifact, buffer)
        data = buffer.getvalue()
        allowed = allowed_for(kind)
        plain = timed(lambda data=data: joblib.load(io.BytesIO(data)), 20)
        safe = timed(lambda data=data, allowed=allowed: restricted_load(data, allowed), 20)
        print(
            f"{label:<32} {len(data) / 1e3:>5.0f} kB  {plain[0] * 1e3:6.2f} / {plain[1] * 1e3:5.2f}"
            f"   {safe[0] * 1e3:6.2f} / {safe[1] * 1e3:5.2f}"
        )


def hung_s3() -> None:
    from tests.conftest import FakeLambdaContext
    from tests.support.blackhole import black_hole
    from tests.support.handlers import load_handler

    os.environ.update(
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",
        AWS_DEFAULT_REGION="eu-west-1",
        POWERTOOLS_TRACE_DISABLED="true",
        AKTINA_MODEL_STORE="s3://bench-bucket/models",
    )
    event = json.loads((ROOT / "events" / "segments_get.json").read_text())
    with black_hole() as hole:
        os.environ["AWS_ENDPOINT_URL_S3"] = hole.url
        try:
            handler = load_handler("segment")
            started = time.monotonic()
            status = handler.lambda_handler(event, FakeLambdaContext())["statusCode"]
            elapsed = time.monotonic() - started
        finally:
            del os.environ["AWS_ENDPOINT_URL_S3"]
    print(
        f"cold start, S3 black hole, default timeouts: {status} after {elapsed:.1f} s "
        f"({hole.connections} connections; the issue measured 180 s)"
    )


def main() -> None:
    unpickling()
    hung_s3()


if __name__ == "__main__":
    main()
