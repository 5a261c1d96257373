{{-- Aktina ML widgets for admin/trends-and-predictions: @include('aktina-ml::widgets') --}}
<div class="aktina-ml">
    @livewire('aktina-ml.customer-segmentation')
    @livewire('aktina-ml.sales-prediction')
</div>
@include('aktina-ml::scripts')
