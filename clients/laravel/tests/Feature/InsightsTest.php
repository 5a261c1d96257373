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
use Aktina\MlLaravel\Tests\Support\SilentServer;
use Illuminate\Cache\Repository;
use Illuminate\Events\Dispatcher;
use Illuminate\Http\Client\Events\ResponseReceived;
use Illuminate\Http\Client\Factory;
use Illuminate\Http\Client\Request;
use Illuminate\Http\Client\Response;
use Illuminate\Support\Carbon;
use PHPUnit\Framework\TestCase;

/** The Insights service and its cache, against the real local API. */
final class InsightsTest extends TestCase
{
    private InspectableArrayStore $store;

    private RecordingLogger $log;

    private Factory $http;

    /** @var list<array{0: Request, 1: Response}> */
    private array $exchanges = [];

    protected function setUp(): void
    {
        Carbon::setTestNow(Carbon::now()); // ages are exact to the second
        $this->store = new InspectableArrayStore();
        $this->log = new RecordingLogger();
        // Laravel's own ResponseReceived events record what went over the wire.
        $events = new Dispatcher();
        $events->listen(ResponseReceived::class, function (ResponseReceived $event): void {
            $this->exchanges[] = [$event->request, $event->response];
        });
        $this->http = new Factory($events);
    }

    protected function tearDown(): void
    {
        Carbon::setTestNow();
    }

    private function insights(?string $url = null, string $key = LocalApi::KEY, int $staleSeconds = 7 * 86400): Insights
    {
        $client = new ApiClient($this->http, new ClientConfig($url ?? LocalApi::shared()->url, $key, 1.0, 5.0, 5.0, 1, 50), $this->log);

        return new Insights($client, new Repository($this->store), 'aktina-ml:', $staleSeconds, [30, 90], ['day', 'month']);
    }

    /** @return list<array{0: string, 1: int, 2: string}> method, status, If-None-Match of each request */
    private function requests(): array
    {
        return array_map(static fn (array $pair): array => [
            $pair[0]->method() . ' ' . parse_url($pair[0]->url(), PHP_URL_PATH),
            $pair[1]->status(),
            $pair[0]->header('If-None-Match')[0] ?? '',
        ], $this->exchanges);
    }

    public function test_segments_are_cached_for_the_max_age_the_service_sends(): void
    {
        $insights = $this->insights();

        $first = $insights->segments();
        $second = $insights->segments();

        self::assertSame(Answer::FRESH, $first->state);
        self::assertSame($first->data, $second->data);
        self::assertArrayHasKey('distribution', $first->data['charts']);
        self::assertCount(1, $this->requests(), 'the second answer came from the cache');
    }

    public function test_forecast_entries_per_horizon_and_granularity(): void
    {
        $insights = $this->insights();

        $daily = $insights->forecast(30, 'day');
        $monthly = $insights->forecast(90, 'month');

        self::assertCount(30, $daily->data['dates']);
        self::assertSame('month', $monthly->data['granularity']);
        self::assertCount(count($monthly->data['dates']), $monthly->data['chart']['series'][1]['data']);
        self::assertCount(2, $this->store->keys());
    }

    public function test_after_max_age_the_etag_revalidates_and_a_304_extends_the_entry(): void
    {
        $insights = $this->insights();
        $first = $insights->forecast(90, 'day');
        $maxAge = $this->exchanges[0][1]->header('Cache-Control');

        // When the entry's max-age has passed
        Carbon::setTestNow(Carbon::now()->addSeconds(86401));
        $again = $insights->forecast(90, 'day');
        $third = $insights->forecast(90, 'day');

        // Then one conditional request got 304, the cached body is served fresh, and the
        // renewed entry answers the next call without a request
        self::assertStringContainsString('max-age=', $maxAge);
        [$initial, $revalidation] = $this->requests();
        self::assertSame(['GET /forecast', 200, ''], $initial);
        self::assertSame('GET /forecast', $revalidation[0]);
        self::assertSame(304, $revalidation[1]);
        self::assertSame($first->data['chart'], $again->data['chart']);
        self::assertSame(Answer::FRESH, $again->state);
        self::assertSame(Answer::FRESH, $third->state);
        self::assertCount(2, $this->requests());
    }

