@once
    <style>{{ \Aktina\MlLaravel\Assets::style() }}</style>
    @if (config('aktina-ml.apexcharts_url'))
        <script src="{{ config('aktina-ml.apexcharts_url') }}" data-navigate-once></script>
    @endif
    <script data-navigate-once>{{ \Aktina\MlLaravel\Assets::script() }}</script>
@endonce
