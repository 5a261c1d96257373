<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\View;

use Aktina\MlLaravel\Answer;
use Illuminate\Support\Carbon;

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

    /**
     * A sentence for people for everything but a fresh answer ('' then), e.g. "The forecast
     * service can't be reached (since 10:42); showing the answer from 3 h ago." Transport
     * errors and URLs stay in the log. $what: "segmentation", "forecast".
     */
    public static function words(Answer $answer, string $what): string
    {
        return match ($answer->state) {
            Answer::FRESH => '',
            Answer::STALE => self::trouble($answer) . '; showing the answer from '
                . self::age((int) $answer->ageSeconds) . ' ago.',
            Answer::NO_MODEL => "No {$what} model yet: it appears after the next training run."
                . " (The service said: {$answer->problem})",
            Answer::UNREACHABLE => self::trouble($answer) . '; there is no earlier answer to show.',
            Answer::REJECTED => $answer->problem === 'Missing Authentication Token'
                ? 'The service has no such route: check AKTINA_ML_URL (a deployed URL ends with its stage, e.g. /v1).'
                : 'The service rejected the API key: check AKTINA_ML_KEY.',
            Answer::INVALID => "The forecast service did not accept the question: {$answer->problem}",
            default => self::trouble($answer) . '.',
        };
    }

    /** "12 s", "12 min", "3 h", "1 day 4 h", "6 days": coarse enough to read at a glance. */
    public static function age(int $seconds): string
    {
        $hours = intdiv($seconds % 86400, 3600);

        return match (true) {
            $seconds < 60 => "{$seconds} s",
            $seconds < 3600 => intdiv($seconds, 60) . ' min',
            $seconds < 86400 => intdiv($seconds, 3600) . ' h',
            default => intdiv($seconds, 86400) . ($seconds >= 172800 ? ' days' : ' day')
                . ($hours > 0 ? " {$hours} h" : ''),
        };
    }

    /** "Updated 10:42": when the shown answer was last confirmed by the service ('' without data). */
    public static function updated(Answer $answer): string
    {
        if (! $answer->ok()) {
            return '';
        }

        return 'Updated ' . self::clock(Carbon::now()->getTimestamp() - (int) $answer->ageSeconds);
    }

    /** The service's ISO 8601 time (e.g. a model's trained_at, in UTC) on the page's one clock. */
    public static function at(string $iso): string
    {
        return self::clock(Carbon::parse($iso)->getTimestamp());
    }

    /** "10:42" today, "6 Dec 10:42" before: every time on the page, in the app's time zone. */
    public static function clock(int $timestamp): string
    {
        $at = Carbon::createFromTimestamp($timestamp, date_default_timezone_get());

        return $at->format($at->isSameDay(Carbon::now($at->getTimezone())) ? 'H:i' : 'j M H:i');
    }

    /** What is wrong with the service, and since when: "The forecast service can't be reached (since 10:42)". */
    private static function trouble(Answer $answer): string
    {
        $since = $answer->failingSince === null ? '' : ' (since ' . self::clock($answer->failingSince) . ')';
        $what = match (true) {
            $answer->status === null => "can't be reached",
            $answer->status === 503 => 'has no model ready',
            $answer->status === 403 => 'rejected the API key (check AKTINA_ML_KEY)',
            $answer->status >= 500 => "answered with an error (HTTP {$answer->status})",
            default => "answered HTTP {$answer->status}",
        };

        return "The forecast service {$what}{$since}";
    }
}
