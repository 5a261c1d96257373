<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Tests\Support;

use Aktina\MlLaravel\AktinaMlServiceProvider;
use Illuminate\Cache\CacheServiceProvider;
use Illuminate\Config\Repository;
use Illuminate\Events\EventServiceProvider;
use Illuminate\Filesystem\FilesystemServiceProvider;
use Illuminate\Contracts\Debug\ExceptionHandler;
use Illuminate\Contracts\Http\Kernel as HttpKernel;
use Illuminate\Foundation\AliasLoader;
use Illuminate\Foundation\Application;
use Illuminate\Foundation\Exceptions\Handler;
use Illuminate\Foundation\Http\Kernel;
use Illuminate\Support\Facades\Facade;
use Illuminate\View\ViewServiceProvider;
use Livewire\LivewireServiceProvider;
use Psr\Log\LoggerInterface;

/**
 * A Laravel application with the framework's real config, cache (array store), events, view
 * (Blade) and HTTP client, Livewire's provider when Livewire is installed, and the kit's
 * service provider registered as an app would.
 */
final class KitApp
{
    /** @param array<string, mixed> $kitConfig overrides of config/aktina-ml.php */
    public static function make(array $kitConfig = [], ?RecordingLogger $log = null): Application
    {
        if (! array_key_exists('url', $kitConfig)) {
            $kitConfig['url'] = LocalApi::shared()->url;
        }
        $kitConfig += ['key' => LocalApi::KEY];
        $app = new Application(sys_get_temp_dir());
        Application::setInstance($app);
        Facade::clearResolvedInstances();
        Facade::setFacadeApplication($app);
        $compiled = sys_get_temp_dir() . '/aktina-ml-kit-views-' . getmypid();
        is_dir($compiled) || mkdir($compiled, 0777, true);
        $app->instance('config', new Repository([
            'app' => ['name' => 'kit-test'],
            'cache' => ['default' => 'array', 'stores' => ['array' => ['driver' => 'array']], 'prefix' => ''],
            'view' => ['paths' => [], 'compiled' => $compiled],
            'aktina-ml' => $kitConfig + ['apexcharts_url' => null],
        ]));
        $app->instance(LoggerInterface::class, $log ?? new RecordingLogger());
        // The HTTP kernel and exception handler an app binds in bootstrap/app.php (Livewire's
        // provider adds its middleware to the kernel).
        $app->instance('env', 'testing');
        // Real-time facades (Livewire uses them), compiled under storage/framework/cache.
        AliasLoader::getInstance([])->register();
        is_dir($app->storagePath('framework/cache')) || mkdir($app->storagePath('framework/cache'), 0777, true);
        $app->singleton(HttpKernel::class, Kernel::class);
        $app->singleton(ExceptionHandler::class, Handler::class);
        $providers = [EventServiceProvider::class, FilesystemServiceProvider::class, CacheServiceProvider::class, ViewServiceProvider::class];
        // In an app with Livewire installed, its provider comes first, as the app's would
        // (the kit registers its components with it).
        if (class_exists(LivewireServiceProvider::class)) {
            $providers[] = LivewireServiceProvider::class;
        }
        foreach ([...$providers, AktinaMlServiceProvider::class] as $provider) {
            $app->register($provider);
        }
        $app->boot();

        return $app;
    }
}
