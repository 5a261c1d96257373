<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Trends and predictions</title></head>
<body>
<h1>Trends and predictions</h1>
{{-- The app's whole change to admin/trends-and-predictions.blade.php: --}}
@include('aktina-ml::widgets')
<script src="/livewire-stand-in.js"></script>
</body>
</html>
