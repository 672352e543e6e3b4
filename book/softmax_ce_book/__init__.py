"""The book's machinery, kept apart from the ``softmax_ce`` library.

Modules:

* :mod:`softmax_ce_book.claims`: the ``check`` that a chapter cell calls to prove a claim;
* :mod:`softmax_ce_book.ledger`: reads the claims and their checks from the chapters and the
  tests, and renders the ledger appendix;
* :mod:`softmax_ce_book.naive`: the source documents' code recipes, kept as written, and a
  deliberately naive softmax;
* :mod:`softmax_ce_book.plotting`: the figure style;
* :mod:`softmax_ce_book.sharded`: vocabulary-parallel cross-entropy over R shards, simulated
  (chapter 5);
* :mod:`softmax_ce_book.training`: a seeded softmax-regression trainer for the experiments;
* :mod:`softmax_ce_book.digits`: softmax regression fitted exactly (L-BFGS-B, then Newton) on
  real data, long-tailed subsets, metrics and Markdown tables for chapter 6.

Everything here imports the library through its public API; nothing in ``softmax_ce`` imports
this package.
"""
