<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Tests\Feature;

use Aktina\MlLaravel\ConfigurationException;
use Aktina\MlLaravel\Console\RefreshCommand;
use Aktina\MlLaravel\Insights;
use Aktina\MlLaravel\Livewire\SalesPrediction;
use Aktina\MlLaravel\Tests\Support\Components;
use Aktina\MlLaravel\Tests\Support\KitApp;
use Aktina\MlLaravel\Tests\Support\LocalApi;
use Aktina\MlLaravel\Tests\Support\RecordingLogger;
use Illuminate\Foundation\Application;
use Illuminate\Http\Client\Events\ResponseReceived;
use Illuminate\Http\Request;
use Illuminate\Support\Carbon;
use PHPUnit\Framework\TestCase;
use Symfony\Component\Console\Input\ArrayInput;
use Symfony\Component\Console\Output\BufferedOutput;

/** The service provider in a Laravel application: config, errors, command, the Blade include. */
final class LaravelWiringTest extends TestCase
{
    public function test_missing_url_or_key_is_an_exception_naming_the_variable(): void
    {
        foreach (['url' => 'AKTINA_ML_URL', 'key' => 'AKTINA_ML_KEY'] as $setting => $env) {
            $app = KitApp::make([$setting => null]);
            try {
                $app->make(Insights::class);
                self::fail("no exception without {$env}");
            } catch (ConfigurationException $e) {
                self::assertStringContainsString("{$env} is not set", $e->getMessage());
            }
        }
    }

    public function test_defaults_come_from_the_packaged_config(): void
    {
        $config = KitApp::make()['config']['aktina-ml'];

        self::assertSame([3.0, 10.0, 5.0, 1], [$config['connect_timeout'], $config['timeout'], $config['health_timeout'], $config['retries']]);
        self::assertSame(7 * 24 * 3600, $config['stale_seconds']);
        self::assertLessThan(30, ($config['retries'] + 1) * $config['timeout'] + 1, 'a call ends before PHP\'s 30 s limit');
    }

    public function test_the_refresh_command_reports_each_entry(): void
    {
        $server = LocalApi::start(LocalApi::trainedStore());
        $app = KitApp::make(['url' => $server->url]);

        [$status, $output] = $this->runRefresh($app);
        self::assertSame(0, $status, $output);
        self::assertStringContainsString('ok      segments', $output);
        self::assertStringContainsString('ok      forecast 365 days by month', $output);
        self::assertStringContainsString('ok      segment forecasts 365 days by month', $output);
        self::assertStringContainsString('ok      forecast accuracy 90 days ahead', $output);
        self::assertStringContainsString('All 35 entries are fresh.', $output);

        $server->stop();
        [$status, $output] = $this->runRefresh($app);
        self::assertSame(1, $status);
        self::assertStringContainsString('FAILED  forecast 30 days by day: stale', $output);
        self::assertStringContainsString('35 of 35 entries got no fresh answer.', $output);
    }

    public function test_the_refresh_command_exits_0_twice_in_a_row(): void
    {
        // Given a refresh that filled the cache
        $app = KitApp::make();
        [$first, $output] = $this->runRefresh($app);
        self::assertSame(0, $first, $output);

        // When it runs again with the model unchanged (every entry revalidates to a 304)
        [$second, $output] = $this->runRefresh($app);

        // Then it succeeds again and every entry is fresh
        self::assertSame(0, $second, $output);
        self::assertStringContainsString('All 35 entries are fresh.', $output);
    }

    public function test_after_max_age_a_304_keeps_the_admin_page_at_200_and_renews_the_entries(): void
    {
        // Given the admin page, served by the app's router, rendered once
        $app = KitApp::make();
        Components::registerDirective($app['blade.compiler']);
        $app['router']->get('/admin', static fn () => $app['view']->make('aktina-ml::widgets'));
        $first = $app['router']->dispatch(Request::create('/admin'));
        self::assertSame(200, $first->getStatusCode());

        // When every entry's max-age (at most a day, until the next training) has passed
        Carbon::setTestNow(Carbon::now()->addSeconds(86401));
        $again = $app['router']->dispatch(Request::create('/admin'));

        // Then the page is still a 200 with the same charts, fresh (the 304s renewed the
        // entries), and the next load within max-age sends no request at all
        self::assertSame(200, $again->getStatusCode());
        $html = (string) $again->getContent();
        self::assertSame(4, substr_count($html, 'data-state="ready"'));
        self::assertSame(1 + 1 + 4 + 1 + 1 + 1, substr_count($html, 'data-aktina-ml-chart="'));
        $sent = 0;
        $app['events']->listen(ResponseReceived::class, static function () use (&$sent): void {
            $sent++;
        });
        $third = $app['router']->dispatch(Request::create('/admin'));
        self::assertSame(200, $third->getStatusCode());
        self::assertSame(0, $sent, 'the renewed entries answer without a request');
    }

