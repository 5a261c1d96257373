{{-- Inside a panel: calls the component's poll() every $poll seconds while the tab is visible,
     whether or not the panel is scrolled into view; a hidden tab sends nothing. (Livewire's own
     wire:poll keeps polling hidden tabs at random 5 % of its ticks, and wire:poll.visible stops
     panels outside the viewport.) Alpine ends the timer when the panel leaves the page. An
     element of its own, never attributes of the panel's tag: Livewire marks every Blade
     condition with comments, which inside a tag would cut it (tests/Unit/ViewTemplatesTest). --}}
@if ($poll > 0)
    <div hidden data-aktina-ml-poll="{{ $poll }}" x-data="{ timer: null, init() { this.timer = setInterval(() => document.hidden || this.$wire.poll(), {{ $poll * 1000 }}) }, destroy() { clearInterval(this.timer) } }"></div>
@endif
