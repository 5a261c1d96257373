<?php

declare(strict_types=1);

namespace Aktina\MlLaravel;

use RuntimeException;

/** The kit is not configured: the message names the .env variable to set. */
final class ConfigurationException extends RuntimeException
{
    public static function missing(string $env, string $what): self
    {
        return new self("Aktina ML: {$env} is not set ({$what}); add it to .env, see config/aktina-ml.php.");
    }
}
