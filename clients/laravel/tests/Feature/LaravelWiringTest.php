<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Tests\Feature;

use Aktina\MlLaravel\ConfigurationException;
use Aktina\MlLaravel\Console\RefreshCommand;
use Aktina\MlLaravel\Insights;
use Aktina\MlLaravel\Tests\Support\Components;
use Aktina\MlLaravel\Tests\Support\KitApp;
use Aktina\MlLaravel\Tests\Support\LocalApi;
use Aktina\MlLaravel\Tests\Support\RecordingLogger;
use Illuminate\Foundation\Application;
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
        self::assertStringContainsString('All 16 entries are fresh.', $output);

        $server->stop();
        [$status, $output] = $this->runRefresh($app);
        self::assertSame(1, $status);
        self::assertStringContainsString('FAILED  forecast 30 days by day: stale', $output);
        self::assertStringContainsString('16 of 16 entries got no fresh answer.', $output);
    }

    public function test_the_include_renders_both_widgets_with_every_chart(): void
    {
        $app = KitApp::make(['apexcharts_url' => '/apexcharts.min.js']);
        Components::registerDirective($app['blade.compiler']);

        $html = $app['view']->make('aktina-ml::widgets')->render();

        self::assertSame(1, substr_count($html, 'data-aktina-ml-panel="segments" data-state="ready"'));
        self::assertSame(1, substr_count($html, 'data-aktina-ml-panel="forecast" data-state="ready" data-selection="90:day"'));
        self::assertSame(1 + 1 + 4 + 1, substr_count($html, 'data-aktina-ml-chart="'));
        self::assertSame(1, substr_count($html, '<script src="/apexcharts.min.js" data-navigate-once></script>'));
        self::assertSame(1, substr_count($html, 'window.AktinaMl = {'));
        self::assertStringContainsString('<option value="90" selected>90 days</option>', $html);
        self::assertStringContainsString('value="day" wire:model.live="granularity" checked', $html);
        self::assertStringNotContainsString('livewire:load', $html);
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
        self::assertStringNotContainsString('data-aktina-ml-chart="', $html);
        $empty->stop();
    }

    public function test_with_the_service_gone_the_include_shows_the_last_answer_and_its_age(): void
    {
        // Given the page rendered once while the service ran
        $server = LocalApi::start(LocalApi::trainedStore());
        $app = KitApp::make(['url' => $server->url]);
        Components::registerDirective($app['blade.compiler']);
        $app['view']->make('aktina-ml::widgets')->render();
        $server->stop();

        // When the service is gone and a day and an hour have passed
        Carbon::setTestNow(Carbon::now()->addSeconds(90000));
        $html = $app['view']->make('aktina-ml::widgets')->render();

        // Then both panels still draw their charts, marked stale with the age in words
        self::assertSame(2, substr_count($html, 'data-state="stale"'));
        self::assertSame(2, substr_count($html, 'Showing the last good answer, 1 day 1 h old: the prediction service did not answer now'));
        self::assertSame(1 + 1 + 4 + 1, substr_count($html, 'data-aktina-ml-chart="'));
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
