"""The standard page every engine in bench/render.py renders: data and the reference structure.

A full document with a 20-link nav and a 1000-row x 8-cell table. Each cell holds
a span with text that needs escaping and a nested span with a number.
"""

ROWS = 1000
COLUMNS = 8
LINKS = 20


def page_data(rows: int = ROWS) -> dict:
    links = [{"href": f"/section/{i}/?sort=name&dir=asc", "label": f"Section {i} & more"} for i in range(LINKS)]
    rows = [
        [{"text": f"Item <{i}.{j}> & \"quoted\" 'text'", "number": i * COLUMNS + j} for j in range(COLUMNS)]
        for i in range(rows)
    ]
    return {
        "title": "Standard <page>",
        "links": links,
        "headers": [f"Column {j}" for j in range(COLUMNS)],
        "rows": rows,
    }
