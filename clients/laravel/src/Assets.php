<?php

declare(strict_types=1);

namespace Aktina\MlLaravel;

use Illuminate\Support\HtmlString;

/** The widgets' script and style, inlined once per page (no route, nothing to publish). */
final class Assets
{
    public static function script(): HtmlString
    {
        return new HtmlString((string) file_get_contents(__DIR__ . '/../resources/js/aktina-ml.js'));
    }

    public static function style(): HtmlString
    {
        return new HtmlString((string) file_get_contents(__DIR__ . '/../resources/css/aktina-ml.css'));
    }
}
