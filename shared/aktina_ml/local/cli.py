"""``aktina-ml serve`` and ``aktina-ml demo``: the API and preview page on this machine.

``demo`` is the one-command tour: demo data (or the configured MySQL database) → both
models trained into a local store → ``serve``. Progress goes to stderr; Ctrl-C stops.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aktina_ml.demo.spec import DemoSpec

if TYPE_CHECKING:
    from aktina_ml.config import Settings

# Powertools outside Lambda: no X-Ray daemon here; the service name the template sets.
POWERTOOLS_DEFAULTS = {
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_SERVICE_NAME": "aktina-ml",
    "POWERTOOLS_METRICS_NAMESPACE": "AktinaML",
}
DEFAULT_DEMO = DemoSpec()
DEMO_TIMEZONE = DEFAULT_DEMO.timezone  # the demo generator's default business timezone
# The demo's earlier forecast: 60 days of sales since, so 7- and 30-day accuracy can be scored.
EARLIER_FORECAST_DAYS = 60


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = subparsers.add_parser(
        "serve",
        help="serve the API and the preview page on 127.0.0.1 (real handlers, API key)",
        description="Serve the API locally: each HTTP request becomes an API Gateway proxy "
        "event for the real Lambda handler. Models come from AKTINA_MODEL_STORE.",
    )
    _server_options(serve)
    serve.set_defaults(handler=run_serve)

    demo = subparsers.add_parser(
        "demo",
        help="demo data → train every model → serve the API and preview page",
        description="Generate the demo dataset (or read the MySQL database when "
        "AKTINA_DATABASE_URL / AKTINA_DB_* is set, or with --source database), train "
        "segmentation and forecast into a local model store, then serve.",
    )
    _server_options(demo)
    demo.add_argument(
        "--source",
        choices=("auto", "demo", "database"),
        default="auto",
        help="auto: the database when one is configured, else generated demo data",
    )
    demo.add_argument("--data-dir", type=Path, default=Path("var/demo"))
    demo.add_argument("--retailers", type=int, default=DEFAULT_DEMO.retailers)
    demo.add_argument("--orders", type=int, default=DEFAULT_DEMO.orders)
    demo.add_argument("--days", type=int, default=DEFAULT_DEMO.days)
    demo.add_argument("--seed", type=int, default=DEFAULT_DEMO.seed)
    demo.add_argument(
        "--earlier-forecast-days",
        type=int,
        default=EARLIER_FORECAST_DAYS,
        help="with demo data, first train a forecast as of N days ago, so that the accuracy "
        f"chart has an earlier forecast to score (default {EARLIER_FORECAST_DAYS}; 0: none)",
    )
    demo.add_argument("--no-serve", action="store_true", help="stop after training")
    demo.set_defaults(handler=run_demo)


def _server_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="default 127.0.0.1 (this machine); any other address needs an explicit API key "
        "(--api-key or AKTINA_LOCAL_API_KEY)",
    )
    parser.add_argument(
        "--port", type=int, help="default AKTINA_LOCAL_PORT or 8000; 0 picks a free port"
    )
    parser.add_argument("--api-key", help="default AKTINA_LOCAL_API_KEY, else a random key")
    parser.add_argument("--model-store", help="default AKTINA_MODEL_STORE (var/models)")


def _prepare_environment(args: argparse.Namespace) -> None:
    for key, value in POWERTOOLS_DEFAULTS.items():
        os.environ.setdefault(key, value)
    if args.model_store:
        os.environ["AKTINA_MODEL_STORE"] = args.model_store


def run_serve(args: argparse.Namespace) -> int:
    from aktina_ml.config import load_settings

    _prepare_environment(args)
    return serve(args, load_settings())


class Steps:
    """Numbered progress lines, ``[2/4] …``, for a known number of steps."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0

    def start(self, message: str) -> None:
        self.done += 1
        progress(f"[{self.done}/{self.total}] {message}")


