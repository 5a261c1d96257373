<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\View;

use Aktina\MlLaravel\Answer;

/** The words a widget shows for an answer's state, and the state it puts on its panel. */
final class Notice
{
    /** Panel state: ready | stale | no-model | unreachable | error (no-data is the view's call). */
    public static function state(Answer $answer): string
    {
        return match ($answer->state) {
            Answer::FRESH => 'ready',
            Answer::STALE => 'stale',
            Answer::NO_MODEL => 'no-model',
            Answer::UNREACHABLE => 'unreachable',
            default => 'error',
        };
    }

    /** A sentence for everything but a fresh answer ('' then). $what: "segmentation", "forecast". */
    public static function words(Answer $answer, string $what): string
    {
        return match ($answer->state) {
            Answer::FRESH => '',
            Answer::STALE => 'Showing the last good answer, ' . self::age((int) $answer->ageSeconds)
                . ' old: the prediction service did not answer now (' . self::problem($answer) . ').',
            Answer::NO_MODEL => "No {$what} model yet: it appears after the next training run."
                . " (The service said: {$answer->problem})",
            Answer::UNREACHABLE => "The prediction service is unavailable right now: {$answer->problem}",
            Answer::REJECTED => $answer->problem === 'Missing Authentication Token'
                ? 'The service has no such route: check AKTINA_ML_URL (a deployed URL ends with its stage, e.g. /v1).'
                : 'The service rejected the API key: check AKTINA_ML_KEY.',
            default => "The prediction service answered {$answer->status}: {$answer->problem}",
        };
    }

    /** "45 s", "12 min", "3 h 5 min", "2 days 4 h". */
    public static function age(int $seconds): string
    {
        return match (true) {
            $seconds < 60 => "{$seconds} s",
            $seconds < 3600 => intdiv($seconds, 60) . ' min',
            $seconds < 86400 => intdiv($seconds, 3600) . ' h ' . intdiv($seconds % 3600, 60) . ' min',
            default => intdiv($seconds, 86400) . ($seconds >= 172800 ? ' days ' : ' day ')
                . intdiv($seconds % 86400, 3600) . ' h',
        };
    }

    private static function problem(Answer $answer): string
    {
        return match (true) {
            $answer->status === 403 => 'API key rejected: check AKTINA_ML_KEY',
            $answer->status !== null => "HTTP {$answer->status}: {$answer->problem}",
            default => (string) $answer->problem,
        };
    }
}
