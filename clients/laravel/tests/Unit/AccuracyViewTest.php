<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Tests\Unit;

use Aktina\MlLaravel\Answer;
use Aktina\MlLaravel\View\AccuracyView;
use Aktina\MlLaravel\View\SegmentForecastView;
use Aktina\MlLaravel\View\Selection;
use Illuminate\Support\Carbon;
use PHPUnit\Framework\TestCase;

/** The words of the segment-forecasts and accuracy view models, from answers built by hand. */
final class AccuracyViewTest extends TestCase
{
    /** @return array<string, mixed> an accuracy answer in the API's shape */
    private static function accuracy(array $overrides = []): array
    {
        return $overrides + [
            'model_version' => 'v2',
            'trained_at' => '2026-12-01T02:00:00+00:00',
            'lead_days' => 7,
            'leads' => [7, 30, 90],
            'summary' => ['7' => ['forecasts' => 3, 'mase' => 0.8, 'coverage' => 0.75], '30' => null, '90' => null],
            'drift' => ['detected' => false, 'recent_mase' => 0.8, 'backtest_limit' => 1.2, 'forecasts' => 3, 'reason' => '7-day MASE 0.80 within the backtest\'s range (≤ 1.20)'],
            'archived_forecasts' => 3,
            'comparison' => ['dates' => ['2026-11-29', '2026-11-30']],
            'chart' => ['series' => [['name' => 'Actual sales'], ['name' => 'Forecast made 7 days earlier'], ['name' => '80% interval']]],
        ];
    }

    public function test_each_lead_in_words(): void
    {
        // (the app's clock: Africa/Kampala, UTC+3, on 7 Dec)
        $zone = date_default_timezone_get();
        date_default_timezone_set('Africa/Kampala');
        Carbon::setTestNow(Carbon::parse('2026-12-07 16:05:00'));
        $view = AccuracyView::fromAnswer(Answer::fresh(self::accuracy()), 7);
        date_default_timezone_set($zone);
        Carbon::setTestNow();

        self::assertSame(['ready', true, 2], [$view->state, $view->hasChart(), $view->points]);
        self::assertSame('MASE 0.80 · 80% band held 75% of days', $view->summary[0]['value']);
        self::assertSame('Over the first 7 days of 3 earlier forecasts: errors 20% smaller than repeating the last week\'s'
            . ' sales had on the training history; the 80% band held the real sales on 75% of days (it should on 80%).', $view->summary[0]['meaning']);
        self::assertSame(['not scored yet', 'not scored yet'], array_column(array_slice($view->summary, 1), 'value'));
        self::assertStringEndsWith('from 2026-11-29 to 2026-11-30 · model v2 · trained 1 Dec 05:00', $view->meta);
    }

    public function test_the_drift_verdict_in_words(): void
    {
        $detected = AccuracyView::driftVerdict(['detected' => true, 'recent_mase' => 2.1, 'reason' => 'the last 4 forecasts\' 7-day MASE 2.10 is above the backtest\'s range']);
        $none = AccuracyView::driftVerdict(self::accuracy()['drift']);
        $notJudged = AccuracyView::driftVerdict(['detected' => false, 'reason' => 'not enough scored forecasts yet']);
        $missing = AccuracyView::driftVerdict([]);

        self::assertSame(AccuracyView::DRIFT, $detected[0]);
        self::assertStringStartsWith('Drift: the recent forecasts do worse than their backtest promised (the last 4', $detected[1]);
        self::assertSame(AccuracyView::NO_DRIFT, $none[0]);
        self::assertStringStartsWith('No drift: ', $none[1]);
        self::assertSame([AccuracyView::NOT_JUDGED, 'Drift not judged yet: not enough scored forecasts yet.'], $notJudged);
        self::assertSame([AccuracyView::NOT_JUDGED, 'Drift not judged yet: no earlier forecasts yet.'], $missing);
    }

    public function test_nothing_to_compare_yet(): void
    {
        $first = AccuracyView::fromAnswer(Answer::fresh(self::accuracy(['archived_forecasts' => 0, 'comparison' => ['dates' => []], 'summary' => []])), 30);
        $tooRecent = AccuracyView::fromAnswer(Answer::fresh(self::accuracy(['archived_forecasts' => 1, 'comparison' => ['dates' => []]])), 90);

        self::assertSame(['ready', false], [$first->state, $first->hasChart()]);
        self::assertStringStartsWith('No earlier forecast yet: this is the first forecast', $first->empty);
        self::assertSame(['not scored yet', 'not scored yet', 'not scored yet'], array_column($first->summary, 'value'));
        self::assertStringStartsWith('0 earlier forecasts kept · model v2', $first->meta);
        self::assertStringStartsWith('No forecast made 90 days before a day with known sales yet: the 1 earlier forecast started', $tooRecent->empty);
    }

    public function test_failures_say_why(): void
    {
        $noModel = AccuracyView::fromAnswer(Answer::forStatus(503, 'no forecast model promoted yet'), 7);
        $down = AccuracyView::fromAnswer(Answer::failure(Answer::UNREACHABLE, 'connection refused'), 7);
        $segmentsNoModel = SegmentForecastView::fromAnswer(Answer::forStatus(503, 'no per-segment forecasts in model v1'), Selection::of(90, 'day'));
        $segmentsDown = SegmentForecastView::fromAnswer(Answer::failure(Answer::UNREACHABLE, 'connection refused'), Selection::of(90, 'day'));

        self::assertSame(['no-model', false], [$noModel->state, $noModel->hasChart()]);
        self::assertStringStartsWith('No forecast model yet', $noModel->notice);
        self::assertSame('unreachable', $down->state);
        self::assertSame(['no-model', false], [$segmentsNoModel->state, $segmentsNoModel->hasChart()]);
        self::assertSame('No per-segment forecasts yet: they are made when the forecast is trained after the segmentation,'
            . ' at the next training run. (The service said: no per-segment forecasts in model v1)', $segmentsNoModel->notice);
        self::assertSame("The forecast service can't be reached; there is no earlier answer to show.", $segmentsDown->notice);
        self::assertSame('90:day', $segmentsDown->selection->key());
    }

    public function test_segment_forecasts_without_segments_and_the_reconciliation_in_words(): void
    {
        $empty = SegmentForecastView::fromAnswer(Answer::fresh(['dates' => ['2026-12-01'], 'segments' => [], 'chart' => ['series' => []]]), Selection::of(90, 'day'));
        $words = SegmentForecastView::reconciliationWords(['method' => 'top-down by forecast shares', 'factor_min' => 0.9, 'factor_median' => 1.0, 'factor_max' => 1.1, 'skipped' => ['3' => 'too few days']]);

        self::assertSame(['no-data', false], [$empty->state, $empty->hasChart()]);
        self::assertSame("The segments add up to the total forecast: each segment's own forecast is scaled, day by day, by the total's"
            . ' share of their sum (top-down by forecast shares), between ×0.90 and ×1.10 (median ×1.00).'
            . ' Not forecast (too little history): S3.', $words);
        self::assertSame('', SegmentForecastView::reconciliationWords([]));
    }
}
