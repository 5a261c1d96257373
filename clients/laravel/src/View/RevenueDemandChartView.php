<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\View;

use Aktina\MlLaravel\Answer;
use DateTimeImmutable;

/**
 * The Revenue & Demand chart, from GET /summary's `chart`: revenue history and its forecast
 * with the interval band, units history and forecast on a second y axis (when a demand model
 * is promoted), every period with the days it covers, so the chart script draws a partial
 * week or month at its full period's pace, as on the forecast chart.
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
        $revenue = self::line($chart['revenue'] ?? null, $granularity, $asOf);
        if ($revenue === null) {
            return new self('no-data', $summary->notice('No data: the summary has no revenue chart.'));
        }
        $units = self::line($chart['units'] ?? null, $granularity, $asOf);
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
     * One quantity's history and forecast with each period's covered days.
     *
     * @return array{history: array<string, list<mixed>>, forecast: array<string, list<mixed>>}|null
     */
    private static function line(mixed $line, string $granularity, string $asOf): ?array
    {
        if (! is_array($line) || ! isset($line['history']['dates'], $line['forecast']['dates'])) {
            return null;
        }
        $history = $line['history'];
        $forecast = $line['forecast'];

        return [
            'history' => [
                'dates' => $history['dates'],
                'values' => $history['values'] ?? [],
                'period_days' => self::periodDays($history, $granularity, $asOf),
            ],
            'forecast' => [
                'dates' => $forecast['dates'],
                'values' => $forecast['values'] ?? [],
                'lower' => $forecast['lower'] ?? [],
                'upper' => $forecast['upper'] ?? [],
                'period_days' => self::periodDays($forecast, $granularity, null),
            ],
        ];
    }

    /**
     * The days each period covers: the answer's `period_days`, else from its `partial` flags
     * (a period is labelled with its first covered day; a partial one ends at its calendar
     * period's end, or on the last day of data).
     *
     * @param array<string, mixed> $periods
     * @return list<int>
     */
    public static function periodDays(array $periods, string $granularity, ?string $asOf): array
    {
        if (isset($periods['period_days']) && is_array($periods['period_days'])) {
            return array_map('intval', array_values($periods['period_days']));
        }
        $partial = $periods['partial'] ?? [];

        return array_map(static function (string $date, int $i) use ($partial, $granularity, $asOf): int {
            $start = new DateTimeImmutable($date);
            if (! ($partial[$i] ?? false)) {
                return match ($granularity) {
                    'day' => 1,
                    'week' => 7,
                    default => (int) $start->format('t'),
                };
            }
            $end = $start->modify($granularity === 'week' ? 'sunday this week' : 'last day of this month');
            if ($asOf !== null && $asOf !== '' && new DateTimeImmutable($asOf) < $end) {
                $end = new DateTimeImmutable($asOf);
            }

            return (int) $start->diff($end)->days + 1;
        }, array_values($periods['dates']), array_keys(array_values($periods['dates'])));
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
