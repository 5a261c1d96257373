<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Tests\Support;

use Psr\Log\AbstractLogger;

/** A PSR-3 log sink that keeps "level: message" lines for the assertions. */
final class RecordingLogger extends AbstractLogger
{
    /** @var list<string> */
    public array $lines = [];

    /**
     * Untyped as in psr/log 1.x (Debian's); compatible with 2.x/3.x implementations.
     *
     * @param mixed $level
     * @param string|\Stringable $message
     * @param array<mixed> $context
     */
    public function log($level, $message, array $context = []): void
    {
        $this->lines[] = "{$level}: {$message}";
    }
}
