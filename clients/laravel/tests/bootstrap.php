<?php

declare(strict_types=1);

// PHPUnit bootstrap: Composer's autoloader when the kit was installed with Composer, else
// Debian's (php-laravel-framework, php-guzzlehttp-guzzle) plus the kit's PSR-4 map.
$composer = __DIR__ . '/../vendor/autoload.php';
if (is_file($composer)) {
    require $composer;
} else {
    require_once 'Illuminate/autoload.php';
    require_once 'GuzzleHttp/autoload.php';
    spl_autoload_register(static function (string $class): void {
        foreach (['Aktina\\MlLaravel\\Tests\\' => __DIR__ . '/', 'Aktina\\MlLaravel\\' => __DIR__ . '/../src/'] as $prefix => $dir) {
            if (str_starts_with($class, $prefix)) {
                $file = $dir . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
                if (is_file($file)) {
                    require $file;
                }

                return;
            }
        }
    });
}

// Livewire cannot be installed here: an empty stand-in base class lets the kit's (thin)
// components be constructed and rendered; Livewire's own lifecycle is not run.
if (! class_exists(\Livewire\Component::class)) {
    require __DIR__ . '/Support/LivewireStandIn.php';
}
