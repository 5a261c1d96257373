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
    use ChoosesForecastSelection;

    public function render(): View
    {
        return view('aktina-ml::livewire.sales-prediction', [
            'view' => ForecastView::make(app(Insights::class), $this->selection()),
        ]);
    }
}
