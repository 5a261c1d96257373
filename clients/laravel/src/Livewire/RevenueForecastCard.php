<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Livewire;

use Aktina\MlLaravel\View\RevenueCardView;
use Livewire\Component;

/** <livewire:aktina-ml.revenue-forecast-card />: the revenue forecast card (next quarter and next 30 days), from GET /summary. */
final class RevenueForecastCard extends Component
{
    use ReadsSummary;

    private const VIEW = 'aktina-ml::livewire.revenue-forecast-card';
    private const MODEL = RevenueCardView::class;
}
