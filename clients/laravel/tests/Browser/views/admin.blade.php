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
</style>
@if ($bundle)
    {{-- The app's Vite bundle: window.ApexCharts set before DOMContentLoaded --}}
    <script src="/apexcharts.min.js" defer></script>
@endif
</head>
<body>
<h1>Trends and predictions</h1>
{{-- The app's whole change to admin/trends-and-predictions.blade.php: --}}
@include('aktina-ml::widgets')
<script src="/livewire-stand-in.js"></script>
</body>
</html>
