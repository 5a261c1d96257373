<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Tests\Feature;

use Aktina\MlLaravel\Insights;
use Aktina\MlLaravel\Livewire\DemandForecastCard;
use Aktina\MlLaravel\Livewire\RevenueForecastCard;
use Aktina\MlLaravel\Livewire\RiskCard;
use Aktina\MlLaravel\Tests\Support\Components;
use Aktina\MlLaravel\Tests\Support\KitApp;
use Aktina\MlLaravel\Tests\Support\LocalApi;
use Aktina\MlLaravel\View\Figures;
use Aktina\MlLaravel\View\RecommendationsView;
use Illuminate\Foundation\Application;
use Illuminate\Http\Client\Events\ResponseReceived;
use Illuminate\Support\Carbon;
use PHPUnit\Framework\TestCase;

/**
 * The six summary widgets (GET /summary) rendered as the admin page renders them, over HTTP:
 * the real local API's answer (tests/Support/LocalApi), over the demo-trained store, a store
 * with the forecast alone (demand unavailable, nothing to recommend), an empty one (503), a
 * stopped server (stale) and a store whose promoted forecast changes (the next poll).
 */
final class SummaryWidgetsTest extends TestCase
{
    private const PANELS = [
        'aktina-ml.revenue-forecast-card' => 'revenue-forecast',
        'aktina-ml.demand-forecast-card' => 'demand-forecast',
        'aktina-ml.risk-card' => 'risk',
        'aktina-ml.revenue-demand-chart' => 'revenue-demand',
        'aktina-ml.market-trends' => 'market-trends',
        'aktina-ml.recommendations' => 'recommendations',
    ];

    /** @var list<LocalApi> */
    private array $servers = [];

    protected function tearDown(): void
    {
        Carbon::setTestNow();
        foreach ($this->servers as $server) {
            $server->stop();
        }
    }

    /** @param array<string, mixed> $config */
    private function app(array $config = []): Application
    {
        $app = KitApp::make($config);
        Components::registerDirective($app['blade.compiler']);

        return $app;
    }

    /** Every summary panel, rendered one after the other as on the page. */
    private function page(): string
    {
        return implode("\n", array_map(static fn (string $name): string => Components::render($name), array_keys(self::PANELS)));
    }

    /** @param array<string, mixed> $product a product's name, and its model when that differs */
    private static function label(array $product): string
    {
        $model = $product['model'] ?? null;

        return $product['name'] . ($model !== null && $model !== $product['name'] ? " ({$model})" : '');
    }

    private static function html(string $text): string
    {
        return htmlspecialchars($text, ENT_QUOTES);
    }