def serve(args: argparse.Namespace, settings: Settings, steps: Steps | None = None) -> int:
    """Serve until Ctrl-C (or SIGTERM); print where and with which key."""
    from aktina_ml.local.server import LocalApi, LocalServer, is_loopback, new_api_key

    port = settings.local_port if args.port is None else args.port
    chosen_key = args.api_key or (
        settings.local_api_key.get_secret_value() if settings.local_api_key else None
    )
    remote = not is_loopback(args.host)
    if remote and not chosen_key:
        raise ValueError(
            f"--host {args.host} lets other machines reach the API: choose its key with "
            "--api-key KEY or AKTINA_LOCAL_API_KEY (or keep the default --host 127.0.0.1)"
        )
    if remote:
        progress(
            f"WARNING: listening on {args.host}: anyone who can reach this machine and knows "
            "the key can call the API; the preview page carries the key only on 127.0.0.1"
        )
    key = chosen_key or new_api_key()
    loading = f"loading the functions (model store: {settings.model_store})"
    if steps:
        steps.start(f"serving: {loading}")
    else:
        progress(loading)
    api = LocalApi(api_key=key, currency=settings.currency, remote_clients=remote)
    try:
        server = LocalServer(api, args.host, port)
    except OSError as exc:
        raise ValueError(
            f"cannot listen on {args.host}:{port} ({exc.strerror}); "
            "choose another with --port N (0 picks a free port)"
        ) from None
    # Ctrl-C and SIGTERM stop the server, also when started in the background (where SIGINT
    # arrives ignored).
    signal.signal(signal.SIGINT, _raise_interrupt)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    routes = "\n".join(f"    {r.method:4} {server.url}{r.resource}" for r in api.routes.routes)
    print(
        f"\nAktina ML is running (Ctrl-C stops it)\n"
        f"  preview page  {server.page_url}/\n"
        f"  API docs      {server.page_url}/docs   (Swagger UI; {server.url}/openapi.json)\n"
        f"  API base URL  {server.url}\n"
        f"  API key       {key}   (send it as the x-api-key header)\n"
        f"  routes\n{routes}\n"
        f"  try           curl -H 'x-api-key: {key}' '{server.url}/forecast?horizon_days=30'\n",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        progress("stopping")
    finally:
        server.server_close()
    return 0


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run_demo(args: argparse.Namespace) -> int:
    from aktina_ml.config import load_settings

    _prepare_environment(args)
    settings = load_settings()
    use_database = args.source == "database" or (args.source == "auto" and settings.has_database)
    earlier = (
        not use_database and args.earlier_forecast_days > 0 and "forecast" in settings.train_models
    )
    steps = Steps(
        (0 if use_database else 1) + earlier + len(settings.train_models) + (not args.no_serve)
    )
    if not use_database:
        # The demo's timestamps follow its business timezone; read its days in that zone.
        os.environ.setdefault("AKTINA_TIMEZONE", DEMO_TIMEZONE)
        settings = load_settings()
        generate_demo_data(args, settings, steps)
    failed = train(
        settings,
        None if use_database else args.data_dir,
        steps,
        args.earlier_forecast_days if earlier else 0,
    )
    if args.no_serve:
        return 1 if failed else 0
    return serve(args, settings, steps)


def generate_demo_data(args: argparse.Namespace, settings: Settings, steps: Steps) -> None:
    """The demo dataset, ending yesterday so the forecast starts today."""
    from aktina_ml.demo.generator import generate

    end = datetime.now(settings.zone).date() - timedelta(days=1)
    spec = DemoSpec(
        retailers=args.retailers,
        orders=args.orders,
        days=args.days,
        end=end,
        seed=args.seed,
        timezone=settings.timezone,
    )
    started = time.perf_counter()
    steps.start(
        f"generating demo data: {spec.retailers:,} retailers, {spec.orders:,} orders, "
        f"{spec.start} to {spec.end} → {args.data_dir}"
    )
    generate(spec).write_csv(args.data_dir)
    progress(f"      done in {time.perf_counter() - started:.1f} s")


def train(
    settings: Settings, data_dir: Path | None, steps: Steps, earlier_forecast_days: int = 0
) -> list[str]:
    """Train each model in turn with progress lines; return the models not promoted.

    With ``earlier_forecast_days`` (CSV data only), a forecast as of that many days ago is
    trained just before today's, which then scores it (forecast monitoring).
    """
    from aktina_ml.training import train_from_csv, train_from_database

    where = f"CSV files in {data_dir}" if data_dir else _database_label(settings)
    failed = []
    for name in settings.train_models:
        if name == "forecast" and data_dir and earlier_forecast_days:
            train_earlier_forecast(settings, data_dir, steps, earlier_forecast_days)
        steps.start(f"training {name} from {where} into {settings.model_store} …")
        started = time.perf_counter()
        try:
            if data_dir:
                (result,) = train_from_csv([name], data_dir, settings)
            else:
                (result,) = train_from_database([name], settings)
        except ModuleNotFoundError as exc:  # a model kind this checkout does not have yet
            progress(f"      {name} is not available in this checkout ({exc.name}); skipped")
            failed.append(name)
            continue
        seconds = time.perf_counter() - started
        if result.promoted and result.manifest is not None:
            progress(
                f"      promoted {result.manifest.version} in {seconds:.1f} s"
                f"{_summary(result.metrics)}"
            )
            if name == "forecast":
                progress(f"      monitoring: {monitoring_words(result.manifest.metadata)}")
        else:
            progress(f"      NOT promoted ({result.reason}); the last good model, if any, serves")
            failed.append(name)
    return failed


def train_earlier_forecast(settings: Settings, data_dir: Path, steps: Steps, days: int) -> None:
    """A forecast as of ``days`` days ago, so that today's training has one to score."""
    from aktina_ml.training import train_earlier_forecast_from_csv

    steps.start(f"training an earlier forecast, as of {days} days ago (for the accuracy chart) …")
    started = time.perf_counter()
    result = train_earlier_forecast_from_csv(data_dir, settings, days)
    seconds = time.perf_counter() - started
    progress(
        f"      promoted {result.manifest.version} in {seconds:.1f} s; today's forecast scores it"
        if result.promoted and result.manifest is not None
        else f"      NOT promoted ({result.reason}): no earlier forecast to score yet"
    )


def monitoring_words(metadata: dict[str, Any]) -> str:
    """How the earlier forecasts did, from a forecast manifest's ``monitoring``, in words."""
    monitoring = metadata.get("monitoring") or {}
    summary = monitoring.get("summary") or {}
    # by lead, nearest first (a signed manifest's JSON has its keys sorted as text)
    scored = {lead: summary[lead] for lead in sorted(summary, key=int) if summary[lead]}
    if not scored:
        return "no earlier forecast yet (none has days of actual sales to be scored on)"
    leads = "; ".join(
        f"{lead} days ahead MASE {s['mase']:.2f}, interval coverage {s['coverage']:.0%} "
        f"({s['forecasts']} forecast{'s' if s['forecasts'] != 1 else ''})"
        for lead, s in scored.items()
    )
    drift = monitoring.get("drift") or {}
    if drift.get("detected"):
        verdict = "DRIFT"
    else:
        verdict = "no drift" if "recent_mase" in drift else "drift not judged yet"
    return f"{leads}; {verdict}: {drift.get('reason', 'no recent forecast scored')}"


def _summary(metrics: dict[str, Any]) -> str:
    """A few telling figures of a training run, when present."""
    parts = [
        f"{label} {metrics[key]}"
        for key, label in (
            ("k", "segments"),
            ("heldout_accuracy", "held-out volume-class accuracy"),
            ("mase", "MASE"),
            ("mase_seasonal_naive", "seasonal-naive MASE"),
            ("coverage_calibrated", "interval coverage"),
        )
        if key in metrics
    ]
    return f" ({', '.join(parts)})" if parts else ""


def _database_label(settings: Settings) -> str:
    if settings.db_secret_arn:
        return "the database of AKTINA_DB_SECRET_ARN"
    db = settings.database()
    return f"MySQL {db.host}:{db.port}/{db.database}"


def progress(message: str) -> None:
    print(f"aktina-ml: {message}", file=sys.stderr, flush=True)
