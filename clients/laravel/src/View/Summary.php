<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\View;

use Aktina\MlLaravel\Answer;

/**
 * One GET /summary answer as every summary widget starts from it: the panel's state and
 * notice (the same as every other widget's), and the body when there is one.
 */
final class Summary
{
    /** @param array<string, mixed>|null $body */
    private function __construct(
        public readonly string $state,
        public readonly string $notice,
        public readonly ?array $body,
    ) {
    }

    public static function of(Answer $answer): self
    {
        $body = $answer->ok() ? $answer->data : null;

        return new self(Notice::state($answer), Notice::words($answer, 'forecast'), $body);
    }

    /** @return array<string, mixed> one section of the answer ([] when absent) */
    public function section(string $name): array
    {
        $section = $this->body[$name] ?? null;

        return is_array($section) ? $section : [];
    }

    /** "sales to 6 Dec 2026 · forecast model 2026…": what every summary figure rests on. */
    public function basis(bool $withDemand = false): string
    {
        $versions = $this->section('versions');
        $words = isset($this->body['as_of']) ? 'sales to ' . Figures::day((string) $this->body['as_of']) : '';
        if (isset($versions['forecast'])) {
            $words .= " · forecast model {$versions['forecast']}";
        }
        if ($withDemand && isset($versions['demand'])) {
            $words .= " · demand model {$versions['demand']}";
        }

        return ltrim($words, ' ·');
    }

    /** The stale or trouble notice followed by the section's own words. */
    public function notice(string $own): string
    {
        return trim("{$own} {$this->notice}");
    }
}
