<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Livewire;

use Aktina\MlLaravel\View\TrendsView;
use Livewire\Component;

/** <livewire:aktina-ml.market-trends />: the market trends card, from GET /summary. */
final class MarketTrends extends Component
{
    use ReadsSummary;

    private const VIEW = 'aktina-ml::livewire.market-trends';
    private const MODEL = TrendsView::class;
}
