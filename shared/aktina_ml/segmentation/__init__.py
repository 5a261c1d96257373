"""Customer segmentation: volume-guided KMeans on retailer demographics.

Serving imports only :mod:`artifact` (numpy); training modules import scikit-learn.
"""

NAME = "segmentation"  # the model kind's name in the store and the settings
