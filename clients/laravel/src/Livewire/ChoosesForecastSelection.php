<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Livewire;

use Aktina\MlLaravel\View\Selection;

/** The forecast widgets' horizon and granularity selectors, as wire:model.live properties. */
trait ChoosesForecastSelection
{
    /** Livewire 3 casts the select's string value to int for a typed property (IntSynth). */
    public int $horizonDays = 90;

    public string $granularity = 'day';

    public function mount(): void
    {
        $this->horizonDays = (int) config('aktina-ml.default_horizon', 90);
        $this->granularity = (string) config('aktina-ml.default_granularity', 'day');
    }

    private function selection(): Selection
    {
        return Selection::fromConfig($this->horizonDays, $this->granularity);
    }
}
