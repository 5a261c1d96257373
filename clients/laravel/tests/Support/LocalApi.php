<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Tests\Support;

use RuntimeException;

/**
 * The real local API: `aktina-ml serve` on a free port of 127.0.0.1, over a model store
 * trained from the demo data (once per run), one with the forecast alone (no demand model, no
 * segments) or an empty one (503 "no model").
 */
final class LocalApi
{
    public const KEY = 'kit-test-key';

    private static ?string $store = null;

    private static ?self $shared = null;

    /** @var list<self> */
    private static array $running = [];

    private static ?string $forecastOnly = null;

    /** @param resource $process */
    private function __construct(public readonly string $url, private $process)
    {
    }

    /** The run's server over the trained store (started on first use). */
    public static function shared(): self
    {
        return self::$shared ??= self::start(self::trainedStore());
    }

    /**
     * A server of its own (a test may stop it).
     *
     * @param array<string, string> $env extra AKTINA_* settings, e.g. AKTINA_MODEL_REFRESH_SECONDS
     */
    public static function start(string $store, string $key = self::KEY, array $env = []): self
    {
        $command = [self::bin(), 'serve', '--port', '0', '--api-key', $key, '--model-store', $store];
        $descriptors = [1 => ['pipe', 'w'], 2 => ['file', self::scratch() . '/serve.log', 'a']];
        $process = proc_open($command, $descriptors, $pipes, null, $env === [] ? null : getenv() + $env);
        if (! is_resource($process)) {
            throw new RuntimeException('cannot start ' . implode(' ', $command));
        }
        $deadline = microtime(true) + 60;
        while (microtime(true) < $deadline && ($line = fgets($pipes[1])) !== false) {
            if (preg_match('#API base URL\s+(http://\S+)#', $line, $m) === 1) {
                // Keep the pipe drained so the server never blocks on a full stdout.
                stream_set_blocking($pipes[1], false);
                $server = new self($m[1], $process);
                self::$running[] = $server;

                return $server;
            }
        }
        proc_terminate($process);

        throw new RuntimeException('aktina-ml serve did not start; see ' . self::scratch() . '/serve.log');
    }

    /** An empty model store (no model trained yet). */
    public static function emptyStore(): string
    {
        $dir = self::scratch() . '/empty-store';
        is_dir($dir) || mkdir($dir, 0777, true);

        return $dir;
    }

    /**
     * Every model trained from a small demo dataset ending yesterday, once per run (≈ 25 s):
     * `aktina-ml demo` trains segmentation, a forecast as of 60 days ago, today's forecast,
     * then demand, so the store has per-segment forecasts, an earlier forecast scored for
     * accuracy and units per product.
     */
    public static function trainedStore(): string
    {
        if (self::$store !== null) {
            return self::$store;
        }
        $dir = self::scratch();
        $command = [self::bin(), 'demo', '--no-serve', '--source', 'demo', '--data-dir', "{$dir}/demo", '--model-store', "{$dir}/models",
            '--retailers', '160', '--orders', '15000', '--days', '400', '--seed', '7', '--earlier-forecast-days', '60'];
        exec(implode(' ', array_map('escapeshellarg', $command)) . ' 2>&1', $output, $status);
        if ($status !== 0) {
            throw new RuntimeException("training the demo store failed:\n" . implode("\n", $output));
        }

        return self::$store = "{$dir}/models";
    }

    /**
     * The forecast alone, trained from the same demo data (`aktina-ml train --models forecast`),
     * once per run (≈ 6 s): no demand model (GET /summary's demand is unavailable, no units on
     * its chart) and no segmentation before it (no segment trends), so no rule has a fact to
     * recommend from.
     */
    public static function forecastOnlyStore(): string
    {
        if (self::$forecastOnly !== null) {
            return self::$forecastOnly;
        }
        $data = dirname(self::trainedStore()) . '/demo';
        $dir = self::scratch() . '/forecast-only';
        $command = 'AKTINA_MODEL_STORE=' . escapeshellarg($dir) . ' '
            . implode(' ', array_map('escapeshellarg', [self::bin(), 'train', '--models', 'forecast', '--data-dir', $data]));
        exec($command . ' 2>&1', $output, $status);
        if ($status !== 0) {
            throw new RuntimeException("training the forecast alone failed:\n" . implode("\n", $output));
        }

        return self::$forecastOnly = $dir;
    }

    /** A copy of the trained store, for a test that changes what is promoted. */
    public static function copyOfTrainedStore(): string
    {
        $copy = self::scratch() . '/models-' . uniqid();
        exec('cp -R ' . escapeshellarg(self::trainedStore()) . ' ' . escapeshellarg($copy), $output, $status);
        if ($status !== 0) {
            throw new RuntimeException("cannot copy the trained store to {$copy}");
        }

        return $copy;
    }

    /**
     * Promotes the other saved version of $model in $store (`aktina-ml models rollback`), as a
     * training run promoting a new model would; returns that version.
     */
    public static function promoteAnother(string $store, string $model): string
    {
        $run = static function (array $arguments) use ($store): string {
            $command = 'AKTINA_MODEL_STORE=' . escapeshellarg($store) . ' '
                . implode(' ', array_map('escapeshellarg', [self::bin(), 'models', ...$arguments]));
            exec($command . ' 2>&1', $output, $status);
            if ($status !== 0) {
                throw new RuntimeException("{$command} failed:\n" . implode("\n", $output));
            }

            return implode("\n", $output);
        };
        $listing = json_decode($run(['list', '--model', $model]), true)[0];
        foreach ($listing['versions'] as $row) {
            if (($row['version'] ?? null) !== $listing['promoted'] && ! isset($row['error'])) {
                $run(['rollback', '--model', $model, $row['version']]);

                return $row['version'];
            }
        }

        throw new RuntimeException("no other saved {$model} version in {$store}");
    }

    public function stop(): void
    {
        if (is_resource($this->process)) {
            proc_terminate($this->process);
            proc_close($this->process);
        }
    }

    public static function stopAll(): void
    {
        foreach (self::$running as $server) {
            $server->stop();
        }
        self::$running = [];
    }

    private static function bin(): string
    {
        $bin = getenv('AKTINA_ML_BIN') ?: dirname(__DIR__, 4) . '/.venv/bin/aktina-ml';
        if (! is_executable($bin)) {
            throw new RuntimeException("{$bin} not found: run `make setup` first (or set AKTINA_ML_BIN)");
        }

        return $bin;
    }

    private static function scratch(): string
    {
        static $dir = null;
        if ($dir === null) {
            $dir = sys_get_temp_dir() . '/aktina-ml-kit-' . getmypid();
            is_dir($dir) || mkdir($dir, 0777, true);
            register_shutdown_function(static function () use ($dir): void {
                self::stopAll();
                exec('rm -rf ' . escapeshellarg($dir));
            });
        }

        return $dir;
    }
}
