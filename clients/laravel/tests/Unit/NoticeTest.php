<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Tests\Unit;

use Aktina\MlLaravel\Answer;
use Aktina\MlLaravel\Http\ApiResponse;
use Aktina\MlLaravel\View\Notice;
use PHPUnit\Framework\TestCase;

final class NoticeTest extends TestCase
{
    public function test_ages_read_as_words(): void
    {
        self::assertSame(['45 s', '12 min', '3 h 5 min', '1 day 2 h', '6 days 0 h'], array_map(
            [Notice::class, 'age'],
            [45, 12 * 60 + 30, 3 * 3600 + 5 * 60, 86400 + 2 * 3600, 6 * 86400],
        ));
    }

    public function test_every_state_has_its_words(): void
    {
        $unreachable = Answer::failure(Answer::UNREACHABLE, 'connection refused');
        $cases = [
            [Answer::fresh(['k' => 1]), 'ready', ''],
            [Answer::stale(['k' => 1], 7200, $unreachable), 'stale', 'Showing the last good answer, 2 h 0 min old: the prediction service did not answer now (connection refused).'],
            [Answer::forStatus(503, 'No model yet: run training'), 'no-model', 'No forecast model yet: it appears after the next training run. (The service said: No model yet: run training)'],
            [$unreachable, 'unreachable', 'The prediction service is unavailable right now: connection refused'],
            [Answer::forStatus(403, 'Forbidden'), 'error', 'The service rejected the API key: check AKTINA_ML_KEY.'],
            [Answer::forStatus(403, 'Missing Authentication Token'), 'error', 'The service has no such route: check AKTINA_ML_URL (a deployed URL ends with its stage, e.g. /v1).'],
            [Answer::forStatus(422, 'horizon_days: too large'), 'error', 'The prediction service answered 422: horizon_days: too large'],
        ];
        foreach ($cases as [$answer, $state, $words]) {
            self::assertSame($state, Notice::state($answer));
            self::assertSame($words, Notice::words($answer, 'forecast'));
        }
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
