{{-- $view: Aktina\MlLaravel\View\RiskView (replaces the page's "Risk Alert" card) --}}
<section class="aktina-ml-panel aktina-ml-card" data-aktina-ml-panel="risk" data-state="{{ $view->state }}" data-level="{{ $view->level }}" data-aktina-ml-dark="{{ $dark }}">
    @include('aktina-ml::partials.poll')
    <h3>Risk</h3>
    <p class="aktina-ml-updated" data-aktina-ml-updated>{{ $updated }}</p>
    <p class="aktina-ml-status" role="status">{{ $view->notice }}</p>
    <p class="aktina-ml-loading" wire:loading>Loading the risk …</p>
    @if ($view->level !== '')
        <p class="aktina-ml-figure-label">Risk level</p>
        <p class="aktina-ml-figure aktina-ml-level" data-aktina-ml-figure="risk" data-level="{{ $view->level }}">{{ $view->levelWords() }}</p>
        <ul class="aktina-ml-reasons">
            @foreach ($view->reasons as $reason)
                <li data-code="{{ $reason['code'] }}" data-level="{{ $reason['level'] }}"><span class="aktina-ml-badge" data-level="{{ $reason['level'] }}">{{ $reason['level'] }}</span> {{ $reason['text'] }} <span class="aktina-ml-note">{{ $reason['figures'] }}</span></li>
            @endforeach
        </ul>
        @if ($view->none() !== '')
            <p class="aktina-ml-empty">{{ $view->none() }}</p>
        @endif
        <p class="aktina-ml-meta">{{ $view->meta }}</p>
    @endif
</section>
