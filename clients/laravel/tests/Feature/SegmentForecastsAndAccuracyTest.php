<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Tests\Feature;

use Aktina\MlLaravel\Answer;
use Aktina\MlLaravel\Http\ApiClient;
use Aktina\MlLaravel\Http\ClientConfig;
use Aktina\MlLaravel\Insights;
use Aktina\MlLaravel\Tests\Support\InspectableArrayStore;
use Aktina\MlLaravel\Tests\Support\LocalApi;
use Aktina\MlLaravel\Tests\Support\RecordingLogger;
use Illuminate\Cache\Repository;
use Illuminate\Events\Dispatcher;
use Illuminate\Http\Client\Events\ResponseReceived;
use Illuminate\Http\Client\Factory;
use Illuminate\Support\Carbon;
use PHPUnit\Framework\TestCase;

/**
 * Insights::segmentForecasts() and Insights::forecastAccuracy() against the real local API:
 * the demo store has per-segment forecasts and a forecast made 60 days before today's.
 */
final class SegmentForecastsAndAccuracyTest extends TestCase
{
    private InspectableArrayStore $store;

    /** @var list<array{0: string, 1: int}> path and status of each request */
    private array $requests = [];

    protected function setUp(): void
    {
        Carbon::setTestNow(Carbon::now());
        $this->store = new InspectableArrayStore();
        $this->requests = [];
    }

    protected function tearDown(): void
    {
        Carbon::setTestNow();
    }

    private function insights(?string $url = null): Insights
    {
        $events = new Dispatcher();
        $events->listen(ResponseReceived::class, function (ResponseReceived $event): void {
            $this->requests[] = [(string) parse_url($event->request->url(), PHP_URL_PATH), $event->response->status()];
        });
        $config = new ClientConfig($url ?? LocalApi::shared()->url, LocalApi::KEY, 1.0, 5.0, 5.0, 1, 50);
        $client = new ApiClient(new Factory($events), $config, new RecordingLogger());

        return new Insights($client, new Repository($this->store), 'aktina-ml:', 7 * 86400, [30, 90], ['day', 'week'], [7, 30]);
    }

    public function test_segment_forecasts_are_cached_per_selection_for_the_max_age(): void
    {
        $insights = $this->insights();

        // When the page asks twice for each of two selections
        $weekly = $insights->segmentForecasts(90, 'week');
        $insights->segmentForecasts(90, 'week');
        $daily = $insights->segmentForecasts(30, 'day');
        $insights->segmentForecasts(30, 'day');

        // Then one request per selection, each answer a line per segment plus the total
        self::assertSame([['/forecast/segments', 200], ['/forecast/segments', 200]], $this->requests);
        self::assertCount(2, $this->store->keys());
        self::assertSame('week', $weekly->data['granularity']);
        self::assertSame(90, array_sum($weekly->data['period_days']));
        self::assertCount(30, $daily->data['dates']);
        self::assertCount(count($daily->data['segments']) + 1, $daily->data['chart']['series']);
        self::assertSame('Total forecast', array_column($daily->data['chart']['series'], 'name')[count($daily->data['segments'])]);
    }

    public function test_segment_forecasts_revalidate_with_the_etag_and_fall_back_to_stale(): void
    {
        $server = LocalApi::start(LocalApi::trainedStore());
        $insights = $this->insights($server->url);
        $first = $insights->segmentForecasts(90, 'day');

        // After the max-age: a conditional request, a 304, the cached body served fresh
        Carbon::setTestNow(Carbon::now()->addSeconds(86401));
        $again = $insights->segmentForecasts(90, 'day');
        self::assertSame([['/forecast/segments', 200], ['/forecast/segments', 304]], $this->requests);
        self::assertSame([Answer::FRESH, $first->data], [$again->state, $again->data]);

        // And with the service gone, the last good answer, marked stale with its age
        $server->stop();
        Carbon::setTestNow(Carbon::now()->addSeconds(86401));
        $stale = $insights->segmentForecasts(90, 'day');
        self::assertSame([Answer::STALE, 86401], [$stale->state, $stale->ageSeconds]);
        self::assertSame($first->data, $stale->data);
    }

    public function test_accuracy_compares_actual_sales_with_the_forecast_made_before(): void
    {
        $insights = $this->insights();

        $week = $insights->forecastAccuracy(7);
        $month = $insights->forecastAccuracy(30);
        $insights->forecastAccuracy(7);

        // Then the forecast of 60 days ago is compared with the 54 and 31 days it could see
        self::assertSame(Answer::FRESH, $week->state);
        self::assertCount(60 - 7 + 1, $week->data['comparison']['dates']);
        self::assertCount(60 - 30 + 1, $month->data['comparison']['dates']);
        self::assertSame(['Actual sales', 'Forecast made 7 days earlier', '80% interval'], array_column($week->data['chart']['series'], 'name'));
        self::assertSame(1, $week->data['summary']['7']['forecasts']);
        self::assertNull($week->data['summary']['90']);
        self::assertIsBool($week->data['drift']['detected']);
        self::assertCount(2, $this->requests, 'the second lead-7 answer came from the cache');
    }

    public function test_no_model_and_bad_input_are_never_cached(): void
    {
        $empty = LocalApi::start(LocalApi::emptyStore());
        $insights = $this->insights($empty->url);

        $segments = $insights->segmentForecasts(90, 'day');
        $accuracy = $insights->forecastAccuracy(7);
        $invalid = $this->insights()->forecastAccuracy(91);

        self::assertSame([Answer::NO_MODEL, 503], [$segments->state, $segments->status]);
        self::assertSame(Answer::NO_MODEL, $accuracy->state);
        self::assertSame([Answer::INVALID, 422], [$invalid->state, $invalid->status]);
        self::assertStringContainsString('lead_days', (string) $invalid->problem);
        self::assertSame([], $this->store->keys());
        $empty->stop();
    }

    public function test_refresh_warms_the_segment_forecasts_and_every_lead(): void
    {
        $report = $this->insights()->refresh();

        self::assertTrue($report->ok(), implode("\n", $report->lines()));
        $entries = array_keys($report->answers());
        self::assertContains('segment forecasts 30 days by week', $entries);
        self::assertContains('segment forecasts 90 days by day', $entries);
        self::assertSame(['forecast accuracy 7 days ahead', 'forecast accuracy 30 days ahead', 'summary'], array_slice($entries, -3));
        self::assertCount(1 + 4 + 4 + 2 + 1, $entries);
    }
}
