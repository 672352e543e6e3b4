"""softmax_ce: accurate softmax and cross-entropy in NumPy, with verified derivations.

The public API (everything in ``__all__``) is importable from the package itself::

    >>> import softmax_ce as sce
    >>> sce.softmax([0.0, 0.0]).tolist()
    [0.5, 0.5]

The submodules ``softmax_ce.symbolic`` (SymPy derivations paired with the numerics; needs
SymPy), ``softmax_ce.gradcheck`` (finite-difference gradients) and ``softmax_ce.squared_error``
(the squared error, or Brier score, of softmax probabilities) are imported on demand:
``import softmax_ce`` needs only NumPy.
"""

from .activations import log_softmax, logsumexp, softmax
from .binary import binary_cross_entropy_with_logits, binary_cross_entropy_with_logits_grad
from .cross_entropy import cross_entropy, cross_entropy_grad
from .encoding import one_hot
from .information import entropy, kl_divergence
from .jacobian import softmax_jacobian, softmax_jvp
from .linear_cross_entropy import (
    linear_cross_entropy,
    linear_cross_entropy_grad,
    linear_cross_entropy_value_and_grad,
)
from .nll import nll_loss

__all__ = [
    "binary_cross_entropy_with_logits",
    "binary_cross_entropy_with_logits_grad",
    "cross_entropy",
    "cross_entropy_grad",
    "entropy",
    "kl_divergence",
    "linear_cross_entropy",
    "linear_cross_entropy_grad",
    "linear_cross_entropy_value_and_grad",
    "log_softmax",
    "logsumexp",
    "nll_loss",
    "one_hot",
    "softmax",
    "softmax_jacobian",
    "softmax_jvp",
]

__version__ = "0.1.0"  # the only place the version is written (pyproject.toml reads it)
