{{-- $view: Aktina\MlLaravel\View\TrendsView (replaces the page's "Market Trends" card) --}}
<section class="aktina-ml-panel aktina-ml-card" data-aktina-ml-panel="market-trends" data-state="{{ $view->state }}" data-aktina-ml-dark="{{ $dark }}">
    @include('aktina-ml::partials.poll')
    <h3>Market trends</h3>
    <p class="aktina-ml-updated" data-aktina-ml-updated>{{ $updated }}</p>
    <p class="aktina-ml-status" role="status">{{ $view->notice }}</p>
    <p class="aktina-ml-loading" wire:loading>Loading the market trends …</p>
    @if ($view->window !== '')
        <p class="aktina-ml-period">{{ $view->window }}</p>
    @endif
    @if ($view->segments !== [])
        <h4>Segments that grew or fell most (sales)</h4>
        <ol class="aktina-ml-rows" data-aktina-ml-rows="segments">
            @foreach ($view->segments as $row)
                <li><span class="aktina-ml-row-name">{{ $row['name'] }}</span> <strong class="aktina-ml-change" data-direction="{{ $row['direction'] }}">{{ $row['change'] }}</strong> <span class="aktina-ml-note">{{ $row['current'] }} against {{ $row['previous'] }}</span></li>
            @endforeach
        </ol>
    @endif
    @if ($view->products !== [])
        <h4>Products that grew or fell most (units)</h4>
        <ol class="aktina-ml-rows" data-aktina-ml-rows="products">
            @foreach ($view->products as $row)
                <li><span class="aktina-ml-row-name">{{ $row['name'] }}</span> <strong class="aktina-ml-change" data-direction="{{ $row['direction'] }}">{{ $row['change'] }}</strong> <span class="aktina-ml-note">{{ $row['current'] }} against {{ $row['previous'] }}</span></li>
            @endforeach
        </ol>
    @endif
    @if ($view->meta !== '')
        <p class="aktina-ml-meta">{{ $view->meta }}</p>
    @endif
</section>
