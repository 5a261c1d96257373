<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Livewire;

use Aktina\MlLaravel\View\RiskView;
use Livewire\Component;

/** <livewire:aktina-ml.risk-card />: the risk card (level and reasons), from GET /summary. */
final class RiskCard extends Component
{
    use ReadsSummary;

    private const VIEW = 'aktina-ml::livewire.risk-card';
    private const MODEL = RiskView::class;
}