    public function test_the_include_renders_both_widgets_with_every_chart(): void
    {
        $app = KitApp::make(['apexcharts_url' => '/apexcharts.min.js']);
        Components::registerDirective($app['blade.compiler']);

        $html = $app['view']->make('aktina-ml::widgets')->render();

        self::assertSame(1, substr_count($html, 'data-aktina-ml-panel="segments" data-state="ready"'));
        self::assertSame(1, substr_count($html, 'data-aktina-ml-panel="forecast" data-state="ready" data-selection="90:day"'));
        self::assertSame(1, substr_count($html, 'data-aktina-ml-panel="segment-forecasts" data-state="ready" data-selection="90:day"'));
        self::assertSame(1, substr_count($html, 'data-aktina-ml-panel="accuracy" data-state="ready" data-lead="7"'));
        self::assertSame(1 + 1 + 4 + 1 + 1 + 1, substr_count($html, 'data-aktina-ml-chart="'));
        self::assertStringContainsString('value="7" wire:model.live="leadDays" checked', $html);
        // ApexCharts: no script tag of its own, only the URL the script loads it from when the
        // page has none (the app's bundle), so it is never loaded twice
        self::assertSame(1, substr_count($html, 'window.AktinaMlApexChartsUrl = '));
        self::assertSame(1, substr_count($html, 'apexcharts.min.js'));
        self::assertStringNotContainsString('<script src=', $html);
        self::assertSame(1, substr_count($html, 'class="aktina-ml" data-aktina-ml-dark="class"'));
        self::assertSame(1, substr_count($html, 'window.AktinaMl = {'));
        self::assertStringContainsString('<option value="90" selected>90 days</option>', $html);
        self::assertStringContainsString('value="day" wire:model.live="granularity" checked', $html);
        self::assertStringNotContainsString('livewire:load', $html);
        // every panel polls (60 s by default), wherever it sits on the page
        self::assertSame(4, substr_count($html, 'data-aktina-ml-poll="60" x-data="{ timer: null, init()'));
    }

    public function test_without_a_model_the_include_says_so(): void
    {
        $empty = LocalApi::start(LocalApi::emptyStore());
        $app = KitApp::make(['url' => $empty->url], new RecordingLogger());
        Components::registerDirective($app['blade.compiler']);

        $html = $app['view']->make('aktina-ml::widgets')->render();

        self::assertStringContainsString('data-state="no-model"', $html);
        self::assertStringContainsString('No segmentation model yet: it appears after the next training run.', $html);
        self::assertStringContainsString('No forecast model yet', $html);
        self::assertStringContainsString('No per-segment forecasts yet', $html);
        self::assertSame(4, substr_count($html, 'data-state="no-model"'));
        self::assertStringNotContainsString('data-aktina-ml-chart="', $html);
        $empty->stop();
    }

    public function test_with_the_service_gone_the_include_shows_the_last_answer_and_its_age(): void
    {
        // Given the page rendered once while the service ran
        $server = LocalApi::start(LocalApi::trainedStore());
        $log = new RecordingLogger();
        $app = KitApp::make(['url' => $server->url], $log);
        Components::registerDirective($app['blade.compiler']);
        Carbon::setTestNow(Carbon::parse('2026-12-05 07:42:00'));
        $app['view']->make('aktina-ml::widgets')->render();
        $server->stop();

        // When the service is gone from 10:42 the next day (past max-age), and the page is
        // loaded again an hour later
        Carbon::setTestNow(Carbon::parse('2026-12-06 10:42:00'));
        $app['view']->make('aktina-ml::widgets')->render();
        Carbon::setTestNow(Carbon::parse('2026-12-06 11:42:00'));
        $html = $app['view']->make('aktina-ml::widgets')->render();

        // Then every panel still draws its charts, marked stale, saying in words since when the
        // service is gone and how old the answer is; the transport error and the service's
        // URL are in the log, never on the page
        self::assertSame(4, substr_count($html, 'data-state="stale"'), 'segments, segment forecasts, forecast, accuracy');
        self::assertSame(4, substr_count($html, "The forecast service can&#039;t be reached (since 10:42); showing the answer from 1 day 4 h ago."));
        self::assertSame(1 + 1 + 4 + 1 + 1 + 1, substr_count($html, 'data-aktina-ml-chart="'));
        self::assertStringNotContainsString($server->url, $html);
        self::assertStringNotContainsString('127.0.0.1', $html);
        self::assertStringNotContainsString('cURL', $html);
        self::assertStringContainsString($server->url, implode("\n", $log->lines));
    }

