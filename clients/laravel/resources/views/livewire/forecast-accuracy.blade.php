{{-- $view: Aktina\MlLaravel\View\AccuracyView --}}
<section class="aktina-ml-panel" data-aktina-ml-panel="accuracy" data-state="{{ $view->state }}" data-lead="{{ $view->leadDays }}">
    @include('aktina-ml::partials.poll')
    <h3>Forecast accuracy: how the earlier forecasts did</h3>
    <p class="aktina-ml-updated" data-aktina-ml-updated>{{ $updated }}</p>
    <form class="aktina-ml-controls" wire:submit.prevent onsubmit="return false">
        <span>Forecast made
            @foreach ($view->leads as $lead)
                <label><input type="radio" name="lead_days" value="{{ $lead }}" wire:model.live="leadDays" {{ $lead === $view->leadDays ? 'checked' : '' }}> {{ $lead }}</label>
            @endforeach
            days before
        </span>
    </form>
    <p class="aktina-ml-status" role="status">{{ $view->notice }}</p>
    <p class="aktina-ml-loading" wire:loading>Loading the forecast accuracy …</p>
    @if ($view->state === 'ready' || $view->state === 'stale')
        <p class="aktina-ml-meta">{{ $view->meta }}</p>
        <p class="aktina-ml-drift" data-drift="{{ $view->drift }}">{{ $view->driftWords }}</p>
        @if ($view->hasChart())
            <div class="aktina-ml-chart" id="aktina-ml-accuracy" data-aktina-ml-chart="accuracy" data-aktina-ml-data="{{ $view->chartJson() }}" data-lead="{{ $view->leadDays }}"><div wire:ignore data-aktina-ml-canvas></div></div>
        @else
            <p class="aktina-ml-empty">{{ $view->empty }}</p>
        @endif
        <dl class="aktina-ml-accuracy">
            @foreach ($view->summary as $lead)
                <div><dt>{{ $lead['lead'] }} days ahead</dt><dd><strong>{{ $lead['value'] }}</strong> {{ $lead['meaning'] }}</dd></div>
            @endforeach
        </dl>
    @endif
</section>
