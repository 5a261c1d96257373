"""Versioned model store on S3 or a local directory.

Layout under the store's prefix, per model name (``segmentation``, ``forecast``)::

    <name>/versions/<version>/model.joblib     the artifact (joblib)
    <name>/versions/<version>/manifest.json    sha256, size, metrics, library versions, ...
    <name>/current.json                        the promoted manifest (the pointer)

Training saves the artifact and its manifest first and promotes the pointer only after
that, so a reader never sees a half-written model. Loading verifies the sha256.

:mod:`.manifest` (manifest, file names, errors), :mod:`.backends` (bytes by key),
:mod:`.store` (:class:`~.store.ModelStore`), :mod:`.factories` (the configured store),
:mod:`.promotion`, :mod:`.signing`, :mod:`.safe_pickle`, :mod:`.readiness`, :mod:`.admin`,
:mod:`.aws`. The serving cache is at the API edge (:mod:`aktina_ml.api.model_cache`).
"""
