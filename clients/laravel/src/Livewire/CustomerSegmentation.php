<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Livewire;

use Aktina\MlLaravel\Insights;
use Aktina\MlLaravel\View\SegmentationView;
use Illuminate\Contracts\View\View;
use Livewire\Component;

/** <livewire:aktina-ml.customer-segmentation />: thin; the view model does the work. */
final class CustomerSegmentation extends Component
{
    public function render(): View
    {
        return view('aktina-ml::livewire.customer-segmentation', [
            'view' => SegmentationView::fromAnswer(app(Insights::class)->segments()),
        ]);
    }
}
