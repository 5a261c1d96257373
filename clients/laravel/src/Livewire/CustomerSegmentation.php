<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Livewire;

use Aktina\MlLaravel\Answer;
use Aktina\MlLaravel\Insights;
use Aktina\MlLaravel\View\SegmentationView;
use Illuminate\Contracts\View\View;
use Livewire\Component;

/** <livewire:aktina-ml.customer-segmentation />: thin; the view model does the work. */
final class CustomerSegmentation extends Component
{
    use PollsForUpdates;

    public function render(): View
    {
        $answer = $this->answer(app(Insights::class));

        return view('aktina-ml::livewire.customer-segmentation', [
            'view' => SegmentationView::fromAnswer($answer),
        ] + $this->freshness($answer));
    }

    protected function answer(Insights $insights): Answer
    {
        return $insights->segments();
    }
}
