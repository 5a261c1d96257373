<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Livewire;

use Aktina\MlLaravel\Answer;
use Aktina\MlLaravel\Insights;
use Aktina\MlLaravel\View\ForecastView;
use Illuminate\Contracts\View\View;
use Livewire\Component;

/** <livewire:aktina-ml.sales-prediction />: the selectors are wire:model.live properties. */
final class SalesPrediction extends Component
{
    use ChoosesForecastSelection;
    use PollsForUpdates;

    public function render(): View
    {
        $answer = $this->answer(app(Insights::class));

        return view('aktina-ml::livewire.sales-prediction', [
            'view' => ForecastView::fromAnswer($answer, $this->selection()),
        ] + $this->freshness($answer));
    }

    protected function answer(Insights $insights): Answer
    {
        return $insights->forecast($this->selection()->horizonDays, $this->selection()->granularity);
    }
}
