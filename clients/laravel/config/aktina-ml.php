<?php

// Aktina ML service (publish with: php artisan vendor:publish --tag=aktina-ml-config).
return [
    // Base URL of the API, with its stage and without a trailing slash, e.g.
    // https://abc123.execute-api.eu-west-1.amazonaws.com/v1 (local: http://127.0.0.1:8000).
    'url' => env('AKTINA_ML_URL'),

    // The API key, sent as the x-api-key header on every request.
    'key' => env('AKTINA_ML_KEY'),

    // Seconds. Worst case of one call: (retries + 1) × timeout + backoff, kept under PHP's
    // 30 s max_execution_time and API Gateway's 29 s.
    'connect_timeout' => (float) env('AKTINA_ML_CONNECT_TIMEOUT', 3),
    'timeout' => (float) env('AKTINA_ML_TIMEOUT', 10),
    'health_timeout' => (float) env('AKTINA_ML_HEALTH_TIMEOUT', 5),

    // Retries after a connection error or a 5xx (never after a 4xx), with backoff.
    'retries' => (int) env('AKTINA_ML_RETRIES', 1),
    'retry_delay_ms' => (int) env('AKTINA_ML_RETRY_DELAY_MS', 200),

    // Cache store (null: the app's default) and key prefix. GET answers are kept for the
    // max-age the service sends, revalidated with their ETag, and on failure served as
    // stale (with their age) for up to stale_seconds.
    'cache_store' => env('AKTINA_ML_CACHE_STORE'),
    'cache_prefix' => env('AKTINA_ML_CACHE_PREFIX', 'aktina-ml:'),
    'stale_seconds' => (int) env('AKTINA_ML_STALE_SECONDS', 7 * 24 * 3600),

    // The page's forecast selectors (horizon_days 1–365) and their defaults.
    'horizons' => [30, 60, 90, 180, 365],
    'granularities' => ['day', 'week', 'month'],
    'default_horizon' => 90,
    'default_granularity' => 'day',

    // The forecast-accuracy card's lead choices (days ahead, 1–90) and its default.
    'accuracy_leads' => [7, 30, 90],
    'default_lead' => 7,

    // Real-time updates: every panel, in view or not, revalidates its answer every poll_seconds
    // while the tab is visible, and a hidden tab never polls (partials/poll.blade.php); a 304
    // has no body and nothing is re-rendered then; a newly promoted model shows without a
    // reload. 0: off.
    'poll_seconds' => (int) env('AKTINA_ML_POLL_SECONDS', 60),

    // Dark mode: 'class' follows `html.dark` (the app's appearance setting, Tailwind's class
    // strategy); 'media' follows the system's prefers-color-scheme.
    'dark_mode' => env('AKTINA_ML_DARK_MODE', 'class'),

    // ApexCharts (≥ 3.40, for the rangeArea band), loaded by the widgets only when the page has
    // no window.ApexCharts by the time it has loaded (the app's Vite bundle sets it: then this
    // URL is never fetched); null: never load it.
    'apexcharts_url' => env(
        'AKTINA_ML_APEXCHARTS_URL',
        'https://cdn.jsdelivr.net/npm/apexcharts@4.7.0/dist/apexcharts.min.js',
    ),
];
