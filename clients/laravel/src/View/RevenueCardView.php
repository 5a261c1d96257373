<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\View;

use Aktina\MlLaravel\Answer;

/**
 * The revenue-forecast card, from GET /summary's `revenue`: the next quarter as its headline
 * and the next 30 days under it, each with its interval, the change against the same span
 * before (with the change's own interval) and how sure it is, in the API's words.
 */
final class RevenueCardView
{
    /**
     * @param list<array<string, string>> $spans headline first: label, point, interval,
     *     change, direction, previous, change_interval, certainty, certainty_text
     */
    private function __construct(
        public readonly string $state,
        public readonly string $notice,
        public readonly array $spans = [],
        public readonly string $meta = '',
    ) {
    }

    public static function fromAnswer(Answer $answer): self
    {
        $summary = Summary::of($answer);
        if ($summary->body === null) {
            return new self($summary->state, $summary->notice);
        }
        $revenue = $summary->section('revenue');
        $spans = array_values(array_filter($revenue['spans'] ?? [], 'is_array'));
        if (($revenue['status'] ?? 'ok') !== 'ok' || $spans === []) {
            $reason = (string) ($revenue['reason'] ?? 'the forecast has no span from today');

            return new self('unavailable', $summary->notice("No revenue forecast: {$reason}."));
        }
        // The longest span (the quarter) is the headline, as on the page it replaces.
        usort($spans, static fn (array $a, array $b): int => ($b['days'] ?? 0) <=> ($a['days'] ?? 0));
        $width = (int) round(100 * (float) ($revenue['interval_width'] ?? 0.8));
        $backtest = $revenue['backtest'] ?? [];
        $meta = "{$width} % intervals";
        if (isset($backtest['mase'], $backtest['coverage'])) {
            $meta .= ' · backtest MASE ' . number_format((float) $backtest['mase'], 2)
                . ', interval held ' . Figures::share((float) $backtest['coverage']) . ' of days';
        }

        return new self(
            $summary->state,
            $summary->notice,
            array_map(static fn (array $span): array => self::span($span, $width), $spans),
            $meta . ' · ' . $summary->basis(),
        );
    }

    /**
     * @param array<string, mixed> $span
     * @return array<string, string>
     */
    private static function span(array $span, int $width): array
    {
        $previous = isset($span['previous_start'], $span['previous_end'])
            ? ' (' . Figures::span((string) $span['previous_start'], (string) $span['previous_end']) . ')'
            : '';
        $changeInterval = isset($span['change_lower'], $span['change_upper'])
            ? Figures::change($span['change_lower']) . ' to ' . Figures::change($span['change_upper'])
            : '';

        return [
            'label' => ucfirst((string) ($span['label'] ?? "next {$span['days']} days")),
            'dates' => isset($span['start'], $span['end'])
                ? Figures::span((string) $span['start'], (string) $span['end']) : '',
            'point' => Figures::money((float) $span['point']),
            'interval' => "{$width} % likely " . Figures::money((float) $span['lower'])
                . ' – ' . Figures::money((float) $span['upper']),
            'change' => Figures::change($span['change'] ?? null),
            'direction' => Figures::direction($span['change'] ?? null),
            'previous' => isset($span['previous'])
                ? 'against ' . Figures::money((float) $span['previous']) . " the same span before{$previous}" : '',
            'change_interval' => $changeInterval === '' ? '' : "change {$width} % likely {$changeInterval}",
            'certainty' => (string) ($span['certainty'] ?? ''),
            'certainty_text' => (string) ($span['certainty_text'] ?? ''),
        ];
    }

    public function headline(): ?array
    {
        return $this->spans[0] ?? null;
    }

    /** @return list<array<string, string>> */
    public function others(): array
    {
        return array_slice($this->spans, 1);
    }
}
