<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Livewire;

use Aktina\MlLaravel\View\DemandCardView;
use Livewire\Component;

/** <livewire:aktina-ml.demand-forecast-card />: the demand card (units next month, the largest rise), from GET /summary. */
final class DemandForecastCard extends Component
{
    use ReadsSummary;

    private const VIEW = 'aktina-ml::livewire.demand-forecast-card';
    private const MODEL = DemandCardView::class;
}
