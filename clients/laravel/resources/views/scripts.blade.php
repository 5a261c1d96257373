@once
    <style>{{ \Aktina\MlLaravel\Assets::style() }}</style>
    {{-- ApexCharts is loaded from this URL only when the page has none of its own (once). --}}
    <script data-navigate-once>window.AktinaMlApexChartsUrl = {{ \Illuminate\Support\Js::from(config('aktina-ml.apexcharts_url')) }};</script>
    <script data-navigate-once>{{ \Aktina\MlLaravel\Assets::script() }}</script>
@endonce
