<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\View;

use Aktina\MlLaravel\Answer;

/**
 * What the customer-segmentation widget shows, from GET /segments: its state in words, the
 * API's chart data for each chart (pie, performance bar, one bar chart per demographic
 * dimension), the segment list and the model's quality figures.
 */
final class SegmentationView
{
    /**
     * @param array<string, mixed> $charts the API's `charts` object
     * @param list<array{id: int, label: string, name: string, description: string, share: string}> $segments
     * @param array<string, string> $metrics
     */
    private function __construct(
        public readonly string $state,
        public readonly string $notice,
        public readonly string $meta = '',
        public readonly array $charts = [],
        public readonly array $segments = [],
        public readonly array $metrics = [],
    ) {
    }

    public static function fromAnswer(Answer $answer): self
    {
        $notice = Notice::words($answer, 'segmentation');
        if (! $answer->ok()) {
            return new self(Notice::state($answer), $notice);
        }
        $body = $answer->data;
        $segments = array_map(static fn (array $s): array => [
            'id' => (int) $s['id'],
            'label' => 'S' . $s['id'],
            'name' => (string) $s['name'],
            'description' => (string) ($s['description'] ?? ''),
            'share' => round(100 * (float) ($s['share'] ?? 0)) . '%',
        ], $body['segments'] ?? []);
        if ($segments === [] || ! isset($body['charts']['distribution'])) {
            return new self('no-data', trim('No data: the segmentation model has no segments. ' . $notice));
        }
        $metrics = ['segments (k)' => (string) $body['k']];
        foreach (['retailers', 'silhouette', 'heldout_accuracy', 'majority_class_accuracy'] as $key) {
            if (isset($body['metrics'][$key]) && is_scalar($body['metrics'][$key])) {
                $metrics[str_replace('_', ' ', $key)] = (string) $body['metrics'][$key];
            }
        }

        return new self(
            Notice::state($answer),
            $notice,
            "{$body['k']} segments · model {$body['model_version']}"
                . ' · trained ' . Notice::at((string) $body['trained_at']),
            $body['charts'],
            $segments,
            $metrics,
        );
    }

    public function hasCharts(): bool
    {
        return $this->charts !== [];
    }

    /** @return list<array<string, mixed>> one chart per demographic dimension */
    public function demographics(): array
    {
        return $this->charts['demographics'] ?? [];
    }

    /** JSON of one chart's data for the data-aktina-ml-data attribute ($name: distribution | performance). */
    public function chartJson(string $name): string
    {
        return Json::encode($this->charts[$name] ?? null);
    }
}
