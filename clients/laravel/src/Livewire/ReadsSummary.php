<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Livewire;

use Aktina\MlLaravel\Answer;
use Aktina\MlLaravel\Insights;
use Illuminate\Contracts\View\View;

/**
 * The summary widgets: each reads GET /summary (one cached answer for all six), polls it like
 * every other panel, and renders its view with its view model's `fromAnswer()`.
 */
trait ReadsSummary
{
    use PollsForUpdates;

    public function render(): View
    {
        $answer = $this->answer(app(Insights::class));

        return view(self::VIEW, [
            'view' => (self::MODEL)::fromAnswer($answer),
            'dark' => config('aktina-ml.dark_mode', 'class') === 'media' ? 'media' : 'class',
        ] + $this->freshness($answer));
    }

    protected function answer(Insights $insights): Answer
    {
        return $insights->summary();
    }
}
