<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Http;

/** One answer of the service: status, JSON body, and its caching headers. */
final class ApiResponse
{
    /** @param array<string, mixed>|null $body */
    public function __construct(
        public readonly int $status,
        public readonly ?array $body,
        public readonly ?string $etag = null,
        public readonly int $maxAge = 0,
    ) {
    }

    public function successful(): bool
    {
        return $this->status >= 200 && $this->status < 300 && $this->body !== null;
    }

    public function notModified(): bool
    {
        return $this->status === 304;
    }

    /** The service's own words (`message`), or a generic one. */
    public function message(): string
    {
        $message = $this->body['message'] ?? null;

        return is_string($message) && $message !== '' ? $message : "HTTP {$this->status}";
    }

    /** Seconds from a Cache-Control header's max-age (0 when absent or no-store). */
    public static function maxAgeOf(?string $cacheControl): int
    {
        if ($cacheControl === null || preg_match('/(?:^|[,\s])max-age=(\d+)/', $cacheControl, $m) !== 1) {
            return 0;
        }

        return str_contains($cacheControl, 'no-store') ? 0 : (int) $m[1];
    }
}
