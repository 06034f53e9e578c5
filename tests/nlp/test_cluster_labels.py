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
