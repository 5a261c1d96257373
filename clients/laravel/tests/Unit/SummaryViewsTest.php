<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Tests\Unit;

use Aktina\MlLaravel\Answer;
use Aktina\MlLaravel\View\DemandCardView;
use Aktina\MlLaravel\View\Figures;
use Aktina\MlLaravel\View\RecommendationsView;
use Aktina\MlLaravel\View\RevenueCardView;
use Aktina\MlLaravel\View\RevenueDemandChartView;
use Aktina\MlLaravel\View\RiskView;
use Aktina\MlLaravel\View\TrendsView;
use PHPUnit\Framework\TestCase;

/**
 * The summary widgets' view models on fixed answers: every state, and the words for figures.
 * Their input is tests/Fixtures/summary-sample.json, a sample answer of the real GET /summary
 * on demo data (tests/unit/api/test_summary.py checks it against the API's SummaryResponse),
 * changed here where a state needs it.
 */
final class SummaryViewsTest extends TestCase
{
    private const VIEWS = [RevenueCardView::class, DemandCardView::class, RiskView::class,
        RevenueDemandChartView::class, TrendsView::class, RecommendationsView::class];

    /** @return array<string, mixed> a sample answer of GET /summary (see the class) */
    private static function sample(): array
    {
        return json_decode((string) file_get_contents(__DIR__ . '/../Fixtures/summary-sample.json'), true);
    }

    public function test_figures_read_the_same_everywhere(): void
    {
        self::assertSame(['7.52 M', '812 k', '9,950', '2.29 M', '1.20 B', '950'], array_map(Figures::money(...), [7518000.0, 812400.0, 9950.0, 2291000.0, 1.2e9, 950.0]));
        self::assertSame(['+8.6 %', '−5.9 %', '+23 %', '0 %', ''], array_map(Figures::change(...), [0.0859, -0.0588, 0.2334, 0.0, null]));
        self::assertSame(['new', '', '+30 %'], [Figures::changeOrNew(null, 0, 1038), Figures::changeOrNew(null, 0, 0), Figures::changeOrNew(0.2991, 702, 912)]);
        self::assertSame(['up', 'down', 'flat', ''], array_map(Figures::direction(...), [0.1, -0.1, 0.001, null]));
        self::assertSame('8 Sep – 6 Dec 2026', Figures::span('2026-09-08', '2026-12-06'));
        self::assertSame('7 Dec 2026 – 5 Jan 2027', Figures::span('2026-12-07', '2027-01-05'));
        self::assertSame('top5 share 46 % · buyers 142 · change −31 %', RiskView::figures(['top5_share' => 0.46, 'buyers' => 142, 'change' => -0.31]));
    }

    public function test_every_view_says_what_every_other_widget_says_without_an_answer(): void
    {
        $cases = [
            [Answer::failure(Answer::NO_MODEL, 'no forecast model has been trained yet', 503), 'no-model', 'No forecast model yet'],
            [Answer::failure(Answer::UNREACHABLE, 'cURL error 7'), 'unreachable', "The forecast service can't be reached; there is no earlier answer to show."],
            [Answer::failure(Answer::REJECTED, 'Forbidden', 403), 'error', 'The service rejected the API key: check AKTINA_ML_KEY.'],
        ];
        foreach ($cases as [$answer, $state, $words]) {
            foreach (self::VIEWS as $class) {
                $view = $class::fromAnswer($answer);
                self::assertSame($state, $view->state, $class);
                self::assertStringStartsWith($words, $view->notice, $class);
                self::assertStringNotContainsString('cURL', $view->notice);
            }
        }
    }

    public function test_a_stale_answer_is_shown_with_its_age(): void
    {
        $stale = Answer::stale(self::sample(), 3 * 3600, Answer::failure(Answer::UNREACHABLE, 'down'));
        foreach (self::VIEWS as $class) {
            $view = $class::fromAnswer($stale);
            self::assertSame('stale', $view->state, $class);
            self::assertStringEndsWith('showing the answer from 3 h ago.', $view->notice, $class);
        }
        self::assertSame('3.62 M', RevenueCardView::fromAnswer($stale)->headline()['point']);
    }

    public function test_revenue_and_demand_unavailable_say_why(): void
    {
        $body = self::sample();
        $body['revenue'] = ['status' => 'unavailable', 'reason' => 'the forecast ends before today', 'spans' => []];
        $body['demand'] = ['status' => 'unavailable', 'reason' => 'no demand model has been trained yet'];
        $body['chart']['units'] = null;

        $revenue = RevenueCardView::fromAnswer(Answer::fresh($body));
        $demand = DemandCardView::fromAnswer(Answer::fresh($body));
        $chart = RevenueDemandChartView::fromAnswer(Answer::fresh($body));

        self::assertSame(['unavailable', 'No revenue forecast: the forecast ends before today.'], [$revenue->state, $revenue->notice]);
        self::assertSame(['unavailable', 'Demand in units is not available yet: no demand model has been trained yet.'], [$demand->state, $demand->notice]);
        self::assertSame([], $demand->month);
        self::assertSame('ready', $chart->state);
        self::assertNull($chart->chart['units']);
        self::assertSame('Units: not available yet (no demand model has been trained yet).', $chart->units);
    }

    public function test_nothing_to_recommend_and_no_risk_reason_are_said(): void
    {
        $body = self::sample();
        $body['recommendations'] = [];
        $body['risk'] = ['level' => 'low', 'reasons' => []];
        $body['demand']['largest_rise'] = null;

        self::assertStringStartsWith('Nothing the data supports yet', RecommendationsView::fromAnswer(Answer::fresh($body))->empty);
        $risk = RiskView::fromAnswer(Answer::fresh($body));
        self::assertSame(['Low', []], [$risk->levelWords(), $risk->reasons]);
        self::assertStringStartsWith('No measured fact points to a risk', $risk->none());
        self::assertStringStartsWith('No product is expected to sell more', DemandCardView::fromAnswer(Answer::fresh($body))->rise);
    }
}
