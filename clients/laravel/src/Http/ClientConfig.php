<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Http;

use Aktina\MlLaravel\ConfigurationException;

/** What the API client needs from config/aktina-ml.php, checked once. */
final class ClientConfig
{
    public function __construct(
        public readonly string $url,
        public readonly string $key,
        public readonly float $connectTimeout = 3.0,
        public readonly float $timeout = 10.0,
        public readonly float $healthTimeout = 5.0,
        public readonly int $retries = 1,
        public readonly int $retryDelayMs = 200,
    ) {
    }

    /** @param array<string, mixed> $config the aktina-ml config array */
    public static function fromArray(array $config): self
    {
        $url = trim((string) ($config['url'] ?? ''));
        $key = trim((string) ($config['key'] ?? ''));
        if ($url === '') {
            throw ConfigurationException::missing(
                'AKTINA_ML_URL',
                'the API base URL, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com/v1',
            );
        }
        if ($key === '') {
            throw ConfigurationException::missing('AKTINA_ML_KEY', 'the API key, sent as x-api-key');
        }

        return new self(
            rtrim($url, '/'),
            $key,
            (float) ($config['connect_timeout'] ?? 3),
            (float) ($config['timeout'] ?? 10),
            (float) ($config['health_timeout'] ?? 5),
            max(0, (int) ($config['retries'] ?? 1)),
            max(0, (int) ($config['retry_delay_ms'] ?? 200)),
        );
    }
}
