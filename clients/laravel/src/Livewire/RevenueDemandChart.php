<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Livewire;

use Aktina\MlLaravel\View\RevenueDemandChartView;
use Livewire\Component;

/** <livewire:aktina-ml.revenue-demand-chart />: the Revenue & Demand chart, from GET /summary. */
final class RevenueDemandChart extends Component
{
    use ReadsSummary;

    private const VIEW = 'aktina-ml::livewire.revenue-demand-chart';
    private const MODEL = RevenueDemandChartView::class;
}
