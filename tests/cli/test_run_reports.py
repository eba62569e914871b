"""The month's credit bulletin and retention warning list in the store of ``telcare run``."""

from __future__ import annotations

from pathlib import Path

import duckdb

from telcare.cli import main
from telcare.cli._synthetic_run import synthetic_extract


def test_the_bulletin_reads_the_previous_month_and_the_warnings_are_the_managers(
    tmp_path: Path,
) -> None:
    store = tmp_path / "s.duckdb"
    for month in ("2010-10", "2010-11"):
        assert main(["run", "--synthetic", "2000", "--month", month, "--store", str(store)]) == 0
    con = duckdb.connect(str(store), read_only=True)
    q = con.execute
    programme = q("""SELECT month, value FROM reports WHERE report = 'credit_bulletin' AND
        level = 'programme' AND measure = 'accounts' ORDER BY month""").fetchall()
    counts = q("SELECT month, count(*) FROM customers GROUP BY 1 ORDER BY 1").fetchall()
    versus = q("""SELECT month, value FROM reports WHERE level = 'programme'
        AND measure = 'red_share_vs_previous_pp' ORDER BY month""").fetchall()
    levels = q("SELECT DISTINCT level FROM reports ORDER BY 1").fetchall()
    red = q("""SELECT r.value, (SELECT count(*) FROM customers c WHERE c.month = r.month AND
        c.credit_colour = 3) FROM reports r WHERE r.level = 'programme' AND r.measure = 'red'""").fetchall()
    owners = q("""SELECT count(*), count(*) FILTER (WHERE w.owner = m.manager) FROM warnings w
        JOIN customers c USING (month, customer_id) JOIN (SELECT ? AS month, * FROM
        (SELECT unnest(?) AS customer_id, unnest(?) AS manager)) m USING (month, customer_id)""",
               ["2010-11", *(lambda c: [c["customer_id"].tolist(), c["manager"].tolist()])(
                   synthetic_extract(2000, "2010-11", seed=2010))]).fetchall()  # fmt: skip
    con.close()
    assert [(m, int(v)) for m, v in programme] == counts
    assert versus[0][1] is None  # the store's first month has no previous
    assert versus[1][1] is not None  # the second reads the first
    assert levels == [("manager",), ("programme",), ("team",)]
    assert all(int(v) == n for v, n in red) and any(n > 0 for _, n in red)
    assert owners[0][0] > 0 and owners[0][0] == owners[0][1]
