"""softmax_ce: accurate softmax and cross-entropy in NumPy, with verified derivations.

(Placeholder: the public API is filled in by the package work.)
"""
