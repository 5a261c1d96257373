<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Livewire;

use Aktina\MlLaravel\Insights;
use Aktina\MlLaravel\View\AccuracyView;
use Illuminate\Contracts\View\View;
use Livewire\Component;

/** <livewire:aktina-ml.forecast-accuracy />: the lead selector is a wire:model.live property. */
final class ForecastAccuracy extends Component
{
    public int $leadDays = 7;

    public function mount(): void
    {
        $this->leadDays = (int) config('aktina-ml.default_lead', 7);
    }

    public function render(): View
    {
        return view('aktina-ml::livewire.forecast-accuracy', [
            'view' => AccuracyView::make(
                app(Insights::class),
                $this->leadDays,
                config('aktina-ml.accuracy_leads', [7, 30, 90]),
                (int) config('aktina-ml.default_lead', 7),
            ),
        ]);
    }
}
