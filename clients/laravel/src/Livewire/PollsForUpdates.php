<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Livewire;

use Aktina\MlLaravel\Answer;
use Aktina\MlLaravel\Insights;
use Aktina\MlLaravel\View\Notice;

/**
 * Real-time updates at near-zero cost: the panel's timer (partials/poll.blade.php) calls poll()
 * every `poll_seconds` while the tab is visible; it revalidates the panel's answer with its ETag
 * (a 304 without a body while the model is unchanged) and skips the re-render then, so nothing
 * is sent or redrawn; a newly promoted model comes back as a new answer and is drawn.
 */
trait PollsForUpdates
{
    /** The version (ETag) of the answer last rendered. */
    public string $seen = '';

    /** The panel's question to the service. */
    abstract protected function answer(Insights $insights): Answer;

    /** @return bool whether the answer changed (and the panel re-renders) */
    public function poll(): bool
    {
        $answer = $this->answer(app(Insights::class)->revalidating());
        if ($answer->state === Answer::FRESH && (string) $answer->etag === $this->seen) {
            $this->skipRender();

            return false;
        }

        return true;
    }

    /** @return array{updated: string, poll: int} what every panel shows and polls with */
    private function freshness(Answer $answer): array
    {
        $this->seen = (string) $answer->etag;

        return ['updated' => Notice::updated($answer), 'poll' => max(0, (int) config('aktina-ml.poll_seconds', 60))];
    }
}
