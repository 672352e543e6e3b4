"""Sphinx extension: the ``claim`` directive (see :mod:`softmax_ce_book.claims`).

A claim on a statement of the source documents renders as the box “原文辨析：<title>”: the quoted
sentence and the one-line verdict (with its condition or counterexample, and why no code can
check it for an ``uncheckable`` claim) stay visible; the chapter's explanation is folded in a
dropdown “依据”, one click away, so the critique of the source does not interrupt the main line.
A statement that simply holds carries its verdict in the title (“… · 成立”) and is typeset
compact (class ``claim-compact``): it confirms, it does not warn. A claim of the book's own is
not a box at all but one light block (class ``claim-line``): “本书命题 · title：” run into its
text, the id and the ledger link at its end. Each claim is a link target ``claim-<id>``, which
the ledger appendix links to, and ends with the claim's id and a link back to the ledger.
"""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import Directive, directives
from docutils.statemachine import StringList
from sphinx.application import Sphinx

from softmax_ce_book.claims import OPTIONS, Claim, Verdict, unquote_option

__all__ = ["ClaimDirective", "claim_target", "setup"]


def claim_target(claim_id: str) -> str:
    """The label of a claim's box (``{ref}`text <claim-ch1.slug>``` links to it)."""
    return f"claim-{claim_id}"


class ClaimDirective(Directive):
    """``{claim} <id>`` with the options of :data:`softmax_ce_book.claims.OPTIONS`."""

    required_arguments = 1
    optional_arguments = 0
    final_argument_whitespace = False
    has_content = True
    option_spec = {name: directives.unchanged for name in OPTIONS}

    def run(self) -> list[nodes.Node]:
        claim_id = self.arguments[0]
        options = {k: unquote_option(" ".join(str(v).split()))
                   for k, v in self.options.items()}
        try:
            verdict = Verdict(options.pop("verdict", ""))
        except ValueError:
            raise self.error(f"claim {claim_id}: :verdict: must be one of "
                             f"{[v.value for v in Verdict]}") from None
        problems = Claim(claim_id, verdict, options=options).problems()
        if problems:
            raise self.error(f"claim {claim_id}: " + "; ".join(problems))

        label = claim_target(claim_id)
        target = nodes.target("", "", ids=[nodes.make_id(label)], names=[label])
        self.state.document.note_explicit_target(target)

        title = options.get("title", "")
        if verdict is Verdict.BOOK:
            return [target, self._book_line(claim_id, title, options.get("uncheckable", ""))]
        heading = f"原文辨析：{title}" if title else "原文辨析"
        if verdict is Verdict.HOLDS:  # the verdict fits in the title: one line fewer
            heading += f" · {verdict.chinese}"
        classes = ["claim", f"claim-{verdict.value}"]
        if verdict is Verdict.HOLDS:
            classes.append("claim-compact")  # typeset smaller: it confirms, it does not warn
        box = nodes.admonition("", classes=classes)
        textnodes, messages = self.state.inline_text(heading, self.lineno)
        box += nodes.title(heading, "", *textnodes)
        box += messages

        lines = [f"> 原文：“{options['source']}”", ""]
        conclusion = f"**结论：{verdict.chinese}**"
        if verdict is Verdict.HOLDS_UNDER:
            conclusion += f"。条件：{options['condition']}"
        elif verdict is Verdict.FAILS:
            conclusion += f"。反例：{options['counterexample']}"
        if verdict is not Verdict.HOLDS:
            lines += [conclusion, ""]
        if options.get("uncheckable"):
            lines += [f"*代码无法检验*：{options['uncheckable']}", ""]
        source = self.state.document.current_source or ""
        generated = StringList(lines, source=source)
        self.state.nested_parse(generated, self.content_offset, box)
        if self.content:  # the quote and the verdict stay visible; the explanation is one click away
            fence = ":" * 8  # longer than any colon fence the explanation itself may hold
            folded = StringList([f"{fence}{{dropdown}} 依据", *self.content, fence],
                                source=source)
            self.state.nested_parse(folded, self.content_offset, box)
        footer = StringList([f"`{claim_id}` · {{ref}}`账本 <claims-ledger>`"],
                            source=source)
        before = len(box.children)
        self.state.nested_parse(footer, self.content_offset, box)
        for child in box.children[before:]:
            child["classes"].append("claim-id")
        return [target, box]

    def _book_line(self, claim_id: str, title: str, uncheckable: str) -> nodes.Element:
        """A result of the book's own: one light block, “本书命题 · title：” run into its text."""
        line = nodes.container(classes=["claim", "claim-book", "claim-line"])
        self.state.nested_parse(self.content, self.content_offset, line)
        if uncheckable:
            why = StringList([f"*代码无法检验*：{uncheckable}"],
                             source=self.state.document.current_source or "")
            self.state.nested_parse(why, self.content_offset, line)
        lead = f"本书命题 · {title}：" if title else "本书命题："
        label = nodes.strong(lead, "", *self.state.inline_text(lead, self.lineno)[0])
        first = line.children[0] if line.children else None
        if isinstance(first, nodes.paragraph):
            first.insert(0, label)
        else:
            line.insert(0, nodes.paragraph("", "", label))
        footer = StringList([f"`{claim_id}` · {{ref}}`账本 <claims-ledger>`"],
                            source=self.state.document.current_source or "")
        holder = nodes.container()
        self.state.nested_parse(footer, self.content_offset, holder)
        last = line.children[-1]
        if isinstance(last, nodes.paragraph) and holder.children and isinstance(
                holder.children[0], nodes.paragraph):
            tail = nodes.inline("", "", nodes.Text(" "), *holder.children[0].children,
                                classes=["claim-id"])
            last += tail
        else:
            for child in holder.children:
                child["classes"].append("claim-id")
                line += child
        return line


def setup(app: Sphinx) -> dict[str, object]:
    app.add_directive("claim", ClaimDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
