<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\View;

use Aktina\MlLaravel\Answer;
use Aktina\MlLaravel\Insights;

/**
 * What the sales-prediction widget shows, from GET /forecast: the selectors (horizon,
 * granularity), its state in words, the answer's periods for the chart (actual sales,
 * forecast, interval band), the period it covers (dates as the API's strings, never through a browser Date) and
 * the backtest figures.
 */
final class ForecastView
{
    private const BACKTEST_LABELS = [
        'mase' => 'MASE (lower is better)',
        'mase_seasonal_naive' => 'MASE, seasonal naive',
        'smape' => 'sMAPE (%)',
        'coverage' => 'coverage of the interval',
        'coverage_calibrated' => 'coverage after calibration',
        'folds' => 'backtest folds',
    ];

    /**
     * @param array<string, mixed>|null $chart the answer's periods and history (see chartData())
     * @param array<string, string> $metrics
     */
    private function __construct(
        public readonly Selection $selection,
        public readonly string $state,
        public readonly string $notice,
        public readonly string $meta = '',
        public readonly string $period = '',
        public readonly ?array $chart = null,
        public readonly int $points = 0,
        public readonly array $metrics = [],
    ) {
    }

    /** The forecast for a selection. */
    public static function make(Insights $insights, Selection $selection): self
    {
        return self::fromAnswer(
            $insights->forecast($selection->horizonDays, $selection->granularity),
            $selection,
        );
    }

    public static function fromAnswer(Answer $answer, Selection $selection): self
    {
        $notice = Notice::words($answer, 'forecast');
        if (! $answer->ok()) {
            return new self($selection, Notice::state($answer), $notice);
        }
        $body = $answer->data;
        $dates = $body['dates'] ?? $body['forecast_dates'] ?? [];
        if ($dates === [] || ! isset($body['values'], $body['period_days'])) {
            $words = trim('No data: the forecast for this selection is empty. ' . $notice);

            return new self($selection, 'no-data', $words);
        }
        $window = $body['data_window'] ?? [];
        $trained = "model {$body['model_version']} · trained " . Notice::at((string) $body['trained_at']);
        if (isset($window['first_day'], $window['last_day'])) {
            $trained .= " on {$window['first_day']} to {$window['last_day']}";
        }
        $metrics = [];
        foreach (self::BACKTEST_LABELS as $key => $label) {
            if (isset($body['backtest'][$key]) && is_scalar($body['backtest'][$key])) {
                $metrics[$label] = (string) $body['backtest'][$key];
            }
        }

        return new self(
            $selection,
            Notice::state($answer),
            $notice,
            "{$body['horizon_days']} days by {$body['granularity']} · {$trained}",
            Selection::periodWords($dates, $body['granularity']),
            self::chartData($body),
            count($dates),
            $metrics,
        );
    }

    /**
     * What the chart script draws, as the preview page does: complete periods as lines with
     * their interval band, partial first/last periods as points of their own.
     *
     * @param array<string, mixed> $body
     * @return array<string, mixed>
     */
    private static function chartData(array $body): array
    {
        $keys = ['granularity', 'interval_width', 'dates', 'values', 'lower', 'upper', 'period_days'];
        $history = $body['history'] ?? [];

        return array_intersect_key($body, array_flip($keys)) + [
            'history' => [
                'dates' => $history['dates'] ?? [],
                'values' => $history['values'] ?? [],
                'period_days' => $history['period_days'] ?? [],
            ],
        ];
    }

    public function hasChart(): bool
    {
        return $this->chart !== null;
    }

    /** The answer's periods (values, bounds, days covered) and history, which the chart draws. */
    public function chartJson(): string
    {
        return Json::encode($this->chart);
    }
}
