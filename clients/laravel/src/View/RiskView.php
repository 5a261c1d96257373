<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\View;

use Aktina\MlLaravel\Answer;

/**
 * The risk card, from GET /summary's `risk`: the level (low, medium, high) and each reason
 * behind it, a measured fact in the API's words with the figures it rests on.
 */
final class RiskView
{
    public const LEVELS = ['low' => 'Low', 'medium' => 'Medium', 'high' => 'High'];

    /** @param list<array{code: string, level: string, text: string, figures: string}> $reasons */
    private function __construct(
        public readonly string $state,
        public readonly string $notice,
        public readonly string $level = '',
        public readonly array $reasons = [],
        public readonly string $meta = '',
    ) {
    }

    public static function fromAnswer(Answer $answer): self
    {
        $summary = Summary::of($answer);
        if ($summary->body === null) {
            return new self($summary->state, $summary->notice);
        }
        $risk = $summary->section('risk');
        $level = (string) ($risk['level'] ?? '');
        if (! isset(self::LEVELS[$level])) {
            return new self('no-data', $summary->notice('No risk level in the answer.'));
        }
        $reasons = array_map(static fn (array $reason): array => [
            'code' => (string) ($reason['code'] ?? ''),
            'level' => (string) ($reason['level'] ?? ''),
            'text' => (string) ($reason['text'] ?? ''),
            'figures' => self::figures($reason['figures'] ?? []),
        ], array_values(array_filter($risk['reasons'] ?? [], 'is_array')));

        return new self($summary->state, $summary->notice, $level, $reasons, $summary->basis(true));
    }

    /** "top5 share 46 % · buyers 142": the figures a reason or a rule rests on. */
    public static function figures(mixed $figures): string
    {
        if (! is_array($figures)) {
            return '';
        }
        $words = [];
        foreach ($figures as $key => $value) {
            if (is_scalar($value)) {
                $words[] = Figures::label((string) $key) . ' ' . Figures::figure((string) $key, $value);
            }
        }

        return implode(' · ', $words);
    }

    public function levelWords(): string
    {
        return self::LEVELS[$this->level] ?? '';
    }

    /** What the level means when no reason stands behind it. */
    public function none(): string
    {
        return $this->reasons === [] ? 'No measured fact points to a risk: no drift, no drop beyond the interval, no'
            . ' concentration in few retailers, no stale or refused model, no product outgrowing its sales.' : '';
    }
}
