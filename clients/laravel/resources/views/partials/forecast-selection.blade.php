{{-- The forecast widgets' horizon and granularity selectors; $selection: Aktina\MlLaravel\View\Selection --}}
<form class="aktina-ml-controls" wire:submit.prevent onsubmit="return false">
    <label>Horizon
        <select name="horizon_days" wire:model.live="horizonDays">
            @foreach ($selection->horizons as $horizon)
                <option value="{{ $horizon }}" {{ $horizon === $selection->horizonDays ? 'selected' : '' }}>{{ $horizon }} days</option>
            @endforeach
        </select>
    </label>
    <span>By
        @foreach ($selection->granularities as $granularity)
            <label><input type="radio" name="granularity" value="{{ $granularity }}" wire:model.live="granularity" {{ $granularity === $selection->granularity ? 'checked' : '' }}> {{ $granularity }}</label>
        @endforeach
    </span>
</form>
