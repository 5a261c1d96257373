<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\View;

/** JSON for HTML attributes (Blade's {{ }} escapes it). */
final class Json
{
    public static function encode(mixed $value): string
    {
        $flags = JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_PRESERVE_ZERO_FRACTION | JSON_THROW_ON_ERROR;

        return json_encode($value, $flags);
    }
}