    public function test_every_panel_shows_the_figures_of_the_answer(): void
    {
        // Given the service's summary
        $app = $this->app();
        $summary = $app->make(Insights::class)->summary()->data;

        // When the page renders the six panels
        $html = $this->page();

        // Then each is ready, in the app's card, following html.dark by default
        foreach (self::PANELS as $panel) {
            self::assertMatchesRegularExpression("/data-aktina-ml-panel=\"{$panel}\" data-state=\"ready\"[^>]*data-aktina-ml-dark=\"class\"/", $html);
        }
        // Revenue: every span's point, interval and change, and the API's certainty words
        foreach ($summary['revenue']['spans'] as $span) {
            self::assertStringContainsString('data-aktina-ml-figure="revenue">' . Figures::money($span['point']) . '<', $html);
            self::assertStringContainsString('80 % likely ' . Figures::money($span['lower']) . ' – ' . Figures::money($span['upper']), $html);
            self::assertStringContainsString('<strong>' . Figures::change($span['change']) . '</strong>', $html);
            self::assertStringContainsString(self::html($span['certainty_text']), $html);
            self::assertStringContainsString("data-certainty=\"{$span['certainty']}\"", $html);
        }
        self::assertStringContainsString('Next quarter (90 days)', $html);
        self::assertLessThan(strpos($html, 'Next 30 days'), strpos($html, 'Next quarter (90 days)'), 'the quarter is the headline');
        // Demand: units next month, the largest rise, every product
        $demand = $summary['demand'];
        self::assertStringContainsString('data-aktina-ml-figure="units">' . Figures::units($demand['month']['units']) . '<', $html);
        self::assertStringContainsString(self::html($demand['month']['certainty_text']), $html);
        $rise = $demand['largest_rise'];
        self::assertStringContainsString('Largest rise: ' . self::html(self::label($rise)) . ', ' . Figures::units($rise['units']) . ' units', $html);
        foreach ($demand['products'] as $product) {
            self::assertStringContainsString(self::html(self::label($product)) . '</span> <strong>' . Figures::units($product['units']) . '</strong>', $html);
        }
        self::assertStringContainsString(' item lines of ' . Figures::units($demand['item_quality']['orders']) . ' orders', $html);
        // Risk: the level and each reason with its figures
        $levels = ['low' => 'Low', 'medium' => 'Medium', 'high' => 'High'];
        self::assertStringContainsString('data-aktina-ml-figure="risk" data-level="' . $summary['risk']['level'] . '">' . $levels[$summary['risk']['level']] . '<', $html);
        foreach ($summary['risk']['reasons'] as $reason) {
            self::assertStringContainsString(self::html($reason['text']), $html);
        }
        // The chart carries both lines with their periods' covered days; the units on a second axis
        preg_match('/data-aktina-ml-chart="revenueDemand" data-aktina-ml-data="([^"]*)"/', $html, $m);
        $chart = json_decode(html_entity_decode($m[1], ENT_QUOTES), true);
        self::assertSame($summary['chart']['revenue']['history']['values'], $chart['revenue']['history']['values']);
        self::assertSame($summary['chart']['revenue']['forecast']['upper'], $chart['revenue']['forecast']['upper']);
        self::assertSame($summary['chart']['units']['forecast']['values'], $chart['units']['forecast']['values']);
        self::assertSame($summary['chart']['revenue']['history']['period_days'], $chart['revenue']['history']['period_days']);
        self::assertSame($summary['chart']['units']['forecast']['period_days'], $chart['units']['forecast']['period_days']);
        self::assertSame($summary['as_of'], $chart['as_of']);
        self::assertStringContainsString('revenue (left axis) and units (right axis)', $html);
        // Trends and recommendations, with the figures they rest on
        foreach ([...$summary['trends']['segments'], ...$summary['trends']['products']] as $row) {
            self::assertStringContainsString(self::html($row['name']), $html);
        }
        self::assertStringContainsString('Sales of the last 90 days (', $html);
        foreach ($summary['recommendations'] as $recommendation) {
            self::assertStringContainsString(self::html($recommendation['text']), $html);
        }
        self::assertStringContainsString('Rests on: ', $html);
        self::assertStringContainsString("forecast model {$summary['versions']['forecast']}", $html);
        // Every panel polls, like the other widgets
        self::assertSame(6, substr_count($html, 'data-aktina-ml-poll="60"'));
    }

    public function test_media_dark_mode_is_on_every_panel(): void
    {
        $this->app(['dark_mode' => 'media']);

        $html = $this->page();

        self::assertSame(6, substr_count($html, 'data-aktina-ml-dark="media"'));
        self::assertStringNotContainsString('data-aktina-ml-dark="class"', $html);
    }

    public function test_without_a_demand_model_the_rest_still_answers(): void
    {
        // Given the service with the forecast alone: no demand model, no segments, so its
        // summary's demand is unavailable and no rule has a fact to recommend from
        $server = LocalApi::start(LocalApi::forecastOnlyStore());
        $this->servers[] = $server;
        $app = $this->app(['url' => $server->url]);
        $summary = $app->make(Insights::class)->summary()->data;
        self::assertSame('unavailable', $summary['demand']['status']);
        self::assertNull($summary['versions']['demand']);
        self::assertNull($summary['chart']['units']);
        self::assertSame([], $summary['recommendations'], 'the forecast alone supports no recommendation');
        $reason = $summary['demand']['reason'];

        // When the page renders the six panels
        $html = $this->page();

        // Then the demand card says so, the chart draws revenue alone and says why, and the
        // recommendations say there is nothing to recommend
        self::assertStringContainsString('data-aktina-ml-panel="demand-forecast" data-state="unavailable"', $html);
        self::assertStringContainsString(self::html("Demand in units is not available yet: {$reason}."), $html);
        self::assertStringNotContainsString('data-aktina-ml-figure="units"', $html);
        self::assertStringContainsString(self::html("Units: not available yet ({$reason})."), $html);
        preg_match('/data-aktina-ml-data="([^"]*)"/', $html, $m);
        self::assertNull(json_decode(html_entity_decode($m[1], ENT_QUOTES), true)['units']);
        self::assertStringContainsString(self::html(RecommendationsView::NOTHING), $html);
        self::assertStringContainsString('Nothing the data supports yet', $html);
        foreach (['revenue-forecast', 'risk', 'revenue-demand', 'market-trends', 'recommendations'] as $panel) {
            self::assertStringContainsString("data-aktina-ml-panel=\"{$panel}\" data-state=\"ready\"", $html);
        }
    }

