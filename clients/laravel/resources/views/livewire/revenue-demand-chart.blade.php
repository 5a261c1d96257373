{{-- $view: Aktina\MlLaravel\View\RevenueDemandChartView (replaces the page's "Revenue & Demand Forecasting" chart card) --}}
<section class="aktina-ml-panel" data-aktina-ml-panel="revenue-demand" data-state="{{ $view->state }}" data-aktina-ml-dark="{{ $dark }}">
    @include('aktina-ml::partials.poll')
    <h3>Revenue &amp; demand forecast</h3>
    <p class="aktina-ml-updated" data-aktina-ml-updated>{{ $updated }}</p>
    <p class="aktina-ml-status" role="status">{{ $view->notice }}</p>
    <p class="aktina-ml-loading" wire:loading>Loading the revenue and demand forecast …</p>
    @if ($view->hasChart())
        <p class="aktina-ml-meta">{{ $view->meta }}</p>
        <div class="aktina-ml-chart" id="aktina-ml-revenue-demand" data-aktina-ml-chart="revenueDemand" data-aktina-ml-data="{{ $view->chartJson() }}"><div wire:ignore data-aktina-ml-canvas></div></div>
        <p class="aktina-ml-meta" data-aktina-ml-units>{{ $view->units }}</p>
    @endif
</section>
