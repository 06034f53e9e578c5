"""NLP assistance: candidate quotes, clustering (and, from the emotion stream, emotion and suggestions).

This package is the core's NLP part. Importing it is cheap: spaCy, scikit-learn and numpy-heavy work are
imported inside the functions that need them, so importing `coding` or starting the CLI loads none of
them (`tests/unit/test_layers.py`).

    segments   candidate quotes: participant turns cut into sentences, stored in the study
    pipeline   which spaCy pipeline segments (blank English, or a full English model when installed)
    cluster    clustering candidate quotes (the `cluster` command and the Clusters screen)
"""


def warm_up() -> None:
    """Import the heavy libraries (scikit-learn, spaCy) and build the pipeline, so that the first real
    use does not wait for them. The studio calls this in a worker thread after its first paint."""
    import sklearn.feature_extraction.text  # noqa: F401  (the journey's representative quotes)

    from .pipeline import load_pipeline

    load_pipeline()