    public function test_without_a_forecast_every_panel_says_so(): void
    {
        $empty = LocalApi::start(LocalApi::emptyStore());
        $this->servers[] = $empty;
        $this->app(['url' => $empty->url]);

        $html = $this->page();

        self::assertSame(6, substr_count($html, 'data-state="no-model"'));
        self::assertSame(6, substr_count($html, 'No forecast model yet: it appears after the next training run.'));
        self::assertStringNotContainsString('data-aktina-ml-chart=', $html);
        self::assertStringNotContainsString('data-aktina-ml-figure=', $html);
    }

    public function test_with_the_service_gone_every_panel_shows_the_last_answer_and_its_age(): void
    {
        // Given the panels rendered once while the service ran
        $server = LocalApi::start(LocalApi::trainedStore());
        $this->servers[] = $server;
        $this->app(['url' => $server->url]);
        Carbon::setTestNow(Carbon::parse('2026-12-05 07:42:00'));
        $this->page();
        $server->stop();

        // When the service is gone from 10:42 the next day and the page loads an hour later
        Carbon::setTestNow(Carbon::parse('2026-12-06 10:42:00'));
        $this->page();
        Carbon::setTestNow(Carbon::parse('2026-12-06 11:42:00'));
        $html = $this->page();

        // Then every panel still shows its figures, marked stale, in words for people
        self::assertSame(6, substr_count($html, 'data-state="stale"'));
        self::assertSame(6, substr_count($html, 'The forecast service can&#039;t be reached (since 10:42); showing the answer from 1 day 4 h ago.'));
        self::assertSame(3, substr_count($html, 'data-aktina-ml-figure="revenue"') + substr_count($html, 'data-aktina-ml-figure="units"'));
        self::assertSame(1, substr_count($html, 'data-aktina-ml-chart="revenueDemand"'));
        self::assertStringNotContainsString('127.0.0.1', $html);
    }

    public function test_a_change_in_the_data_changes_each_figure_at_the_next_poll(): void
    {
        // Given the cards rendered from the summary of a service that re-reads its store
        $store = LocalApi::copyOfTrainedStore();
        $server = LocalApi::start($store, LocalApi::KEY, ['AKTINA_MODEL_REFRESH_SECONDS' => '0']);
        $this->servers[] = $server;
        $app = $this->app(['url' => $server->url]);
        $sent = [];
        $app['events']->listen(ResponseReceived::class, static function (ResponseReceived $e) use (&$sent): void {
            $sent[] = $e->response->status();
        });
        $revenue = new RevenueForecastCard();
        $risk = new RiskCard();
        $demand = new DemandForecastCard();
        $before = $app->make(Insights::class)->summary()->data;
        $cards = static fn (): string => $revenue->render()->render() . $risk->render()->render() . $demand->render()->render();
        self::assertStringContainsString(self::headline($before), $cards());

        // When a poll finds the summary unchanged: one 304, nothing re-rendered
        $sent = [];
        self::assertFalse($risk->poll());
        self::assertSame([304], $sent);

        // When a training run promotes another forecast and the panels poll
        $promoted = LocalApi::promoteAnother($store, 'forecast');

        // Then each sees the new answer and shows its figures (the service swaps the new model in
        // behind the request that noticed it: a few polls)
        for ($poll = 1; ! ($changed = $revenue->poll()) && $poll < 20; $poll++) {
            usleep(250_000);
        }
        self::assertTrue($changed);
        self::assertTrue($risk->poll());
        self::assertTrue($demand->poll());
        $after = $app->make(Insights::class)->summary()->data;
        self::assertSame($promoted, $after['versions']['forecast']);
        self::assertNotSame(self::headline($before), self::headline($after), 'the other forecast has other figures');
        $html = $cards();
        self::assertStringContainsString(self::headline($after), $html);
        self::assertStringNotContainsString(self::headline($before), $html);
        self::assertStringContainsString('data-level="' . $after['risk']['level'] . '"', $html);
        self::assertStringContainsString('data-aktina-ml-figure="units">' . Figures::units($after['demand']['month']['units']) . '<', $html);
    }

    /** @param array<string, mixed> $summary the revenue card's headline: the longest span's point */
    private static function headline(array $summary): string
    {
        $spans = $summary['revenue']['spans'];
        usort($spans, static fn (array $a, array $b): int => $b['days'] <=> $a['days']);

        return 'data-aktina-ml-figure="revenue">' . Figures::money($spans[0]['point']) . '<';
    }
}
