<?php

declare(strict_types=1);

namespace Aktina\MlLaravel;

use Aktina\MlLaravel\Console\RefreshCommand;
use Aktina\MlLaravel\Http\ApiClient;
use Aktina\MlLaravel\Http\ClientConfig;
use Aktina\MlLaravel\Livewire\CustomerSegmentation;
use Aktina\MlLaravel\Livewire\DemandForecastCard;
use Aktina\MlLaravel\Livewire\ForecastAccuracy;
use Aktina\MlLaravel\Livewire\MarketTrends;
use Aktina\MlLaravel\Livewire\Recommendations;
use Aktina\MlLaravel\Livewire\RevenueDemandChart;
use Aktina\MlLaravel\Livewire\RevenueForecastCard;
use Aktina\MlLaravel\Livewire\RiskCard;
use Aktina\MlLaravel\Livewire\SalesPrediction;
use Aktina\MlLaravel\Livewire\SegmentForecasts;
use Illuminate\Contracts\Foundation\Application;
use Illuminate\Http\Client\Factory;
use Illuminate\Support\ServiceProvider;
use Psr\Log\LoggerInterface;

/** Config, the client singleton and the scoped Insights, views, the refresh command, the Livewire components. */
final class AktinaMlServiceProvider extends ServiceProvider
{
    public function register(): void
    {
        $this->mergeConfigFrom(__DIR__ . '/../config/aktina-ml.php', 'aktina-ml');

        // Resolved on first use: a missing AKTINA_ML_URL / AKTINA_ML_KEY fails there, by name.
        $this->app->singleton(ApiClient::class, static fn (Application $app): ApiClient => new ApiClient(
            $app->make(Factory::class),
            ClientConfig::fromArray($app['config']['aktina-ml']),
            $app->make(LoggerInterface::class),
        ));
        // Scoped: one per request (or queued job), so what failed is remembered for that
        // request only (Insights::$failures).
        $this->app->scoped(Insights::class, static function (Application $app): Insights {
            $config = $app['config']['aktina-ml'];

            return new Insights(
                $app->make(ApiClient::class),
                $app['cache']->store($config['cache_store'] ?? null),
                (string) $config['cache_prefix'],
                (int) $config['stale_seconds'],
                $config['horizons'],
                $config['granularities'],
                $config['accuracy_leads'] ?? [7, 30, 90],
            );
        });
    }

    /** Livewire name → component: the four chart widgets, then the summary's six (GET /summary). */
    public const COMPONENTS = [
        'aktina-ml.customer-segmentation' => CustomerSegmentation::class,
        'aktina-ml.sales-prediction' => SalesPrediction::class,
        'aktina-ml.segment-forecasts' => SegmentForecasts::class,
        'aktina-ml.forecast-accuracy' => ForecastAccuracy::class,
        'aktina-ml.revenue-forecast-card' => RevenueForecastCard::class,
        'aktina-ml.demand-forecast-card' => DemandForecastCard::class,
        'aktina-ml.risk-card' => RiskCard::class,
        'aktina-ml.revenue-demand-chart' => RevenueDemandChart::class,
        'aktina-ml.market-trends' => MarketTrends::class,
        'aktina-ml.recommendations' => Recommendations::class,
    ];

    public function boot(): void
    {
        $this->loadViewsFrom(__DIR__ . '/../resources/views', 'aktina-ml');
        $this->publishes(
            [__DIR__ . '/../config/aktina-ml.php' => $this->app->configPath('aktina-ml.php')],
            'aktina-ml-config',
        );
        if ($this->app->runningInConsole()) {
            $this->commands([RefreshCommand::class]);
        }
        if (class_exists(\Livewire\Livewire::class)) {
            foreach (self::COMPONENTS as $name => $class) {
                \Livewire\Livewire::component($name, $class);
            }
        }
    }
}
