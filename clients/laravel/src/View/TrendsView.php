<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\View;

use Aktina\MlLaravel\Answer;

/**
 * The market-trends card, from GET /summary's `trends`: the segments and products whose
 * sales grew or fell most over a stated window against the same span before, with the numbers.
 */
final class TrendsView
{
    /**
     * @param list<array<string, string>> $segments name, current, previous, change, direction
     * @param list<array<string, string>> $products the same, in units
     */
    private function __construct(
        public readonly string $state,
        public readonly string $notice,
        public readonly string $window = '',
        public readonly array $segments = [],
        public readonly array $products = [],
        public readonly string $meta = '',
    ) {
    }

    public static function fromAnswer(Answer $answer): self
    {
        $summary = Summary::of($answer);
        if ($summary->body === null) {
            return new self($summary->state, $summary->notice);
        }
        $trends = $summary->section('trends');
        $window = $trends['window'] ?? [];
        $words = '';
        if (isset($window['start'], $window['end'], $window['previous_start'], $window['previous_end'])) {
            $days = (int) ($window['days'] ?? 90);
            $words = "Sales of the last {$days} days ("
                . Figures::span((string) $window['start'], (string) $window['end'])
                . ") against the {$days} days before ("
                . Figures::span((string) $window['previous_start'], (string) $window['previous_end']) . ').';
        }
        $rows = static fn (string $key, callable $format): array => array_map(static fn (array $row): array => [
            'name' => isset($row['product_id']) ? DemandCardView::name($row) : (string) ($row['name'] ?? ''),
            'current' => $format((float) ($row['current'] ?? 0)),
            'previous' => $format((float) ($row['previous'] ?? 0)),
            'change' => Figures::changeOrNew($row['change'] ?? null, $row['previous'] ?? 0, $row['current'] ?? 0),
            'direction' => Figures::direction($row['change'] ?? null),
        ], array_values(array_filter($trends[$key] ?? [], 'is_array')));
        $segments = $rows('segments', Figures::money(...));
        $products = $rows('products', static fn (float $units): string => Figures::units($units) . ' units');
        $notice = $segments === [] && $products === []
            ? $summary->notice('No segment or product sold measurably more or less than in the span before.')
            : $summary->notice;

        return new self($summary->state, $notice, $words, $segments, $products, $summary->basis(true));
    }
}
