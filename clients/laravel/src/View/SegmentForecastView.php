<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\View;

use Aktina\MlLaravel\Answer;
use Aktina\MlLaravel\Insights;

/**
 * What the segment-forecasts widget shows, from GET /forecast/segments: the selectors
 * (horizon, granularity), its state in words, the API's chart data (one line per segment in
 * its GET /segments colour, the total forecast dashed), the segments it draws, the period it
 * covers (the API's date strings) and how the segments were reconciled with the total.
 */
final class SegmentForecastView
{
    /**
     * @param array<string, mixed>|null $chart the API's `chart` object
     * @param list<array{id: int, label: string, name: string, color: string}> $segments
     */
    private function __construct(
        public readonly Selection $selection,
        public readonly string $state,
        public readonly string $notice,
        public readonly string $meta = '',
        public readonly string $period = '',
        public readonly ?array $chart = null,
        public readonly int $points = 0,
        public readonly array $segments = [],
        public readonly string $reconciliation = '',
    ) {
    }

    /** The segment forecasts for a selection. */
    public static function make(Insights $insights, Selection $selection): self
    {
        return self::fromAnswer(
            $insights->segmentForecasts($selection->horizonDays, $selection->granularity),
            $selection,
        );
    }

    public static function fromAnswer(Answer $answer, Selection $selection): self
    {
        $notice = $answer->state === Answer::NO_MODEL
            ? 'No per-segment forecasts yet: they are made when the forecast is trained after the segmentation,'
                . " at the next training run. (The service said: {$answer->problem})"
            : Notice::words($answer, 'per-segment forecast');
        if (! $answer->ok()) {
            return new self($selection, Notice::state($answer), $notice);
        }
        $body = $answer->data;
        $dates = $body['dates'] ?? [];
        if ($dates === [] || ($body['segments'] ?? []) === [] || ! isset($body['chart']['series'])) {
            $words = trim('No data: there are no segment forecasts for this selection. ' . $notice);

            return new self($selection, 'no-data', $words);
        }
        $segments = array_map(static fn (array $s): array => [
            'id' => (int) $s['id'],
            'label' => 'S' . $s['id'],
            'name' => (string) $s['name'],
            'color' => (string) ($s['color'] ?? ''),
        ], $body['segments']);
        $meta = count($segments) . " segments · {$body['horizon_days']} days by {$body['granularity']}"
            . " · model {$body['model_version']} · trained " . Notice::at((string) $body['trained_at']);

        return new self(
            $selection,
            Notice::state($answer),
            $notice,
            $meta,
            Selection::periodWords($dates, $body['granularity']),
            self::chartData($body),
            count($dates),
            $segments,
            self::reconciliationWords($body['reconciliation'] ?? []),
        );
    }

    /**
     * What the chart script needs: each segment's and the total's values per period, and the
     * periods' covered days (a partial first or last week/month is drawn at its pace).
     *
     * @param array<string, mixed> $body
     * @return array<string, mixed>
     */
    private static function chartData(array $body): array
    {
        return [
            'granularity' => $body['granularity'],
            'dates' => $body['dates'],
            'period_days' => $body['period_days'] ?? array_fill(0, count($body['dates']), 1),
            'segments' => array_map(static fn (array $s): array => [
                'id' => $s['id'],
                'name' => $s['name'],
                'color' => $s['color'] ?? null,
                'values' => $s['values'],
            ], $body['segments']),
            'total' => ['values' => $body['total']['values']],
        ];
    }

    /** @param array<string, mixed> $reconciliation the API's `reconciliation` object */
    public static function reconciliationWords(array $reconciliation): string
    {
        $words = '';
        if (isset($reconciliation['factor_min'], $reconciliation['factor_max'], $reconciliation['factor_median'])) {
            $times = static fn (mixed $factor): string => '×' . number_format((float) $factor, 2);
            $words = "The segments add up to the total forecast: each segment's own forecast is scaled, day by day,"
                . " by the total's share of their sum ({$reconciliation['method']}), between "
                . $times($reconciliation['factor_min']) . ' and ' . $times($reconciliation['factor_max'])
                . ' (median ' . $times($reconciliation['factor_median']) . ').';
        }
        $skipped = array_keys($reconciliation['skipped'] ?? []);
        if ($skipped !== []) {
            $labels = array_map(static fn (int|string $id): string => "S{$id}", $skipped);
            $words .= ' Not forecast (too little history): ' . implode(', ', $labels) . '.';
        }

        return trim($words);
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
