{{-- $view: Aktina\MlLaravel\View\ForecastView --}}
<section class="aktina-ml-panel" data-aktina-ml-panel="forecast" data-state="{{ $view->state }}" data-selection="{{ $view->selection->key() }}">
    @include('aktina-ml::partials.poll')
    <h3>Sales forecast</h3>
    <p class="aktina-ml-updated" data-aktina-ml-updated>{{ $updated }}</p>
    @include('aktina-ml::partials.forecast-selection', ['selection' => $view->selection])
    <p class="aktina-ml-status" role="status">{{ $view->notice }}</p>
    <p class="aktina-ml-loading" wire:loading>Loading the forecast …</p>
    @if ($view->hasChart())
        <p class="aktina-ml-meta">{{ $view->meta }}</p>
        <p class="aktina-ml-period">{{ $view->period }}</p>
        <div class="aktina-ml-chart" id="aktina-ml-forecast" data-aktina-ml-chart="forecast" data-aktina-ml-data="{{ $view->chartJson() }}" data-selection="{{ $view->selection->key() }}"><div wire:ignore data-aktina-ml-canvas></div></div>
        <dl class="aktina-ml-metrics">
            @foreach ($view->metrics as $label => $value)
                <div><dt>{{ $label }}</dt><dd>{{ $value }}</dd></div>
            @endforeach
        </dl>
    @endif
</section>
