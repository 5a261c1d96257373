<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\View;

use Aktina\MlLaravel\Answer;

/**
 * The recommendations card, from GET /summary's `recommendations`: plain rules over the
 * summary's facts, each with the figures it rests on; none when the data supports none.
 */
final class RecommendationsView
{
    public const NOTHING = 'Nothing the data supports yet: no rule over these figures applies,'
        . ' so there is no advice to give.';

    /** @param list<array{code: string, text: string, figures: string}> $items */
    private function __construct(
        public readonly string $state,
        public readonly string $notice,
        public readonly array $items = [],
        public readonly string $empty = '',
        public readonly string $meta = '',
    ) {
    }

    public static function fromAnswer(Answer $answer): self
    {
        $summary = Summary::of($answer);
        if ($summary->body === null) {
            return new self($summary->state, $summary->notice);
        }
        $items = array_map(static fn (array $item): array => [
            'code' => (string) ($item['code'] ?? ''),
            'text' => (string) ($item['text'] ?? ''),
            'figures' => RiskView::figures($item['figures'] ?? []),
        ], array_values(array_filter($summary->body['recommendations'] ?? [], 'is_array')));

        $empty = $items === [] ? self::NOTHING : '';

        return new self($summary->state, $summary->notice, $items, $empty, $summary->basis(true));
    }
}
