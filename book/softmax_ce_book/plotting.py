"""One figure style for the whole book.

Figures carry only math/ASCII text (matplotlib's default font has no CJK glyphs, and a missing
glyph prints a warning); Chinese belongs in the figure's caption in the chapter's Markdown.

Chapters call :func:`figure` instead of repeating setup lines::

    from softmax_ce_book.plotting import figure
    fig, ax = figure()
    ax.plot(x, y, label=r"$T=1$")
    ax.legend();
"""

from __future__ import annotations

from typing import Any

__all__ = ["STYLE", "figure"]

#: rcParams applied by :func:`figure`: PNG-friendly sizes, mathtext in Computer Modern, light grid.
STYLE: dict[str, Any] = {
    "figure.dpi": 110,
    "savefig.dpi": 110,
    "figure.figsize": (6.4, 3.6),
    "figure.constrained_layout.use": True,
    "font.family": "DejaVu Sans",
    "mathtext.fontset": "cm",
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    "lines.linewidth": 1.8,
    "svg.hashsalt": "softmax_ce",
}


def figure(nrows: int = 1, ncols: int = 1, *, width: float | None = None,
           height: float | None = None, **subplots_kw: Any):
    """Create a figure in the book's style.

    Parameters
    ----------
    nrows, ncols : int, optional
        Grid of axes, as in :func:`matplotlib.pyplot.subplots`.
    width, height : float, optional
        Size in inches; defaults to 6.4 wide and 3.6 high per row.
    **subplots_kw
        Passed on to :func:`matplotlib.pyplot.subplots`.

    Returns
    -------
    fig : matplotlib.figure.Figure
    axes : matplotlib.axes.Axes or numpy.ndarray of them
    """
    import matplotlib as mpl
    import matplotlib.pyplot as plt

    mpl.rcParams.update(STYLE)
    size = (width or 6.4 * max(1.0, ncols / 1.5), height or 3.6 * nrows)
    return plt.subplots(nrows, ncols, figsize=size, **subplots_kw)
