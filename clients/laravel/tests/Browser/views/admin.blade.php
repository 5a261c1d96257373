<!doctype html>
{{-- Like the app's layout: html.dark from its appearance setting, Tailwind 4's preflight
     (headings at body size, no margins), body bg-white dark:bg-zinc-800. --}}
<html lang="en" class="{{ $dark ? 'dark' : '' }}{{ $media ? 'media' : '' }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Trends and predictions</title>
<style>
  h1, h2, h3, h4, h5, h6 { font-size: inherit; font-weight: inherit; margin: 0; }
  body { margin: 0; padding: 1.5rem; font: 16px/1.5 system-ui, sans-serif; background: #fff; color: #171717; }
  html.dark body { background: #262626; color: #e5e5e5; }
  @media (prefers-color-scheme: dark) { html.media body { background: #262626; color: #e5e5e5; } }
  /* the app's own Tailwind grid classes around the page's cards (compiled from its views) */
  .grid { display: grid; } .grid-cols-1 { grid-template-columns: minmax(0, 1fr); } .gap-6 { gap: 1.5rem; } .mb-8 { margin-bottom: 2rem; }
  @media (min-width: 768px) { .md\:grid-cols-3 { grid-template-columns: repeat(3, minmax(0, 1fr)); } }
  @media (min-width: 1024px) { .lg\:grid-cols-2 { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
</style>
@if ($bundle)
    {{-- The app's Vite bundle: window.ApexCharts set before DOMContentLoaded --}}
    <script src="/apexcharts.min.js" defer></script>
@endif
</head>
<body>
<h1>Trends and predictions</h1>
{{-- The app's page as the kit README's layout leaves it: each placeholder card replaced by the
     component for it, in the page's own grid; the include in place of the two old widgets. --}}
<div class="grid grid-cols-1 md:grid-cols-3 gap-6 mb-8">
    @livewire('aktina-ml.revenue-forecast-card')
    @livewire('aktina-ml.demand-forecast-card')
    @livewire('aktina-ml.risk-card')
</div>
<div class="mb-8">
    @livewire('aktina-ml.revenue-demand-chart')
</div>
@include('aktina-ml::widgets')
<div class="grid grid-cols-1 lg:grid-cols-2 gap-6 mb-8" style="margin-top: 2rem">
    @livewire('aktina-ml.market-trends')
    @livewire('aktina-ml.recommendations')
</div>
<script src="/livewire-stand-in.js"></script>
</body>
</html>