    public function test_server_stopped_serves_the_last_good_answer_marked_stale_with_its_age(): void
    {
        $server = LocalApi::start(LocalApi::trainedStore());
        $insights = $this->insights($server->url);
        $good = $insights->segments();
        $server->stop();

        Carbon::setTestNow(Carbon::now()->addSeconds(86400 + 3600));
        $stale = $insights->segments();

        self::assertSame(Answer::STALE, $stale->state);
        self::assertSame($good->data, $stale->data);
        self::assertSame(86400 + 3600, $stale->ageSeconds);
        self::assertStringContainsString('cannot be reached', (string) $stale->problem);
    }

    public function test_a_hanging_service_costs_one_question_per_request_not_one_per_panel(): void
    {
        // Given a service that accepts connections and never answers (a real hang)
        $silent = new SilentServer();
        $client = new ApiClient($this->http, new ClientConfig($silent->url, LocalApi::KEY, 1.0, 1.0, 5.0, 1, 50), $this->log);
        $insights = new Insights($client, new Repository($this->store), 'aktina-ml:', 86400, [30, 90], ['day', 'month']);
        $started = microtime(true);

        // When one request asks what a page of panels asks (six panels read the summary)
        $answers = [$insights->segments(), $insights->forecast(90, 'day'), $insights->revalidating()->forecastAccuracy(7)];
        for ($panel = 0; $panel < 6; $panel++) {
            $answers[] = $insights->summary();
        }

        // Then only the first question waited (its two attempts): the rest fell back at once
        self::assertSame(2, $silent->connections());
        self::assertLessThan(10.0, microtime(true) - $started);
        foreach ($answers as $answer) {
            self::assertSame(Answer::UNREACHABLE, $answer->state);
        }
    }

    public function test_after_an_unreachable_service_the_next_requests_fall_back_at_once_for_a_while(): void
    {
        // Given a hanging service that one request already failed to reach
        $silent = new SilentServer();
        $client = new ApiClient($this->http, new ClientConfig($silent->url, LocalApi::KEY, 1.0, 1.0, 5.0, 1, 50), $this->log);
        $request = fn (): Insights => new Insights($client, new Repository($this->store), 'aktina-ml:', 86400, [30, 90], ['day', 'month']);
        self::assertSame(Answer::UNREACHABLE, $request()->segments()->state);
        self::assertSame(2, $silent->connections());

        // When the next requests (a page load, a poll) ask within UNREACHABLE_SECONDS
        $started = microtime(true);
        $answers = [$request()->summary(), $request()->revalidating()->forecast(90, 'day')];

        // Then they fall back without asking the service
        self::assertSame(2, $silent->connections());
        self::assertLessThan(0.5, microtime(true) - $started);
        foreach ($answers as $answer) {
            self::assertSame(Answer::UNREACHABLE, $answer->state);
        }
        // And an operator's refresh still asks, and so does a page once the time has passed
        $request()->refresh();
        self::assertGreaterThan(2, $silent->connections());
        $asked = $silent->connections();
        Carbon::setTestNow(Carbon::now()->addSeconds(Insights::UNREACHABLE_SECONDS + 1));
        $request()->segments();
        self::assertGreaterThan($asked, $silent->connections());
    }

    public function test_past_the_stale_window_the_failure_shows(): void
    {
        $server = LocalApi::start(LocalApi::trainedStore());
        $insights = $this->insights($server->url, LocalApi::KEY, 3 * 86400);
        $insights->segments();
        $server->stop();

        Carbon::setTestNow(Carbon::now()->addSeconds(4 * 86400));

        self::assertSame(Answer::UNREACHABLE, $insights->segments()->state);
    }

