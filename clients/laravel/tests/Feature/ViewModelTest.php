<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Tests\Feature;

use Aktina\MlLaravel\Answer;
use Aktina\MlLaravel\Insights;
use Aktina\MlLaravel\Tests\Support\KitApp;
use Aktina\MlLaravel\Tests\Support\LocalApi;
use Aktina\MlLaravel\View\ForecastView;
use Aktina\MlLaravel\View\SegmentationView;
use Aktina\MlLaravel\View\Selection;
use PHPUnit\Framework\TestCase;

/** The widgets' view models, from the real local API's answers. */
final class ViewModelTest extends TestCase
{
    private Insights $insights;

    protected function setUp(): void
    {
        $this->insights = KitApp::make()->make(Insights::class);
    }

    public function test_segmentation_view_carries_the_apis_chart_data(): void
    {
        $answer = $this->insights->segments();

        $view = SegmentationView::fromAnswer($answer);

        self::assertSame('ready', $view->state);
        self::assertSame('', $view->notice);
        self::assertSame($answer->data['charts']['distribution'], json_decode($view->chartJson('distribution'), true));
        self::assertSame($answer->data['charts']['performance'], json_decode($view->chartJson('performance'), true));
        self::assertCount(4, $view->demographics());
        self::assertCount($answer->data['k'], $view->segments);
        self::assertSame('S0', $view->segments[0]['label']);
        self::assertStringStartsWith("{$answer->data['k']} segments · model ", $view->meta);
        self::assertArrayHasKey('segments (k)', $view->metrics);
    }

    public function test_segmentation_view_without_data(): void
    {
        $stale = SegmentationView::fromAnswer(Answer::stale($this->insights->segments()->data, 90000, Answer::failure(Answer::UNREACHABLE, 'refused')));
        $noModel = SegmentationView::fromAnswer(Answer::forStatus(503, 'No segmentation model yet'));
        $noData = SegmentationView::fromAnswer(Answer::fresh(['k' => 0, 'segments' => [], 'charts' => []]));

        self::assertSame(['stale', true], [$stale->state, $stale->hasCharts()]);
        self::assertStringContainsString('showing the answer from 1 day 1 h ago', $stale->notice);
        self::assertSame(['no-model', false], [$noModel->state, $noModel->hasCharts()]);
        self::assertSame(['no-data', false], [$noData->state, $noData->hasCharts()]);
        self::assertStringStartsWith('No data', $noData->notice);
    }

    public function test_forecast_view_follows_the_selection(): void
    {
        foreach ([[30, 'day', 30, 'days'], [180, 'month', null, 'months'], [60, 'week', null, 'weeks']] as [$horizon, $granularity, $points, $unit]) {
            $view = ForecastView::make($this->insights, Selection::of($horizon, $granularity));
            $data = $this->insights->forecast($horizon, $granularity)->data;

            self::assertSame('ready', $view->state);
            self::assertSame("{$horizon}:{$granularity}", $view->selection->key());
            $chart = json_decode($view->chartJson(), true);
            foreach (['granularity', 'interval_width', 'dates', 'values', 'lower', 'upper', 'period_days'] as $key) {
                self::assertSame($data[$key], $chart[$key], $key);
            }
            self::assertSame($data['history']['dates'], $chart['history']['dates']);
            self::assertSame($data['history']['period_days'], $chart['history']['period_days']);
            self::assertSame($points ?? count($data['dates']), $view->points);
            self::assertSame("{$view->points} {$unit} from {$data['dates'][0]} to " . end($data['dates']), $view->period);
            self::assertStringStartsWith("{$horizon} days by {$granularity} · model ", $view->meta);
            self::assertArrayHasKey('MASE (lower is better)', $view->metrics);
        }
    }

    public function test_a_selection_not_offered_falls_back_to_the_defaults(): void
    {
        $view = ForecastView::make($this->insights, Selection::of(7, 'hour'));

        self::assertSame('90:day', $view->selection->key());
        self::assertSame(90, $view->points);
    }

    public function test_forecast_view_states_without_data(): void
    {
        $noModel = ForecastView::fromAnswer(Answer::forStatus(503, 'No forecast model yet'), Selection::of(90, 'day', [90], ['day']));
        $empty = ForecastView::fromAnswer(Answer::fresh(['dates' => [], 'values' => [], 'period_days' => []]), Selection::of(90, 'day', [90], ['day']));

        self::assertSame(['no-model', false], [$noModel->state, $noModel->hasChart()]);
        self::assertSame(['no-data', false], [$empty->state, $empty->hasChart()]);
    }
}
