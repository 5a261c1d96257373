{{-- $view: Aktina\MlLaravel\View\SegmentForecastView --}}
<section class="aktina-ml-panel" data-aktina-ml-panel="segment-forecasts" data-state="{{ $view->state }}" data-selection="{{ $view->selection->key() }}">
    @include('aktina-ml::partials.poll')
    <h3>Segment performance: each segment's forecast</h3>
    <p class="aktina-ml-updated" data-aktina-ml-updated>{{ $updated }}</p>
    @include('aktina-ml::partials.forecast-selection', ['selection' => $view->selection])
    <p class="aktina-ml-status" role="status">{{ $view->notice }}</p>
    <p class="aktina-ml-loading" wire:loading>Loading the segment forecasts …</p>
    @if ($view->hasChart())
        <p class="aktina-ml-meta">{{ $view->meta }}</p>
        <p class="aktina-ml-period">{{ $view->period }}</p>
        <div class="aktina-ml-chart" id="aktina-ml-segment-forecasts" data-aktina-ml-chart="segmentForecasts" data-aktina-ml-data="{{ $view->chartJson() }}" data-selection="{{ $view->selection->key() }}"><div wire:ignore data-aktina-ml-canvas></div></div>
        <p class="aktina-ml-reconciliation">{{ $view->reconciliation }}</p>
    @endif
</section>
