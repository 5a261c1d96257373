<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Tests\Support;

use RuntimeException;

/**
 * GET /summary before the route lands in the local API: `php -S` with
 * tests/Fixtures/summary-front.php in front of the real local API, answering /summary from a
 * JSON fixture (the shape of CONTRACT section 3) and passing every other request through.
 */
final class SummaryFront
{
    public const FIXTURE = __DIR__ . '/../Fixtures/summary.json';

    /** @param resource $process */
    private function __construct(public readonly string $url, private $process)
    {
    }

    public static function start(string $upstream, string $fixture = self::FIXTURE): self
    {
        $probe = stream_socket_server('tcp://127.0.0.1:0');
        $address = (string) stream_socket_get_name($probe, false);
        fclose($probe);
        $env = ['AKTINA_KIT_UPSTREAM' => $upstream, 'AKTINA_KIT_SUMMARY_FIXTURE' => $fixture] + getenv();
        $router = dirname(__DIR__) . '/Fixtures/summary-front.php';
        $null = ['file', '/dev/null', 'a'];
        $process = proc_open([PHP_BINARY, '-S', $address, $router], [1 => $null, 2 => $null], $pipes, null, $env);
        if (! is_resource($process)) {
            throw new RuntimeException('cannot start the /summary fixture front');
        }
        $deadline = microtime(true) + 10;
        while (($socket = @stream_socket_client("tcp://{$address}", $errno, $error, 1)) === false) {
            if (microtime(true) > $deadline) {
                proc_terminate($process);

                throw new RuntimeException("the /summary fixture front did not start on {$address}");
            }
            usleep(50_000);
        }
        fclose($socket);

        return new self("http://{$address}", $process);
    }

    /**
     * Whether the API at $url has no GET /summary yet (API Gateway's answer for an unknown
     * route: 403 "Missing Authentication Token").
     */
    public static function missingAt(string $url, string $key): bool
    {
        $context = stream_context_create(['http' => ['header' => "x-api-key: {$key}\r\n", 'ignore_errors' => true, 'timeout' => 30]]);
        $body = @file_get_contents("{$url}/summary", false, $context);

        return is_string($body) && str_contains($body, 'Missing Authentication Token');
    }

    public function stop(): void
    {
        if (is_resource($this->process)) {
            proc_terminate($this->process);
            proc_close($this->process);
        }
    }
}
