<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Livewire;

use Aktina\MlLaravel\Answer;
use Aktina\MlLaravel\Insights;
use Aktina\MlLaravel\View\SegmentForecastView;
use Illuminate\Contracts\View\View;
use Livewire\Component;

/** <livewire:aktina-ml.segment-forecasts />: the selectors are wire:model.live properties. */
final class SegmentForecasts extends Component
{
    use ChoosesForecastSelection;
    use PollsForUpdates;

    public function render(): View
    {
        $answer = $this->answer(app(Insights::class));

        return view('aktina-ml::livewire.segment-forecasts', [
            'view' => SegmentForecastView::fromAnswer($answer, $this->selection()),
        ] + $this->freshness($answer));
    }

    protected function answer(Insights $insights): Answer
    {
        return $insights->segmentForecasts($this->selection()->horizonDays, $this->selection()->granularity);
    }
}
