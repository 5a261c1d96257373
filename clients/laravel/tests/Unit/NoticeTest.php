<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Tests\Unit;

use Aktina\MlLaravel\Answer;
use Aktina\MlLaravel\Http\ApiResponse;
use Aktina\MlLaravel\View\Notice;
use Illuminate\Support\Carbon;
use PHPUnit\Framework\TestCase;

final class NoticeTest extends TestCase
{
    public function test_ages_read_as_words(): void
    {
        self::assertSame(['45 s', '12 min', '3 h', '1 day 2 h', '6 days'], array_map(
            [Notice::class, 'age'],
            [45, 12 * 60 + 30, 3 * 3600 + 5 * 60, 86400 + 2 * 3600, 6 * 86400],
        ));
    }

    public function test_every_state_has_its_words(): void
    {
        Carbon::setTestNow(Carbon::parse('2026-12-06 12:00:00'));
        $curl = 'cURL error 7: Failed to connect to ml.internal port 443 after 1 ms: Couldn\'t connect to server';
        $unreachable = Answer::failure(Answer::UNREACHABLE, $curl)->failingSince(Carbon::parse('2026-12-06 10:42:00')->getTimestamp());
        $cases = [
            [Answer::fresh(['k' => 1]), 'ready', ''],
            [Answer::stale(['k' => 1], 3 * 3600 + 240, $unreachable), 'stale', "The forecast service can't be reached (since 10:42); showing the answer from 3 h ago."],
            [Answer::stale(['k' => 1], 600, Answer::forStatus(500, 'Internal server error')), 'stale', 'The forecast service answered with an error (HTTP 500); showing the answer from 10 min ago.'],
            [Answer::forStatus(503, 'No model yet: run training'), 'no-model', 'No forecast model yet: it appears after the next training run. (The service said: No model yet: run training)'],
            [$unreachable, 'unreachable', "The forecast service can't be reached (since 10:42); there is no earlier answer to show."],
            [Answer::failure(Answer::UNREACHABLE, $curl)->failingSince(Carbon::parse('2026-12-05 23:10:00')->getTimestamp()), 'unreachable', "The forecast service can't be reached (since 5 Dec 23:10); there is no earlier answer to show."],
            [Answer::forStatus(403, 'Forbidden'), 'error', 'The service rejected the API key: check AKTINA_ML_KEY.'],
            [Answer::forStatus(403, 'Missing Authentication Token'), 'error', 'The service has no such route: check AKTINA_ML_URL (a deployed URL ends with its stage, e.g. /v1).'],
            [Answer::forStatus(422, 'horizon_days: too large'), 'error', 'The forecast service did not accept the question: horizon_days: too large'],
        ];
        foreach ($cases as [$answer, $state, $words]) {
            self::assertSame($state, Notice::state($answer));
            self::assertSame($words, Notice::words($answer, 'forecast'));
            self::assertStringNotContainsString('cURL', $words);
        }
        Carbon::setTestNow();
    }

    public function test_every_time_in_one_panel_reads_on_the_apps_clock(): void
    {
        // Given an app in Africa/Kampala (UTC+3) at 16:05 on 7 Dec, and an answer confirmed now
        $zone = date_default_timezone_get();
        date_default_timezone_set('Africa/Kampala');
        Carbon::setTestNow(Carbon::parse('2026-12-07 16:05:00'));
        $answer = Answer::fresh(['k' => 1]);

        // When the panel words its update time and a model's trained_at (UTC ISO 8601 from the service)
        $updated = Notice::updated($answer);
        $today = Notice::at('2026-12-07T13:00:04+00:00');
        $earlier = Notice::at('2026-12-06T12:30:00+00:00');
        date_default_timezone_set($zone);
        Carbon::setTestNow();

        // Then both read on the app's clock, in words: no UTC, no ISO
        self::assertSame('Updated 16:05', $updated);
        self::assertSame('16:00', $today);
        self::assertSame('6 Dec 15:30', $earlier);
    }

    public function test_max_age_from_cache_control(): void
    {
        self::assertSame(55709, ApiResponse::maxAgeOf('private, max-age=55709'));
        self::assertSame(0, ApiResponse::maxAgeOf('no-store'));
        self::assertSame(0, ApiResponse::maxAgeOf('no-store, max-age=60'));
        self::assertSame(0, ApiResponse::maxAgeOf(null));
        self::assertSame(0, ApiResponse::maxAgeOf('s-maxage=30'));
    }
}
