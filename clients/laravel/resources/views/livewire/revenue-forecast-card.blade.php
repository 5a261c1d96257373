{{-- $view: Aktina\MlLaravel\View\RevenueCardView (replaces the page's "Revenue Forecast" card) --}}
<section class="aktina-ml-panel aktina-ml-card" data-aktina-ml-panel="revenue-forecast" data-state="{{ $view->state }}" data-aktina-ml-dark="{{ $dark }}">
    @include('aktina-ml::partials.poll')
    <h3>Revenue forecast</h3>
    <p class="aktina-ml-updated" data-aktina-ml-updated>{{ $updated }}</p>
    <p class="aktina-ml-status" role="status">{{ $view->notice }}</p>
    <p class="aktina-ml-loading" wire:loading>Loading the revenue forecast …</p>
    @foreach ($view->spans as $i => $span)
        <div class="aktina-ml-span" data-aktina-ml-span="{{ $i === 0 ? 'headline' : 'other' }}">
            <p class="aktina-ml-figure-label">{{ $span['label'] }} <span>{{ $span['dates'] }}</span></p>
            <p class="aktina-ml-figure" data-aktina-ml-figure="revenue">{{ $span['point'] }}</p>
            <p class="aktina-ml-change" data-direction="{{ $span['direction'] }}"><strong>{{ $span['change'] }}</strong> {{ $span['previous'] }}</p>
            <p class="aktina-ml-interval">{{ $span['interval'] }} · {{ $span['change_interval'] }}</p>
            <p class="aktina-ml-certainty"><span class="aktina-ml-badge" data-certainty="{{ $span['certainty'] }}">{{ $span['certainty'] }} certainty</span> {{ $span['certainty_text'] }}</p>
        </div>
    @endforeach
    @if ($view->meta !== '')
        <p class="aktina-ml-meta">{{ $view->meta }}</p>
    @endif
</section>
