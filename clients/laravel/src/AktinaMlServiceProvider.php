<?php

declare(strict_types=1);

namespace Aktina\MlLaravel;

use Aktina\MlLaravel\Console\RefreshCommand;
use Aktina\MlLaravel\Http\ApiClient;
use Aktina\MlLaravel\Http\ClientConfig;
use Aktina\MlLaravel\Livewire\CustomerSegmentation;
use Aktina\MlLaravel\Livewire\SalesPrediction;
use Illuminate\Contracts\Foundation\Application;
use Illuminate\Http\Client\Factory;
use Illuminate\Support\ServiceProvider;
use Psr\Log\LoggerInterface;

/** Config, the client and Insights singletons, views, the refresh command, the Livewire components. */
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
        $this->app->singleton(Insights::class, static function (Application $app): Insights {
            $config = $app['config']['aktina-ml'];

            return new Insights(
                $app->make(ApiClient::class),
                $app['cache']->store($config['cache_store'] ?? null),
                (string) $config['cache_prefix'],
                (int) $config['stale_seconds'],
                $config['horizons'],
                $config['granularities'],
            );
        });
    }

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
            \Livewire\Livewire::component('aktina-ml.customer-segmentation', CustomerSegmentation::class);
            \Livewire\Livewire::component('aktina-ml.sales-prediction', SalesPrediction::class);
        }
    }
}
