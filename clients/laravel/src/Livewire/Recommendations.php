<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Livewire;

use Aktina\MlLaravel\View\RecommendationsView;
use Livewire\Component;

/** <livewire:aktina-ml.recommendations />: the recommendations card, from GET /summary. */
final class Recommendations extends Component
{
    use ReadsSummary;

    private const VIEW = 'aktina-ml::livewire.recommendations';
    private const MODEL = RecommendationsView::class;
}
