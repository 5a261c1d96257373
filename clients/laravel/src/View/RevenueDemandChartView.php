<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\View;

use Aktina\MlLaravel\Answer;

/**
 * The Revenue & Demand chart, from GET /summary's `chart`: revenue history and its forecast
 * with the interval band, units history and forecast on a second y axis (when a demand model
 * is promoted), every month with the days it covers (`period_days`), so the chart script
 * draws a partial month at its full month's pace, as on the forecast chart.
 */
final class RevenueDemandChartView
{
    /** @param array<string, mixed>|null $chart what the chart script draws (see chartData()) */
    private function __construct(
        public readonly string $state,
        public readonly string $notice,
        public readonly ?array $chart = null,
        public readonly int $points = 0,
        public readonly string $meta = '',
        public readonly string $units = '',
    ) {
    }

    public static function fromAnswer(Answer $answer): self
    {
        $summary = Summary::of($answer);
        if ($summary->body === null) {
            return new self($summary->state, $summary->notice);
        }
        $chart = $summary->section('chart');
        $asOf = (string) ($summary->body['as_of'] ?? '');
        $granularity = (string) ($chart['granularity'] ?? 'month');
        $revenue = self::line($chart['revenue'] ?? null);
        if ($revenue === null) {
            return new self('no-data', $summary->notice('No data: the summary has no revenue chart.'));
        }
        $units = self::line($chart['units'] ?? null);
        $demand = $summary->section('demand');
        $unitsWords = $units === null
            ? 'Units: not available yet ('
                . rtrim((string) ($demand['reason'] ?? '') ?: 'no demand model has been promoted yet', '.') . ').'
            : '';
        $width = (float) ($summary->section('revenue')['interval_width'] ?? 0.8);
        $dates = [...$revenue['history']['dates'], ...$revenue['forecast']['dates']];
        $meta = 'By ' . $granularity . ': revenue' . ($units === null ? '' : ' (left axis) and units (right axis)')
            . ' from ' . Figures::day((string) $dates[0])
            . ', forecast from ' . Figures::day((string) ($revenue['forecast']['dates'][0] ?? $asOf))
            . ' with its ' . round(100 * $width) . ' % band · ' . $summary->basis($units !== null);

        return new self(
            $summary->state,
            $summary->notice,
            [
                'granularity' => $granularity,
                'interval_width' => $width,
                'as_of' => $asOf,
                'revenue' => $revenue,
                'units' => $units,
            ],
            count($dates),
            $meta,
            $unitsWords,
        );
    }

    /**
     * One quantity's history and forecast, as the API sends them, with each month's covered
     * days (`period_days`: the chart script draws a partial month at its full month's pace).
     *
     * @return array{history: array<string, mixed>, forecast: array<string, mixed>}|null
     */
    private static function line(mixed $line): ?array
    {
        if (! is_array($line) || ! isset($line['history']['dates'], $line['forecast']['dates'])) {
            return null;
        }
        $keep = ['dates', 'values', 'lower', 'upper', 'period_days'];

        return [
            'history' => array_intersect_key($line['history'], array_flip($keep)),
            'forecast' => array_intersect_key($line['forecast'], array_flip($keep)),
        ];
    }

    public function hasChart(): bool
    {
        return $this->chart !== null;
    }

    public function chartJson(): string
    {
        return Json::encode($this->chart);
    }
}
