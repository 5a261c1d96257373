<?php

declare(strict_types=1);

namespace Livewire;

/** Test-only stand-in for Livewire 3's base class (Livewire is not installable here). */
abstract class Component
{
    /** Set by skipRender(), as Livewire would then send no new HTML. */
    public bool $renderSkipped = false;

    public function skipRender(): void
    {
        $this->renderSkipped = true;
    }
}
