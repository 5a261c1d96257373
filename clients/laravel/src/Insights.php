<?php

declare(strict_types=1);

namespace Aktina\MlLaravel;

use Aktina\MlLaravel\Http\ApiClient;
use Aktina\MlLaravel\Http\ApiResponse;
use Aktina\MlLaravel\Http\ServiceUnreachable;
use ArrayObject;
use Illuminate\Contracts\Cache\Repository as Cache;
use Illuminate\Support\Carbon;

/**
 * Segments and forecasts for the admin page (replaces the app's MLService).
 *
 * Each GET answer is cached for the max-age the service sends and then revalidated with its
 * ETag (a 304 extends the entry). When the service fails, the last good answer is served,
 * marked stale with its age, for up to $staleSeconds. Failures and 503s are never cached.
 */
final class Insights
{
    /**
     * After the service could not be reached, page loads and polls fall back at once for this
     * long instead of each waiting for its own timeouts (an open tab polls every minute);
     * `aktina-ml:refresh` always asks.
     */
    public const UNREACHABLE_SECONDS = 30;

    private bool $alwaysRevalidate = false;

    /**
     * The failures met in this request, shared with revalidating() clones: '*' once the
     * service could not be reached (every later question falls back at once instead of
     * waiting for its own timeouts), else per cache key (a 503 or 5xx is not asked twice).
     *
     * @var ArrayObject<string, Answer>
     */
    private ArrayObject $failures;

    /**
     * @param list<int> $horizons the page's horizon choices (refresh() warms each)
     * @param list<string> $granularities
     * @param list<int> $leads the accuracy card's lead choices, days ahead (refresh() warms each)
     */
    public function __construct(
        private readonly ApiClient $api,
        private readonly Cache $cache,
        private readonly string $prefix = 'aktina-ml:',
        private readonly int $staleSeconds = 7 * 24 * 3600,
        private readonly array $horizons = [30, 60, 90, 180, 365],
        private readonly array $granularities = ['day', 'week', 'month'],
        private readonly array $leads = [7, 30, 90],
    ) {
        $this->failures = new ArrayObject();
    }

    /**
     * The same service, asking the API on every call (a conditional GET with the cached ETag:
     * a 304 without a body while the model is unchanged). For a page's poll.
     */
    public function revalidating(): self
    {
        $clone = clone $this;
        $clone->alwaysRevalidate = true;

        return $clone;
    }

    /** Every segment's profile, chart data and the legacy keys (GET /segments). */
    public function segments(): Answer
    {
        return $this->cachedGet('/segments');
    }

    /** The forecast for $horizonDays (1–365) by 'day', 'week' or 'month' (GET /forecast). */
    public function forecast(int $horizonDays = 90, string $granularity = 'day'): Answer
    {
        return $this->cachedGet('/forecast', ['horizon_days' => $horizonDays, 'granularity' => $granularity]);
    }

    /**
     * Each segment's forecast for $horizonDays (1–365) by 'day', 'week' or 'month', reconciled
     * with the total forecast, which comes along for reference (GET /forecast/segments).
     * State NO_MODEL (503) until a forecast is trained after a segmentation.
     */
    public function segmentForecasts(int $horizonDays = 90, string $granularity = 'day'): Answer
    {
        return $this->cachedGet('/forecast/segments', ['horizon_days' => $horizonDays, 'granularity' => $granularity]);
    }

    /**
     * How the earlier forecasts did: actual sales against the forecast made $leadDays (1–90)
     * days before, MASE and interval coverage per lead, the drift verdict (GET /forecast/accuracy).
     */
    public function forecastAccuracy(int $leadDays = 7): Answer
    {
        return $this->cachedGet('/forecast/accuracy', ['lead_days' => $leadDays]);
    }

    /**
     * The admin page's summary (GET /summary): revenue next 30 days and next quarter, units
     * next month per product, risk and its reasons, trends, recommendations and the Revenue &
     * Demand chart, each figure with what it rests on. Demand may be "unavailable" on its own.
     */
    public function summary(): Answer
    {
        return $this->cachedGet('/summary');
    }

    /** One retailer's segment; state NOT_FOUND for a retailer newer than the model (then assign()). */
    public function retailerSegment(int $retailerId): Answer
    {
        return $this->cachedGet("/segments/{$retailerId}");
    }

    /**
     * Segments for posted demographics (POST /segments/assign); never cached.
     *
     * @param list<array<string, mixed>> $retailers
     */
    public function assign(array $retailers): Answer
    {
        return $this->uncached(fn (): ApiResponse => $this->api->post('/segments/assign', ['retailers' => $retailers]));
    }

    /** Each model's readiness (GET /health: 200 when every model is ready, else 503 with the same body); never cached. */
    public function health(): Answer
    {
        return $this->uncached(fn (): ApiResponse => $this->api->health());
    }

