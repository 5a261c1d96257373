<?php

declare(strict_types=1);

namespace Aktina\MlLaravel;

/** What refresh() warmed and what failed, entry by entry. */
final class RefreshReport
{
    /** @var array<string, Answer> */
    private array $answers = [];

    public function add(string $entry, Answer $answer): void
    {
        $this->answers[$entry] = $answer;
    }

    /** @return array<string, Answer> */
    public function answers(): array
    {
        return $this->answers;
    }

    /** @return array<string, Answer> the entries that got no fresh answer (stale ones included) */
    public function failures(): array
    {
        return array_filter($this->answers, static fn (Answer $a): bool => $a->state !== Answer::FRESH);
    }

    public function ok(): bool
    {
        return $this->failures() === [];
    }

    /** @return list<string> one line per entry */
    public function lines(): array
    {
        $lines = [];
        foreach ($this->answers as $entry => $answer) {
            if ($answer->state === Answer::FRESH) {
                $lines[] = "ok      {$entry}";
                continue;
            }
            $status = $answer->status ? " ({$answer->status})" : '';
            $stale = $answer->isStale()
                ? " — the cached answer ({$answer->ageSeconds} s old) keeps being served"
                : '';
            $lines[] = "FAILED  {$entry}: {$answer->state}{$status}: {$answer->problem}{$stale}";
        }

        return $lines;
    }
}
