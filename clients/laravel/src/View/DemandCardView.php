<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\View;

use Aktina\MlLaravel\Answer;

/**
 * The demand-forecast card, from GET /summary's `demand`: units next month with their
 * interval and change, the product with the largest expected rise, each product's units (and
 * how it was forecast when not by the full model), and the order lines that could not be read.
 * "unavailable" (with the API's reason) until a demand model is promoted.
 */
final class DemandCardView
{
    /**
     * @param array<string, string> $month units, interval, change, direction, previous, certainty, certainty_text
     * @param list<array<string, string>> $products name, units, interval, change, direction, note
     */
    private function __construct(
        public readonly string $state,
        public readonly string $notice,
        public readonly array $month = [],
        public readonly string $rise = '',
        public readonly array $products = [],
        public readonly string $quality = '',
        public readonly string $meta = '',
    ) {
    }

    public static function fromAnswer(Answer $answer): self
    {
        $summary = Summary::of($answer);
        if ($summary->body === null) {
            return new self($summary->state, $summary->notice);
        }
        $demand = $summary->section('demand');
        $month = $demand['month'] ?? null;
        if (($demand['status'] ?? '') !== 'ok' || ! is_array($month)) {
            $reason = rtrim((string) ($demand['reason'] ?? '') ?: 'no demand model has been promoted yet', '.');

            return new self('unavailable', $summary->notice("Demand in units is not available yet: {$reason}."));
        }
        $products = array_values(array_filter($demand['products'] ?? [], 'is_array'));

        return new self(
            $summary->state,
            $summary->notice,
            self::month($month),
            self::rise($demand['largest_rise'] ?? null),
            array_map(self::product(...), $products),
            self::quality($demand['item_quality'] ?? []),
            "{$month['days']} days, " . Figures::span((string) $month['start'], (string) $month['end'])
                . ' · ' . $summary->basis(true),
        );
    }

    /**
     * @param array<string, mixed> $month
     * @return array<string, string>
     */
    private static function month(array $month): array
    {
        return [
            'units' => Figures::units((float) $month['units']),
            'interval' => Figures::units((float) $month['lower']) . ' – ' . Figures::units((float) $month['upper']),
            'change' => Figures::change($month['change'] ?? null),
            'direction' => Figures::direction($month['change'] ?? null),
            'previous' => isset($month['previous'])
                ? 'against ' . Figures::units((float) $month['previous'])
                    . ' in the last ' . ($month['days'] ?? 30) . ' days'
                : '',
            'certainty' => (string) ($month['certainty'] ?? ''),
            'certainty_text' => (string) ($month['certainty_text'] ?? ''),
        ];
    }

    private static function rise(mixed $rise): string
    {
        if (! is_array($rise)) {
            return 'No product is expected to sell more next month than in the last 30 days.';
        }
        $name = self::name($rise);

        return "Largest rise: {$name}, " . Figures::units((float) $rise['units']) . ' units ('
            . (($rise['rise'] ?? 0) >= 0 ? '+' : '−') . Figures::units(abs((float) ($rise['rise'] ?? 0)))
            . ' on the last 30 days\' ' . Figures::units((float) $rise['previous'])
            . (Figures::change($rise['change'] ?? null) === '' ? '' : ', ' . Figures::change($rise['change'])) . ').';
    }

    /**
     * @param array<string, mixed> $product
     * @return array<string, string>
     */
    private static function product(array $product): array
    {
        $method = (string) ($product['method'] ?? '');

        return [
            'name' => self::name($product),
            'units' => Figures::units((float) $product['units']),
            'change' => Figures::changeOrNew(
                $product['change'] ?? null,
                $product['previous'] ?? 0,
                $product['units'] ?? 0,
            ),
            'direction' => Figures::direction($product['change'] ?? null),
            // how it was forecast, said so (a product with little history, or none lately)
            'note' => trim(implode(' · ', array_filter([
                isset($product['lower'], $product['upper']) ? 'likely ' . Figures::units((float) $product['lower'])
                    . ' – ' . Figures::units((float) $product['upper']) : '',
                (string) ($product['method_note'] ?? $method),
            ]))),
        ];
    }

    /** @param array<string, mixed> $product "Aktina Pro 15"; "Pro bundle (Aktina Pro 15)" when the model differs */
    public static function name(array $product): string
    {
        $name = (string) ($product['name'] ?? '');
        $model = (string) ($product['model'] ?? '');

        return $model === '' || $model === $name ? $name : "{$name} ({$model})";
    }

    /** @param array<string, mixed> $quality */
    private static function quality(array $quality): string
    {
        if (! isset($quality['orders'], $quality['lines'])) {
            return '';
        }
        $counted = (array) ($quality['problems'] ?? []);
        $problems = array_filter($counted, static fn (mixed $n): bool => is_int($n) && $n > 0);
        $words = 'Read from ' . Figures::units((float) $quality['lines']) . ' item lines of '
            . Figures::units((float) $quality['orders']) . ' orders';
        if ($problems === []) {
            return "{$words}; every line could be read.";
        }
        $parts = [];
        foreach ($problems as $problem => $n) {
            $parts[] = Figures::units((float) $n) . ' ' . Figures::label((string) $problem);
        }

        return "{$words}; problems counted (they never stop training): " . implode(', ', $parts) . '.';
    }
}
