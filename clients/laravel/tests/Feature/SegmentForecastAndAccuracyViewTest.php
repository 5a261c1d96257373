<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Tests\Feature;

use Aktina\MlLaravel\Insights;
use Aktina\MlLaravel\Tests\Support\KitApp;
use Aktina\MlLaravel\View\AccuracyView;
use Aktina\MlLaravel\View\SegmentForecastView;
use Aktina\MlLaravel\View\Selection;
use PHPUnit\Framework\TestCase;

/** The segment-forecasts and forecast-accuracy view models, from the real local API's answers. */
final class SegmentForecastAndAccuracyViewTest extends TestCase
{
    private Insights $insights;

    protected function setUp(): void
    {
        $this->insights = KitApp::make()->make(Insights::class);
    }

    public function test_segment_forecast_view_follows_the_selection_in_the_segments_colours(): void
    {
        $distribution = $this->insights->segments()->data['charts']['distribution'];
        $colours = array_combine($distribution['segment_ids'], $distribution['colors']);
        foreach ([[30, 'day', 'days'], [180, 'month', 'months'], [60, 'week', 'weeks']] as [$horizon, $granularity, $unit]) {
            $view = SegmentForecastView::make($this->insights, Selection::of($horizon, $granularity));
            $data = $this->insights->segmentForecasts($horizon, $granularity)->data;

            self::assertSame('ready', $view->state);
            self::assertSame("{$horizon}:{$granularity}", $view->selection->key());
            // The chart gets every line's values per period and each period's covered days (the
            // script draws a partial week/month at its pace)
            $chart = json_decode($view->chartJson(), true);
            self::assertSame([$granularity, $data['dates'], $data['period_days']], [$chart['granularity'], $chart['dates'], $chart['period_days']]);
            self::assertSame(array_column($data['segments'], 'values'), array_column($chart['segments'], 'values'));
            self::assertSame($data['total']['values'], $chart['total']['values']);
            self::assertSame(count($data['dates']), $view->points);
            self::assertSame("{$view->points} {$unit} from {$data['dates'][0]} to " . end($data['dates']), $view->period);
            self::assertStringContainsString("{$horizon} days by {$granularity} · model ", $view->meta);
            self::assertSame(array_map(static fn (array $s): string => $colours[$s['id']], $view->segments), array_column($view->segments, 'color'));
            self::assertSame(array_slice($data['chart']['colors'], 0, -1), array_column($view->segments, 'color'));
            self::assertStringContainsString('top-down by forecast shares', $view->reconciliation);
        }
    }

    public function test_accuracy_view_has_a_chart_where_earlier_forecasts_reach_and_words_where_not(): void
    {
        $week = AccuracyView::make($this->insights, 7);
        $quarter = AccuracyView::make($this->insights, 90);
        $notOffered = AccuracyView::make($this->insights, 45);

        self::assertSame(['ready', true, 54], [$week->state, $week->hasChart(), $week->points]);
        self::assertSame($this->insights->forecastAccuracy(7)->data['chart'], json_decode($week->chartJson(), true));
        self::assertStringStartsWith('1 earlier forecast kept · 54 days compared with the forecast made 7 days before', $week->meta);
        self::assertSame([7, 30, 90], array_column($week->summary, 'lead'));
        self::assertStringStartsWith('MASE ', $week->summary[0]['value']);
        self::assertSame('not scored yet', $week->summary[2]['value']);
        self::assertSame(AccuracyView::NOT_JUDGED, $week->drift, 'the forecast of 60 days ago is older than the drift window');
        self::assertStringStartsWith('Drift not judged yet', $week->driftWords);

        self::assertSame(['ready', false, 0], [$quarter->state, $quarter->hasChart(), $quarter->points]);
        self::assertStringStartsWith('No forecast made 90 days before a day with known sales yet', $quarter->empty);
        self::assertSame(7, $notOffered->leadDays);
    }
}
