<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Livewire;

use Aktina\MlLaravel\Answer;
use Aktina\MlLaravel\Insights;
use Aktina\MlLaravel\View\AccuracyView;
use Illuminate\Contracts\View\View;
use Livewire\Component;

/** <livewire:aktina-ml.forecast-accuracy />: the lead selector is a wire:model.live property. */
final class ForecastAccuracy extends Component
{
    use PollsForUpdates;

    public int $leadDays = 7;

    public function mount(): void
    {
        $this->leadDays = (int) config('aktina-ml.default_lead', 7);
    }

    public function render(): View
    {
        $answer = $this->answer(app(Insights::class));

        return view('aktina-ml::livewire.forecast-accuracy', [
            'view' => AccuracyView::fromAnswer($answer, $this->lead(), $this->leads()),
        ] + $this->freshness($answer));
    }

    protected function answer(Insights $insights): Answer
    {
        return $insights->forecastAccuracy($this->lead());
    }

    /** @return list<int> */
    private function leads(): array
    {
        return config('aktina-ml.accuracy_leads', [7, 30, 90]);
    }

    /** The chosen lead, or the default when it is not one of the choices. */
    private function lead(): int
    {
        $default = (int) config('aktina-ml.default_lead', 7);

        return in_array($this->leadDays, $this->leads(), true) ? $this->leadDays : $default;
    }
}
