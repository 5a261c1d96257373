<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Livewire;

use Aktina\MlLaravel\Insights;
use Aktina\MlLaravel\View\ForecastView;
use Illuminate\Contracts\View\View;
use Livewire\Component;

/** <livewire:aktina-ml.sales-prediction />: the selectors are wire:model.live properties. */
final class SalesPrediction extends Component
{
    /** Livewire 3 casts the select's string value to int for a typed property (IntSynth). */
    public int $horizonDays = 90;

    public string $granularity = 'day';

    public function mount(): void
    {
        $this->horizonDays = (int) config('aktina-ml.default_horizon', 90);
        $this->granularity = (string) config('aktina-ml.default_granularity', 'day');
    }

    public function render(): View
    {
        return view('aktina-ml::livewire.sales-prediction', [
            'view' => ForecastView::make(
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
