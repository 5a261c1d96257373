{{-- $view: Aktina\MlLaravel\View\ForecastView --}}
<section class="aktina-ml-panel" data-aktina-ml-panel="forecast" data-state="{{ $view->state }}" data-selection="{{ $view->selection() }}">
    <h3>Sales forecast</h3>
    <form class="aktina-ml-controls" wire:submit.prevent onsubmit="return false">
        <label>Horizon
            <select name="horizon_days" wire:model.live="horizonDays">
                @foreach ($view->horizons as $horizon)
                    <option value="{{ $horizon }}" {{ $horizon === $view->horizonDays ? 'selected' : '' }}>{{ $horizon }} days</option>
                @endforeach
            </select>
        </label>
        <span>By
            @foreach ($view->granularities as $granularity)
                <label><input type="radio" name="granularity" value="{{ $granularity }}" wire:model.live="granularity" {{ $granularity === $view->granularity ? 'checked' : '' }}> {{ $granularity }}</label>
            @endforeach
        </span>
    </form>
    <p class="aktina-ml-status" role="status">{{ $view->notice }}</p>
    <p class="aktina-ml-loading" wire:loading>Loading the forecast …</p>
    @if ($view->hasChart())
        <p class="aktina-ml-meta">{{ $view->meta }}</p>
        <p class="aktina-ml-period">{{ $view->period }}</p>
        <div class="aktina-ml-chart" id="aktina-ml-forecast" data-aktina-ml-chart="forecast" data-aktina-ml-data="{{ $view->chartJson() }}" data-selection="{{ $view->selection() }}"><div wire:ignore data-aktina-ml-canvas></div></div>
        <dl class="aktina-ml-metrics">
            @foreach ($view->metrics as $label => $value)
                <div><dt>{{ $label }}</dt><dd>{{ $value }}</dd></div>
            @endforeach
        </dl>
    @endif
</section>
