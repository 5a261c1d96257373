"""Customer segmentation: volume-guided KMeans on retailer demographics.

Serving imports only :mod:`serving` (numpy); training modules import scikit-learn.
"""
