<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Http;

use RuntimeException;

/** No answer at all: connection refused, DNS, TLS or timeout (after the retries). */
final class ServiceUnreachable extends RuntimeException
{
}
