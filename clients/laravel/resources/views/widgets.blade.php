{{-- Aktina ML widgets for admin/trends-and-predictions: @include('aktina-ml::widgets') --}}
<div class="aktina-ml" data-aktina-ml-dark="{{ config('aktina-ml.dark_mode', 'class') === 'media' ? 'media' : 'class' }}">
    @livewire('aktina-ml.customer-segmentation')
    @livewire('aktina-ml.segment-forecasts')
    @livewire('aktina-ml.sales-prediction')
    @livewire('aktina-ml.forecast-accuracy')
</div>
@include('aktina-ml::scripts')
