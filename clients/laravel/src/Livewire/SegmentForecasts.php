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
    use ChoosesForecastSelection;

    public function render(): View
    {
        return view('aktina-ml::livewire.segment-forecasts', [
            'view' => SegmentForecastView::make(app(Insights::class), $this->selection()),
        ]);
    }
}
