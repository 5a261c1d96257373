<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\View;

use Aktina\MlLaravel\Answer;
use Aktina\MlLaravel\Insights;

/**
 * What the forecast-accuracy card shows, from GET /forecast/accuracy: the lead selector, its
 * state in words, the API's chart data (actual sales against the forecast made N days before,
 * with its band) or why there is none yet, each lead's MASE and interval coverage in words,
 * and the drift verdict in words.
 */
final class AccuracyView
{
    public const DRIFT = 'drift';
    public const NO_DRIFT = 'no-drift';
    public const NOT_JUDGED = 'not-judged';

    /**
     * @param list<int> $leads
     * @param array<string, mixed>|null $chart the API's `chart` object (null: nothing to compare yet)
     * @param list<array{lead: int, value: string, meaning: string}> $summary one entry per lead
     */
    private function __construct(
        public readonly int $leadDays,
        public readonly array $leads,
        public readonly string $state,
        public readonly string $notice,
        public readonly string $meta = '',
        public readonly ?array $chart = null,
        public readonly int $points = 0,
        public readonly string $empty = '',
        public readonly array $summary = [],
        public readonly string $drift = self::NOT_JUDGED,
        public readonly string $driftWords = '',
    ) {
    }

    /**
     * The accuracy at one lead; a lead not offered falls back to the default.
     *
     * @param list<int> $leads
     */
    public static function make(
        Insights $insights,
        int $leadDays,
        array $leads = [7, 30, 90],
        int $defaultLead = 7,
    ): self {
        $leadDays = in_array($leadDays, $leads, true) ? $leadDays : $defaultLead;

        return self::fromAnswer($insights->forecastAccuracy($leadDays), $leadDays, $leads);
    }

    /** @param list<int> $leads */
    public static function fromAnswer(Answer $answer, int $leadDays, array $leads = [7, 30, 90]): self
    {
        $notice = Notice::words($answer, 'forecast');
        if (! $answer->ok()) {
            return new self($leadDays, $leads, Notice::state($answer), $notice);
        }
        $body = $answer->data;
        $dates = $body['comparison']['dates'] ?? [];
        $kept = (int) ($body['archived_forecasts'] ?? 0);
        $band = self::bandWidth($body['chart'] ?? []);
        $meta = "{$kept} earlier " . ($kept === 1 ? 'forecast' : 'forecasts') . ' kept';
        if ($dates !== []) {
            $meta .= ' · ' . count($dates) . " days compared with the forecast made {$leadDays} days before,"
                . " from {$dates[0]} to " . end($dates);
        }
        [$drift, $driftWords] = self::driftVerdict($body['drift'] ?? []);

        return new self(
            $leadDays,
            $leads,
            Notice::state($answer),
            $notice,
            "{$meta} · model {$body['model_version']} · trained " . Notice::at((string) $body['trained_at']),
            $dates === [] ? null : $body['chart'],
            count($dates),
            $dates === [] ? self::nothingToCompare($kept, $leadDays) : '',
            self::summary($body['summary'] ?? [], $body['leads'] ?? $leads, $band),
            $drift,
            $driftWords,
        );
    }

    /**
     * The drift verdict and its sentence.
     *
     * @param array<string, mixed> $drift the API's `drift` object (also in GET /health)
     * @return array{0: string, 1: string}
     */
    public static function driftVerdict(array $drift): array
    {
        $reason = (string) ($drift['reason'] ?? 'no earlier forecasts yet');
        if (($drift['detected'] ?? false) === true) {
            return [self::DRIFT, "Drift: the recent forecasts do worse than their backtest promised ({$reason})."
                . ' Look at recent sales for a change the model has not seen; the next training refits on it.'];
        }
        if (isset($drift['recent_mase'])) {
            return [
                self::NO_DRIFT,
                "No drift: the recent forecasts do as well as their backtest promised ({$reason}).",
            ];
        }

        return [self::NOT_JUDGED, "Drift not judged yet: {$reason}."];
    }

    /**
     * Each lead's MASE and interval coverage in words.
     *
     * @param array<string, mixed> $summary the API's `summary`: lead → {forecasts, mase, coverage} or null
     * @param list<int> $leads
     * @return list<array{lead: int, value: string, meaning: string}>
     */
    public static function summary(array $summary, array $leads, ?int $band): array
    {
        $bandName = $band === null ? 'band' : "{$band}% band";

        return array_map(static function (int $lead) use ($summary, $bandName, $band): array {
            $s = $summary[(string) $lead] ?? null;
            if (! is_array($s)) {
                return ['lead' => $lead, 'value' => 'not scored yet',
                    'meaning' => "No earlier forecast has all of its first {$lead} days of actual sales yet."];
            }
            $mase = (float) $s['mase'];
            $ratio = $mase <= 1 ? round(100 * (1 - $mase)) . '% smaller' : round(100 * ($mase - 1)) . '% larger';
            $coverage = round(100 * (float) $s['coverage']) . '%';
            $forecasts = (int) $s['forecasts'];
            $earlier = $forecasts === 1 ? 'earlier forecast' : 'earlier forecasts';
            $should = $band === null ? '.' : " (it should on {$band}%).";

            return [
                'lead' => $lead,
                'value' => 'MASE ' . number_format($mase, 2) . " · {$bandName} held {$coverage} of days",
                'meaning' => "Over the first {$lead} days of {$forecasts} {$earlier}: errors {$ratio}"
                    . " than repeating the last week's sales had on the training history;"
                    . " the {$bandName} held the real sales on {$coverage} of days{$should}",
            ];
        }, $leads);
    }

    private static function nothingToCompare(int $kept, int $leadDays): string
    {
        if ($kept === 0) {
            return 'No earlier forecast yet: this is the first forecast trained on these sales. Each training keeps the'
                . ' forecast it replaces; once one has days of actual sales behind it, this chart compares them.';
        }

        return "No forecast made {$leadDays} days before a day with known sales yet: the {$kept} earlier "
            . ($kept === 1 ? 'forecast' : 'forecasts') . ' started too recently.'
            . ' Choose a shorter lead, or look again after more days of sales.';
    }

    /** @param array<string, mixed> $chart "80% interval" → 80 */
    private static function bandWidth(array $chart): ?int
    {
        $name = (string) ($chart['series'][2]['name'] ?? '');

        return preg_match('/^(\d+)%/', $name, $m) === 1 ? (int) $m[1] : null;
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
