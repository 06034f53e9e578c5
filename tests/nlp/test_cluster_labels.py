"""Cluster names from the words that set a cluster apart, also for a cluster of short, varied answers."""

from __future__ import annotations

import numpy as np

from coding.nlp.grouping import label_terms

# shaped like the Jupyter UX survey's "tools you would like integrated" answers: 60 short names, none
# shared by the 5% of the cluster a term needs to name it, beside a cluster of longer answers about speed
NAMES = ("Vimperator Mercurial Ggvis venv posgreSQL Excel Tableau Spark Emacs Vim Git LaTeX Julia Matlab Octave "
         "Stata SPSS PyCharm Eclipse Atom Sublime mayavi Bokeh Plotly Seaborn Pandas Scipy Sympy Theano Keras "
         "Caffe Torch Hadoop Hive Pig Kafka Redis Mongo Postgres MySQL SQLite Oracle Redshift BigQuery Airflow "
         "Luigi Jenkins Travis Slack Trello Jira Confluence Dropbox Box Drive OneDrive Zotero Mendeley Pandoc "
         "Sphinx").split()
TOOLS = NAMES + ["numpy", "Numpy support", "numpy arrays", "clojure", "Clojure (or Hy)", "clojure kernel",
                 "docker", "docker images"]
SLOW = [f"The notebook gets slow with large outputs, attempt {i}" for i in range(20)]


def test_a_cluster_of_short_varied_answers_is_named_by_its_shared_words_not_its_first_answer():
    texts = TOOLS + SLOW
    labels = np.array([0] * len(TOOLS) + [1] * len(SLOW))
    named = label_terms(texts, labels, 2)
    assert "large" in named[1]
    assert named[0] and set(named[0]) <= {"numpy", "clojure", "docker"}  # not nothing, then its first answer


def test_labels_never_come_from_words_said_of_anything():
    """'way', 'people', 'thing', 'lot', 'let' (the most frequent English words) never name a cluster alone."""
    import numpy as np

    from coding.nlp.grouping import label_terms

    texts = ["People find a way to share the data, that is the thing.", "A lot of people let the data go.",
             "The way people handle data is a lot of work.", "People and data, the same thing every time.",
             "Consent forms are long.", "The consent form was signed late.", "Consent forms got lost.",
             "We reconsent by email when the consent form changes."]
    labels = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    terms = label_terms(texts, labels, 2)
    filler = {"way", "people", "thing", "lot", "let", "time", "work"}
    assert not any(t in filler for ts in terms for t in ts)
    assert terms[0][0] == "data" and "consent" in terms[1][0]
