<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\View;

/**
 * The horizon and granularity a forecast widget shows, and the ones it offers: a selection
 * not offered falls back to the defaults.
 */
final class Selection
{
    /**
     * @param list<int> $horizons
     * @param list<string> $granularities
     */
    private function __construct(
        public readonly int $horizonDays,
        public readonly string $granularity,
        public readonly array $horizons,
        public readonly array $granularities,
    ) {
    }

    /**
     * @param list<int> $horizons
     * @param list<string> $granularities
     */
    public static function of(
        int $horizonDays,
        string $granularity,
        array $horizons = [30, 60, 90, 180, 365],
        array $granularities = ['day', 'week', 'month'],
        int $defaultHorizon = 90,
        string $defaultGranularity = 'day',
    ): self {
        return new self(
            in_array($horizonDays, $horizons, true) ? $horizonDays : $defaultHorizon,
            in_array($granularity, $granularities, true) ? $granularity : $defaultGranularity,
            $horizons,
            $granularities,
        );
    }

    /** What config/aktina-ml.php offers. */
    public static function fromConfig(int $horizonDays, string $granularity): self
    {
        return self::of(
            $horizonDays,
            $granularity,
            config('aktina-ml.horizons'),
            config('aktina-ml.granularities'),
            (int) config('aktina-ml.default_horizon'),
            (string) config('aktina-ml.default_granularity'),
        );
    }

    /** "90:day": what the drawn chart carries (the browser test compares the two). */
    public function key(): string
    {
        return "{$this->horizonDays}:{$this->granularity}";
    }

    /**
     * "13 weeks from 2026-12-01 to 2027-02-23": the answer's periods, with the API's date strings.
     *
     * @param non-empty-list<string> $dates
     */
    public static function periodWords(array $dates, string $granularity): string
    {
        $unit = ['day' => 'days', 'week' => 'weeks', 'month' => 'months'][$granularity] ?? $granularity;

        return count($dates) . " {$unit} from {$dates[0]} to " . end($dates);
    }
}
