{{-- $view: Aktina\MlLaravel\View\RecommendationsView (replaces the page's "AI Recommendations" card) --}}
<section class="aktina-ml-panel aktina-ml-card" data-aktina-ml-panel="recommendations" data-state="{{ $view->state }}" data-aktina-ml-dark="{{ $dark }}">
    @include('aktina-ml::partials.poll')
    <h3>Recommendations</h3>
    <p class="aktina-ml-updated" data-aktina-ml-updated>{{ $updated }}</p>
    <p class="aktina-ml-status" role="status">{{ $view->notice }}</p>
    <p class="aktina-ml-loading" wire:loading>Loading the recommendations …</p>
    @if ($view->items !== [])
        <ul class="aktina-ml-recommendations">
            @foreach ($view->items as $item)
                <li data-code="{{ $item['code'] }}">{{ $item['text'] }} <span class="aktina-ml-note">Rests on: {{ $item['figures'] }}</span></li>
            @endforeach
        </ul>
    @endif
    @if ($view->empty !== '')
        <p class="aktina-ml-empty">{{ $view->empty }}</p>
    @endif
    @if ($view->meta !== '')
        <p class="aktina-ml-meta">{{ $view->meta }}</p>
    @endif
</section>