    /**
     * Revalidates every entry the admin page uses (segments; the forecast and the segment
     * forecasts for each horizon × granularity; the accuracy for each lead; the summary), whether or not
     * it is still fresh. Run it after the scheduled training.
     */
    public function refresh(): RefreshReport
    {
        $report = new RefreshReport();
        $report->add('segments', $this->cachedGet('/segments', [], true));
        foreach ($this->horizons as $horizon) {
            foreach ($this->granularities as $granularity) {
                $query = ['horizon_days' => $horizon, 'granularity' => $granularity];
                $report->add("forecast {$horizon} days by {$granularity}", $this->cachedGet('/forecast', $query, true));
            }
        }
        foreach ($this->horizons as $horizon) {
            foreach ($this->granularities as $granularity) {
                $query = ['horizon_days' => $horizon, 'granularity' => $granularity];
                $answer = $this->cachedGet('/forecast/segments', $query, true);
                $report->add("segment forecasts {$horizon} days by {$granularity}", $answer);
            }
        }
        foreach ($this->leads as $lead) {
            $answer = $this->cachedGet('/forecast/accuracy', ['lead_days' => $lead], true);
            $report->add("forecast accuracy {$lead} days ahead", $answer);
        }
        $report->add('summary', $this->cachedGet('/summary', [], true));

        return $report;
    }

    /** @param array<string, scalar> $query */
    private function cachedGet(string $path, array $query = [], bool $revalidate = false): Answer
    {
        $key = $this->key($path, $query);
        $entry = $this->cache->get($key);
        $entry = is_array($entry) && isset($entry['body'], $entry['fetched_at'], $entry['fresh_until']) ? $entry : null;
        $now = Carbon::now()->getTimestamp();
        if ($entry !== null && ! $revalidate && ! $this->alwaysRevalidate && $now < $entry['fresh_until']) {
            return Answer::fresh($entry['body'], $now - $entry['fetched_at'], $entry['etag'] ?? null);
        }

        $known = $this->failures['*'] ?? $this->failures[$key] ?? ($revalidate ? null : $this->recentlyUnreachable());
        if ($known !== null) {
            return $this->fallback($key, $entry, $known, $now);
        }
        try {
            $response = $this->api->get($path, $query, $entry['etag'] ?? null);
        } catch (ServiceUnreachable $e) {
            $this->failures['*'] = Answer::failure(Answer::UNREACHABLE, $e->getMessage());
            $this->cache->put("{$this->prefix}unreachable", $e->getMessage(), self::UNREACHABLE_SECONDS);

            return $this->fallback($key, $entry, $this->failures['*'], $now);
        }
        if ($response->notModified() && $entry !== null) {
            $entry['fetched_at'] = $now;
            $entry['fresh_until'] = $now + $response->maxAge;
        } elseif ($response->successful()) {
            $entry = [
                'body' => $response->body,
                'etag' => $response->etag,
                'fetched_at' => $now,
                'fresh_until' => $now + $response->maxAge,
            ];
        } else {
            $this->failures[$key] = Answer::forStatus($response->status, $response->message());

            return $this->fallback($key, $entry, $this->failures[$key], $now);
        }
        $this->cache->put($key, $entry, $response->maxAge + $this->staleSeconds);
        $this->cache->forget("{$key}:failing-since");
        $this->cache->forget("{$this->prefix}unreachable");

        return Answer::fresh($entry['body'], 0, $entry['etag'] ?? null);
    }

    /** The service's failure when an earlier request could not reach it in the last few seconds. */
    private function recentlyUnreachable(): ?Answer
    {
        $message = $this->cache->get("{$this->prefix}unreachable");

        return is_string($message) ? Answer::failure(Answer::UNREACHABLE, $message) : null;
    }

    /**
     * The last good answer marked stale, or the failure. An outage (unreachable, 5xx) says
     * since when it has lasted for this question (kept in the cache until an answer succeeds).
     *
     * @param array{body: array<string, mixed>, fetched_at: int}|null $entry
     */
    private function fallback(string $key, ?array $entry, Answer $failure, int $now): Answer
    {
        if (in_array($failure->state, [Answer::UNREACHABLE, Answer::FAILED], true)) {
            $since = $this->cache->get("{$key}:failing-since");
            if (! is_int($since)) {
                $since = $now;
                $this->cache->put("{$key}:failing-since", $since, $this->staleSeconds);
            }
            $failure = $failure->failingSince($since);
        }
        $age = $entry === null ? null : $now - $entry['fetched_at'];
        if ($entry === null || $age > $this->staleSeconds || $failure->state === Answer::NOT_FOUND) {
            return $failure;
        }

        return Answer::stale($entry['body'], $age, $failure);
    }

    /** @param callable(): ApiResponse $call */
    private function uncached(callable $call): Answer
    {
        try {
            $response = $call();
        } catch (ServiceUnreachable $e) {
            return Answer::failure(Answer::UNREACHABLE, $e->getMessage());
        }

        return $response->successful()
            ? Answer::fresh($response->body)
            : Answer::forStatus($response->status, $response->message());
    }

    /** @param array<string, scalar> $query */
    private function key(string $path, array $query): string
    {
        ksort($query);

        return $this->prefix . sha1($path . '?' . http_build_query($query));
    }
}
