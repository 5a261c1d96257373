{{-- $view: Aktina\MlLaravel\View\DemandCardView (replaces the page's "Demand Prediction" card) --}}
<section class="aktina-ml-panel aktina-ml-card" data-aktina-ml-panel="demand-forecast" data-state="{{ $view->state }}" data-aktina-ml-dark="{{ $dark }}">
    @include('aktina-ml::partials.poll')
    <h3>Demand forecast</h3>
    <p class="aktina-ml-updated" data-aktina-ml-updated>{{ $updated }}</p>
    <p class="aktina-ml-status" role="status">{{ $view->notice }}</p>
    <p class="aktina-ml-loading" wire:loading>Loading the demand forecast …</p>
    @if ($view->month !== [])
        <div class="aktina-ml-span" data-aktina-ml-span="headline">
            <p class="aktina-ml-figure-label">Units next month</p>
            <p class="aktina-ml-figure" data-aktina-ml-figure="units">{{ $view->month['units'] }}</p>
            <p class="aktina-ml-change" data-direction="{{ $view->month['direction'] }}"><strong>{{ $view->month['change'] }}</strong> {{ $view->month['previous'] }}</p>
            <p class="aktina-ml-certainty"><span class="aktina-ml-badge" data-certainty="{{ $view->month['certainty'] }}">{{ $view->month['certainty'] }} certainty</span> {{ $view->month['certainty_text'] }}</p>
        </div>
        <p class="aktina-ml-rise">{{ $view->rise }}</p>
        <ol class="aktina-ml-rows" data-aktina-ml-rows="products">
            @foreach ($view->products as $product)
                <li><span class="aktina-ml-row-name">{{ $product['name'] }}</span> <strong>{{ $product['units'] }}</strong> <span class="aktina-ml-change" data-direction="{{ $product['direction'] }}">{{ $product['change'] }}</span> <span class="aktina-ml-note">{{ $product['note'] }}</span></li>
            @endforeach
        </ol>
        <p class="aktina-ml-meta">{{ $view->quality }}</p>
        <p class="aktina-ml-meta">{{ $view->meta }}</p>
    @endif
</section>