    public function test_no_model_is_a_503_and_nothing_is_cached(): void
    {
        $empty = LocalApi::start(LocalApi::emptyStore());
        $insights = $this->insights($empty->url);

        $segments = $insights->segments();
        $forecast = $insights->forecast(90, 'day');

        self::assertSame([Answer::NO_MODEL, Answer::NO_MODEL], [$segments->state, $forecast->state]);
        self::assertSame(503, $segments->status);
        self::assertSame([], $this->store->keys());
        self::assertCount(2, $this->log->lines);
        $empty->stop();
    }

    public function test_a_wrong_key_is_rejected_with_a_clear_message(): void
    {
        $answer = $this->insights(null, 'wrong-key')->segments();

        self::assertSame(Answer::REJECTED, $answer->state);
        self::assertSame(403, $answer->status);
        self::assertSame([], $this->store->keys());
        self::assertSame(['error: Aktina ML: API key rejected: check AKTINA_ML_KEY (GET /segments answered 403)'], $this->log->lines);
    }

    public function test_bad_input_is_invalid_with_the_services_message(): void
    {
        $answer = $this->insights()->forecast(400, 'day');

        self::assertSame(Answer::INVALID, $answer->state);
        self::assertSame(422, $answer->status);
        self::assertStringContainsString('horizon_days', (string) $answer->problem);
        self::assertSame([], $this->store->keys());
    }

    public function test_retailer_segment_and_an_unknown_retailer(): void
    {
        $insights = $this->insights();

        $known = $insights->retailerSegment(5);
        $unknown = $insights->retailerSegment(987654);

        self::assertSame(5, $known->data['retailer_id']);
        self::assertArrayHasKey('segment_id', $known->data);
        self::assertSame(Answer::NOT_FOUND, $unknown->state);
        self::assertCount(1, $this->store->keys(), 'the 404 is not cached');
    }

    public function test_assign_posts_demographics_and_is_not_cached(): void
    {
        $answer = $this->insights()->assign([
            ['id' => 9001, 'customer_age_class' => 'senior', 'customer_income_bracket' => 'low', 'customer_education_level' => 'low'],
        ]);
        $invalid = $this->insights()->assign([['id' => 'x', 'male_female_ratio' => ['not' => 'a number']]]);

        self::assertSame(Answer::FRESH, $answer->state);
        self::assertNotEmpty($answer->data);
        self::assertSame(Answer::INVALID, $invalid->state);
        self::assertSame([], $this->store->keys());
    }

    public function test_health_is_read_fresh_every_time(): void
    {
        $insights = $this->insights();

        $insights->health();
        $health = $insights->health();

        self::assertSame('ok', $health->data['status']);
        self::assertCount(2, $this->requests());
    }

    public function test_refresh_warms_every_entry_and_says_what_failed(): void
    {
        $server = LocalApi::start(LocalApi::trainedStore());
        $insights = $this->insights($server->url);

        $warm = $insights->refresh();
        $again = $insights->refresh();
        $server->stop();
        $failed = $insights->refresh();

        self::assertTrue($warm->ok());
        self::assertCount(13, $warm->answers(), 'segments, forecast and segment forecasts for 2 horizons × 2 granularities, 3 leads, the summary');
        self::assertSame(['segments', 'forecast 30 days by day', 'forecast 30 days by month', 'forecast 90 days by day', 'forecast 90 days by month'], array_slice(array_keys($warm->answers()), 0, 5));
        self::assertSame(13, count(array_filter($this->requests(), static fn (array $r): bool => $r[1] === 304)), 'the second refresh revalidated every entry');
        self::assertTrue($again->ok());
        self::assertFalse($failed->ok());
        self::assertCount(13, $failed->failures());
        self::assertStringStartsWith('FAILED  segments: stale', $failed->lines()[0]);
        self::assertStringContainsString('keeps being served', $failed->lines()[0]);
    }
}
