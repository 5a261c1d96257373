<?php

declare(strict_types=1);

// Router for `php -S` used by the browser test (tests/integration/test_laravel_widgets.py):
// renders the admin page's include with answers from the real local API (AKTINA_ML_URL,
// AKTINA_ML_KEY). Livewire is not installable here, so /livewire-stand-in/{component}
// re-renders a component with new property values, as Livewire's round trip would.

use Aktina\MlLaravel\Tests\Support\Components;
use Aktina\MlLaravel\Tests\Support\KitApp;

require __DIR__ . '/../bootstrap.php';

$path = (string) parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
$assets = [
    '/apexcharts.min.js' => getenv('AKTINA_ML_APEXCHARTS_FILE') ?: dirname(__DIR__, 4) . '/shared/aktina_ml/local/static/apexcharts.min.js',
    '/livewire-stand-in.js' => __DIR__ . '/livewire-stand-in.js',
];
if (isset($assets[$path])) {
    header('Content-Type: application/javascript');
    readfile($assets[$path]);

    return true;
}

$app = KitApp::make([
    'url' => (string) getenv('AKTINA_ML_URL'),
    'key' => (string) getenv('AKTINA_ML_KEY'),
    'apexcharts_url' => '/apexcharts.min.js',
    'dark_mode' => ($_GET['dark_mode'] ?? 'class') === 'media' ? 'media' : 'class',
]);
Components::registerDirective($app['blade.compiler']);
$app['view']->addLocation(__DIR__ . '/views');

if (preg_match('#^/livewire-stand-in/([a-z.-]+)$#', $path, $m) === 1) {
    echo Components::render($m[1], $_GET);
} elseif ($path === '/') {
    // ?theme=dark: html.dark, as the app's appearance setting; ?bundle=1: the page loads
    // ApexCharts itself, as the app's Vite bundle does
    echo $app['view']->make('admin', [
        'dark' => ($_GET['theme'] ?? '') === 'dark',
        'media' => ($_GET['dark_mode'] ?? '') === 'media',
        'bundle' => isset($_GET['bundle']),
    ])->render();
} else {
    http_response_code(404);
}
