{{-- $view: Aktina\MlLaravel\View\SegmentationView --}}
<section class="aktina-ml-panel" data-aktina-ml-panel="segments" data-state="{{ $view->state }}">
    @include('aktina-ml::partials.poll')
    <h3>Customer segments</h3>
    <p class="aktina-ml-updated" data-aktina-ml-updated>{{ $updated }}</p>
    <p class="aktina-ml-status" role="status">{{ $view->notice }}</p>
    <p class="aktina-ml-loading" wire:loading>Loading segments …</p>
    @if ($view->hasCharts())
        <p class="aktina-ml-meta">{{ $view->meta }}</p>
        <div class="aktina-ml-grid">
            <figure>
                <figcaption>Segment distribution</figcaption>
                <div class="aktina-ml-chart" id="aktina-ml-distribution" data-aktina-ml-chart="distribution" data-aktina-ml-data="{{ $view->chartJson('distribution') }}"><div wire:ignore data-aktina-ml-canvas></div></div>
            </figure>
            <figure>
                <figcaption>Segment performance: volume mix and average sales</figcaption>
                <div class="aktina-ml-chart" id="aktina-ml-performance" data-aktina-ml-chart="performance" data-aktina-ml-data="{{ $view->chartJson('performance') }}"><div wire:ignore data-aktina-ml-canvas></div></div>
            </figure>
        </div>
        <div class="aktina-ml-grid aktina-ml-demographics">
            @foreach ($view->demographics() as $chart)
                <figure data-dimension="{{ $chart['dimension'] }}">
                    <figcaption>{{ $chart['title'] }} per segment</figcaption>
                    <div class="aktina-ml-chart" id="aktina-ml-demographics-{{ $chart['dimension'] }}" data-aktina-ml-chart="demographics" data-aktina-ml-data="{{ \Aktina\MlLaravel\View\Json::encode($chart) }}"><div wire:ignore data-aktina-ml-canvas></div></div>
                </figure>
            @endforeach
        </div>
        <ol class="aktina-ml-segments">
            @foreach ($view->segments as $segment)
                <li><strong>{{ $segment['label'] }}</strong> {{ $segment['name'] }} ({{ $segment['share'] }})<br>{{ $segment['description'] }}</li>
            @endforeach
        </ol>
        <dl class="aktina-ml-metrics">
            @foreach ($view->metrics as $label => $value)
                <div><dt>{{ $label }}</dt><dd>{{ $value }}</dd></div>
            @endforeach
        </dl>
    @endif
</section>
