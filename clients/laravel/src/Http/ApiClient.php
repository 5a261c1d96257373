<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Http;

use Closure;
use Illuminate\Http\Client\ConnectionException;
use Illuminate\Http\Client\Factory;
use Illuminate\Http\Client\PendingRequest;
use Illuminate\Http\Client\RequestException;
use Illuminate\Http\Client\Response;
use Psr\Log\LoggerInterface;
use Throwable;

/**
 * The one place that talks to the Aktina ML API: base URL, x-api-key, JSON, connect and
 * total timeouts, retries with backoff after connection errors and 5xx (never after a 4xx).
 * Every HTTP status comes back as an {@see ApiResponse}; no answer at all throws
 * {@see ServiceUnreachable}. Failures are logged in words that say what to fix.
 */
final class ApiClient
{
    public function __construct(
        private readonly Factory $http,
        private readonly ClientConfig $config,
        private readonly LoggerInterface $log,
    ) {
    }

    /**
     * GET $path; with $etag, revalidates (304 when the answer has not changed).
     *
     * @param array<string, scalar> $query
     */
    public function get(
        string $path,
        array $query = [],
        ?string $etag = null,
        ?float $timeout = null,
        bool $retry = true,
    ): ApiResponse {
        $headers = $etag === null ? [] : ['If-None-Match' => $etag];

        return $this->send('GET', $path, fn (PendingRequest $request): Response => $request
            ->withHeaders($headers)
            ->get($path, $query === [] ? null : $query), $timeout, $retry);
    }

    /** @param array<string, mixed> $body */
    public function post(string $path, array $body): ApiResponse
    {
        return $this->send('POST', $path, fn (PendingRequest $request): Response => $request
            ->asJson()
            ->post($path, $body));
    }

    /**
     * GET /health with the (shorter) health timeout and no retry: its 503 (a model not ready)
     * is an answer with the same per-model body, not a failure to try again.
     */
    public function health(): ApiResponse
    {
        return $this->get('/health', [], null, $this->config->healthTimeout, false);
    }

    /** @param Closure(PendingRequest): Response $call */
    private function send(
        string $method,
        string $path,
        Closure $call,
        ?float $timeout = null,
        bool $retry = true,
    ): ApiResponse {
        try {
            $response = $call($this->request($timeout ?? $this->config->timeout, $retry));
        } catch (ConnectionException $e) {
            $this->log->error("Aktina ML unreachable: {$method} {$path} at {$this->config->url} ({$e->getMessage()})");

            $message = "Aktina ML cannot be reached at {$this->config->url}: {$e->getMessage()}";

            throw new ServiceUnreachable($message, 0, $e);
        }
        $answer = new ApiResponse(
            $response->status(),
            $response->status() === 304 ? null : self::json($response),
            $response->header('ETag') ?: null,
            ApiResponse::maxAgeOf($response->header('Cache-Control') ?: null),
        );
        $this->logFailure($method, $path, $answer);

        return $answer;
    }

    /**
     * Laravel's retry as its docs describe it: the callback decides per failure, and with
     * `throw: false` the last answer comes back whatever its status. Laravel calls the callback
     * for every response that is not 2xx with `$response->toException()`, which is null for a
     * 304 (not a failure), so the callback takes null.
     */
    private function request(float $timeout, bool $retry = true): PendingRequest
    {
        $delay = $this->config->retryDelayMs;

        return $this->http
            ->baseUrl($this->config->url)
            ->withHeaders(['x-api-key' => $this->config->key])
            ->acceptJson()
            ->withOptions(['connect_timeout' => $this->config->connectTimeout, 'timeout' => $timeout])
            ->retry(
                $retry ? $this->config->retries + 1 : 1,
                static fn (int $attempt): int => $delay * 2 ** ($attempt - 1),
                static fn (?Throwable $e): bool => self::retryable($e),
                throw: false,
            );
    }

    /** Connection errors and 5xx are worth another try; a 4xx or a 304 never is. */
    private static function retryable(?Throwable $e): bool
    {
        return $e instanceof ConnectionException
            || ($e instanceof RequestException && $e->response->serverError());
    }

    /** @return array<string, mixed>|null */
    private static function json(Response $response): ?array
    {
        $body = json_decode($response->body(), true);

        return is_array($body) ? $body : null;
    }

    private function logFailure(string $method, string $path, ApiResponse $answer): void
    {
        $where = "{$method} {$path}";
        $url = $this->config->url;
        match (true) {
            $answer->status < 400 => null,
            $answer->status === 403 && $answer->message() === 'Missing Authentication Token' => $this->log->error(
                "Aktina ML: no such route {$where}: check AKTINA_ML_URL ({$url};"
                . ' a deployed URL ends with its stage, e.g. /v1)'
            ),
            $answer->status === 403 => $this->log->error(
                "Aktina ML: API key rejected: check AKTINA_ML_KEY ({$where} answered 403)"
            ),
            $answer->status === 503 => $this->log->warning(
                "Aktina ML: no model trained yet ({$where} answered 503: {$answer->message()})"
            ),
            default => $this->log->error("Aktina ML: {$where} answered {$answer->status}: {$answer->message()}"),
        };
    }
}