    public function test_with_the_service_never_reached_the_include_says_so_without_transport_details(): void
    {
        $server = LocalApi::start(LocalApi::trainedStore());
        $server->stop();
        $app = KitApp::make(['url' => $server->url, 'retries' => 0, 'poll_seconds' => 0]);
        Components::registerDirective($app['blade.compiler']);
        Carbon::setTestNow(Carbon::parse('2026-12-06 10:42:00'));

        $html = $app['view']->make('aktina-ml::widgets')->render();

        self::assertSame(4, substr_count($html, 'data-state="unreachable"'));
        self::assertSame(4, substr_count($html, "The forecast service can&#039;t be reached (since 10:42); there is no earlier answer to show."));
        self::assertStringNotContainsString('127.0.0.1', $html);
        self::assertStringNotContainsString('cURL', $html);
        // (AKTINA_ML_POLL_SECONDS=0: no panel polls)
        self::assertStringNotContainsString('data-aktina-ml-poll', $html);
        self::assertStringNotContainsString('setInterval', $html);
    }

    public function test_a_poll_redraws_nothing_on_304_and_shows_a_newly_promoted_model(): void
    {
        // Given the forecast panel rendered at 10:42, polling every 60 s
        $store = LocalApi::copyOfTrainedStore();
        // (the service looks for a newly promoted model on every request here, not every 60 s)
        $server = LocalApi::start($store, LocalApi::KEY, ['AKTINA_MODEL_REFRESH_SECONDS' => '0']);
        $app = KitApp::make(['url' => $server->url, 'poll_seconds' => 60]);
        $sent = [];
        $app['events']->listen(ResponseReceived::class, static function (ResponseReceived $e) use (&$sent): void {
            $sent[] = [$e->request->header('If-None-Match')[0] ?? '', $e->response->status()];
        });
        Carbon::setTestNow(Carbon::parse('2026-12-07 10:42:00'));
        $panel = new SalesPrediction();
        $panel->mount();
        $html = $panel->render()->render();
        // (every 60 s while the tab is visible, whether or not the panel is in the viewport: no
        // wire:poll, whose .visible means "in the viewport" and which still polls hidden tabs)
        self::assertStringContainsString('data-aktina-ml-poll="60"', $html);
        self::assertStringContainsString('setInterval(() => document.hidden || this.$wire.poll(), 60000)', $html);
        self::assertStringContainsString('destroy() { clearInterval(this.timer) }', $html);
        self::assertStringNotContainsString('wire:poll', $html);
        self::assertStringContainsString('Updated 10:42', $html);
        $version = $app->make(Insights::class)->forecast(90, 'day')->data['model_version'];

        // When it polls at 10:43 and the model is unchanged
        Carbon::setTestNow(Carbon::parse('2026-12-07 10:43:00'));
        $sent = [];
        $changed = $panel->poll();

        // Then one conditional GET got a 304, and nothing is re-rendered
        self::assertFalse($changed);
        self::assertTrue($panel->renderSkipped ?? true);
        self::assertCount(1, $sent);
        self::assertSame(304, $sent[0][1]);
        self::assertSame($panel->seen, $sent[0][0]);

        // When training promotes another forecast and the panel polls at 10:44
        $promoted = LocalApi::promoteAnother($store, 'forecast');
        Carbon::setTestNow(Carbon::parse('2026-12-07 10:44:00'));
        $fresh = new SalesPrediction();
        $fresh->seen = $panel->seen;
        $fresh->mount();
        // (the service swaps the new model in behind the request that noticed it: a few polls)
        for ($poll = 1; ! ($changed = $fresh->poll()) && $poll < 20; $poll++) {
            usleep(250_000);
        }

        // Then the new answer comes back (200) and the panel shows it, updated 10:44, no reload
        self::assertTrue($changed);
        self::assertNotSame($version, $promoted);
        $html = $fresh->render()->render();
        self::assertStringContainsString($promoted, $html);
        self::assertStringNotContainsString($version, $html);
        self::assertStringContainsString('Updated 10:44', $html);
        $server->stop();
    }

    protected function tearDown(): void
    {
        Carbon::setTestNow();
    }

    /** @return array{0: int, 1: string} */
    private function runRefresh(Application $app): array
    {
        $command = $app->make(RefreshCommand::class);
        $command->setLaravel($app);
        $output = new BufferedOutput();

        return [$command->run(new ArrayInput([]), $output), $output->fetch()];
    }
}
