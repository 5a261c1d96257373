<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Livewire;

use Aktina\MlLaravel\Insights;
use Aktina\MlLaravel\View\SegmentForecastView;
use Illuminate\Contracts\View\View;
use Livewire\Component;

/** <livewire:aktina-ml.segment-forecasts />: the selectors are wire:model.live properties. */
final class SegmentForecasts extends Component
{
    public int $horizonDays = 90;

    public string $granularity = 'day';

    public function mount(): void
    {
        $this->horizonDays = (int) config('aktina-ml.default_horizon', 90);
        $this->granularity = (string) config('aktina-ml.default_granularity', 'day');
    }

    public function render(): View
    {
        return view('aktina-ml::livewire.segment-forecasts', [
            'view' => SegmentForecastView::make(
                app(Insights::class),
                $this->horizonDays,
                $this->granularity,
                config('aktina-ml.horizons'),
                config('aktina-ml.granularities'),
                (int) config('aktina-ml.default_horizon'),
                (string) config('aktina-ml.default_granularity'),
            ),
        ]);
    }
}
