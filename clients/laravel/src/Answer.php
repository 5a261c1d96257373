<?php

declare(strict_types=1);

namespace Aktina\MlLaravel;

/**
 * What the page gets for one question to the service: the data (fresh, or the last good
 * answer marked stale with its age), or why there is none. Never throws at the page.
 */
final class Answer
{
    public const FRESH = 'fresh';
    public const STALE = 'stale';
    public const NO_MODEL = 'no-model';        // 503: nothing trained/promoted yet
    public const UNREACHABLE = 'unreachable';  // no answer: connection, timeout
    public const REJECTED = 'rejected';        // 403: wrong key or unknown route
    public const NOT_FOUND = 'not-found';      // 404: e.g. a retailer newer than the model
    public const INVALID = 'invalid';          // other 4xx (422, 413): the message names the field
    public const FAILED = 'failed';            // other 5xx

    /**
     * @param array<string, mixed>|null $data
     * @param string|null $problem why the service gave no fresh answer (for a stale answer too);
     *     for the log and the console, never for the page (it may name URLs and transport errors)
     * @param int|null $failingSince when the service first failed this question in a row (Unix time)
     */
    private function __construct(
        public readonly string $state,
        public readonly ?array $data,
        public readonly ?string $problem = null,
        public readonly ?int $status = null,
        public readonly ?int $ageSeconds = null,
        public readonly ?int $failingSince = null,
        public readonly ?string $etag = null,
    ) {
    }

    /** The same failure (or stale answer), failing since $timestamp. */
    public function failingSince(int $timestamp): self
    {
        return new self(
            $this->state,
            $this->data,
            $this->problem,
            $this->status,
            $this->ageSeconds,
            $timestamp,
            $this->etag,
        );
    }

    /**
     * @param array<string, mixed> $data
     * @param string|null $etag the answer's version (its ETag): a poll re-renders only when it changes
     */
    public static function fresh(array $data, int $ageSeconds = 0, ?string $etag = null): self
    {
        return new self(self::FRESH, $data, null, null, $ageSeconds, null, $etag);
    }

    /** @param array<string, mixed> $data the last good answer, $ageSeconds since it was confirmed */
    public static function stale(array $data, int $ageSeconds, self $failure): self
    {
        return new self(self::STALE, $data, $failure->problem, $failure->status, $ageSeconds, $failure->failingSince);
    }

    public static function failure(string $state, string $problem, ?int $status = null): self
    {
        return new self($state, null, $problem, $status);
    }

    /** Failure state for an HTTP status the service answered. */
    public static function forStatus(int $status, string $message): self
    {
        $state = match (true) {
            $status === 503 => self::NO_MODEL,
            $status === 403 => self::REJECTED,
            $status === 404 => self::NOT_FOUND,
            $status >= 400 && $status < 500 => self::INVALID,
            default => self::FAILED,
        };

        return self::failure($state, $message, $status);
    }

    /** True when there is data to show (fresh or stale). */
    public function ok(): bool
    {
        return $this->data !== null;
    }

    public function isStale(): bool
    {
        return $this->state === self::STALE;
    }
}
