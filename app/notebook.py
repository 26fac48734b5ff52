"""The exported script as a Jupyter notebook: the same program, one cell per part, each after its explanation.

Built with ``nbformat`` from ``engine.export.sections``. Before the training loop, the first update's forward
pass, BP1 and each BP2 (with BP3 and BP4) get a cell each, which shows its result and changes no weight; running
the code cells in order trains exactly as the script does.
"""
from __future__ import annotations

import nbformat
from nbformat import v4

from engine import export


def notebook(config=None, layout="row", epochs=None, setup=None):
    """A ``NotebookNode`` for ``config``; ValueError names a bad field."""
    parts = export.sections(config, layout, epochs, setup, walkthrough=True)
    head, *rest = parts
    lines = [ln.text for ln in head.lines]
    end = lines.index('"""', 1)  # the docstring's closing line
    doc = [lines[0].strip('"')] + lines[1:end]
    cells = [v4.new_markdown_cell("# " + doc[0] + "\n\n" + "\n".join(doc[1:]).strip()),
             v4.new_code_cell("\n".join(lines[end + 1:]))]
    for part in rest:
        cells.append(v4.new_markdown_cell(f"## {part.title}\n\n{part.explanation}"))
        cells.append(v4.new_code_cell(part.code.rstrip()))
    nb = v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}})
    nbformat.validate(nb)
    return nb


def notebook_text(config=None, layout="row", epochs=None, setup=None) -> str:
    return nbformat.writes(notebook(config, layout, epochs, setup)) + "\n"
