<?php

declare(strict_types=1);

namespace Livewire;

/** Test-only stand-in for Livewire 3's base class (Livewire is not installable here). */
abstract class Component
{
}
