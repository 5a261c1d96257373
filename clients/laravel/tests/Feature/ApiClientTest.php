<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Tests\Feature;

use Aktina\MlLaravel\Http\ApiClient;
use Aktina\MlLaravel\Http\ClientConfig;
use Aktina\MlLaravel\Http\ServiceUnreachable;
use Aktina\MlLaravel\Tests\Support\LocalApi;
use Aktina\MlLaravel\Tests\Support\RecordingLogger;
use Aktina\MlLaravel\Tests\Support\SilentServer;
use Illuminate\Http\Client\Factory;
use PHPUnit\Framework\TestCase;

/** The client against the real local API (aktina-ml serve over a demo-trained store). */
final class ApiClientTest extends TestCase
{
    private RecordingLogger $log;

    protected function setUp(): void
    {
        $this->log = new RecordingLogger();
    }

    private function client(?string $url = null, string $key = LocalApi::KEY, float $timeout = 10, int $retries = 1, ?Factory $http = null): ApiClient
    {
        return new ApiClient($http ?? new Factory(), new ClientConfig($url ?? LocalApi::shared()->url, $key, 1.0, $timeout, 5.0, $retries, 50), $this->log);
    }

    public function test_get_sends_the_key_and_reads_the_caching_headers(): void
    {
        // When the client asks for the segments with the right key
        $response = $this->client()->get('/segments');

        // Then the service answers with the body, its ETag and the max-age until training
        self::assertSame(200, $response->status);
        self::assertGreaterThan(0, $response->body['k']);
        self::assertMatchesRegularExpression('/^"[0-9a-f]+"$/', (string) $response->etag);
        self::assertGreaterThan(0, $response->maxAge);
        self::assertLessThanOrEqual(86400, $response->maxAge);
        self::assertSame([], $this->log->lines);
    }

    public function test_the_etag_revalidates_to_a_304_without_a_body(): void
    {
        $first = $this->client()->get('/forecast', ['horizon_days' => 30, 'granularity' => 'week']);

        $again = $this->client()->get('/forecast', ['horizon_days' => 30, 'granularity' => 'week'], $first->etag);

        self::assertTrue($again->notModified());
        self::assertNull($again->body);
        self::assertSame($first->etag, $again->etag);
        self::assertGreaterThan(0, $again->maxAge);
    }

    public function test_post_sends_json(): void
    {
        $response = $this->client()->post('/segments/assign', ['retailers' => [
            ['id' => 9001, 'customer_age_class' => 'adult', 'customer_income_bracket' => 'high', 'male_female_ratio' => '0.80'],
        ]]);

        self::assertSame(200, $response->status, $response->message());
        self::assertNotEmpty($response->body);
    }

    public function test_health_answers_each_models_readiness(): void
    {
        $response = $this->client()->health();

        self::assertSame(200, $response->status);
        self::assertTrue($response->body['models']['segmentation']['ready']);
        self::assertTrue($response->body['models']['forecast']['ready']);
    }

    public function test_a_wrong_key_is_logged_as_a_rejected_key(): void
    {
        $response = $this->client(null, 'not-the-key')->get('/segments');

        self::assertSame(403, $response->status);
        self::assertSame(['error: Aktina ML: API key rejected: check AKTINA_ML_KEY (GET /segments answered 403)'], $this->log->lines);
    }

    public function test_an_unknown_route_points_at_the_base_url(): void
    {
        $response = $this->client(LocalApi::shared()->url . '/v2')->get('/segments');

        self::assertSame(403, $response->status);
        self::assertStringContainsString('no such route GET /segments: check AKTINA_ML_URL', $this->log->lines[0]);
    }

    public function test_no_model_is_a_503_logged_as_such(): void
    {
        $empty = LocalApi::start(LocalApi::emptyStore());

        $response = $this->client($empty->url)->get('/segments');

        self::assertSame(503, $response->status);
        self::assertStringStartsWith('warning: Aktina ML: no model trained yet (GET /segments answered 503', $this->log->lines[0]);
        $empty->stop();
    }

    public function test_bad_input_is_a_422_naming_the_field(): void
    {
        $response = $this->client()->get('/forecast', ['horizon_days' => 0]);

        self::assertSame(422, $response->status);
        self::assertStringContainsString('horizon_days', $response->message());
    }

    public function test_a_stopped_server_is_unreachable_after_the_retries(): void
    {
        $server = LocalApi::start(LocalApi::trainedStore());
        $server->stop();

        $this->expectException(ServiceUnreachable::class);
        try {
            $this->client($server->url)->get('/segments');
        } finally {
            self::assertStringStartsWith('error: Aktina ML unreachable: GET /segments', $this->log->lines[0] ?? '');
        }
    }

    public function test_a_hanging_service_times_out_and_is_retried_once(): void
    {
        // Given a socket that accepts and never answers (a real hang, not a fake)
        $silent = new SilentServer();
        $started = microtime(true);

        try {
            $this->client($silent->url, LocalApi::KEY, 1.0, 1)->get('/segments');
            self::fail('no timeout');
        } catch (ServiceUnreachable $e) {
            self::assertStringContainsString('timed out', $e->getMessage());
        }

        // Then both attempts ran into the 1 s timeout: two connections, 2 s and not much more
        // (the bound is loose: the cores are shared)
        $elapsed = microtime(true) - $started;
        self::assertSame(2, $silent->connections());
        self::assertGreaterThanOrEqual(1.9, $elapsed);
        self::assertLessThan(10.0, $elapsed);
    }

    public function test_5xx_is_retried_and_4xx_is_not(): void
    {
        // A real server cannot be made to fail with a 500 on demand: Http::fake here.
        $http = new Factory();
        $http->fake(['*/segments' => $http->sequence()->push(['message' => 'boom'], 500)->push(['k' => 3], 200),
            '*/forecast*' => $http->response(['message' => 'horizon_days: bad'], 422)]);

        self::assertSame(200, $this->client('http://ml.test', LocalApi::KEY, 10, 1, $http)->get('/segments')->status);
        self::assertSame(422, $this->client('http://ml.test', LocalApi::KEY, 10, 3, $http)->get('/forecast')->status);

        self::assertCount(3, $http->recorded(), 'two GET /segments (500, then 200) and one GET /forecast');
    }
}
