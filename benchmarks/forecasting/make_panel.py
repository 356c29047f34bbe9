#!/usr/bin/python3
"""Writes the forecasting panel's CSVs under panel/ from their public sources.

The sources are the two series shipped with Timestep (../shared/data, also the CLI's --builtin
series) and the datasets of Debian's python3-statsmodels. Values are copied as text, so a CSV
holds exactly the source's digits; the two derived series (a monthly mean of the weekly CO2 and a
60-month slice of the electrical-equipment index) are said so in SOURCES.md. Rerun with
`/usr/bin/python3 benchmarks/forecasting/make_panel.py` to check that the committed files match.
"""

import csv
import datetime
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PANEL = os.path.join(HERE, "panel")
SHIPPED = os.path.join(ROOT, "java", "src", "main", "resources", "dev", "timestep", "data")
MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]


def statsmodels_file(dataset, name):
    import statsmodels.datasets

    return os.path.join(os.path.dirname(statsmodels.datasets.__file__), dataset, name)


def read_rows(path):
    # utf-8-sig: the Danish file starts with a byte-order mark.
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.reader(f))


def write(name, header, rows):
    path = os.path.join(PANEL, name + ".csv")
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    print(f"{name}: {len(rows)} rows, {rows[0][0]} .. {rows[-1][0]}")


def copy_shipped(source, name):
    # Byte for byte, so `cmp` shows the panel uses the very files Timestep ships.
    shutil.copyfile(os.path.join(SHIPPED, source), os.path.join(PANEL, name + ".csv"))
    rows = read_rows(os.path.join(PANEL, name + ".csv"))[1:]
    print(f"{name}: {len(rows)} rows, {rows[0][0]} .. {rows[-1][0]} (copy of {source})")
    return rows


def co2_monthly(weekly):
    # Mean of the observed weeks of each calendar month; a month with none stays blank (missing).
    sums = {}
    for date, value in weekly:
        month = f"{date[:4]}-{date[4:6]}"
        s = sums.setdefault(month, [0.0, 0])
        if value != "":
            s[0] += float(value)
            s[1] += 1
    rows = [[m, f"{s[0] / s[1]:.2f}" if s[1] else ""] for m, s in sorted(sums.items())]
    write("co2-monthly", ["month", "co2"], rows)


def nile_yearly():
    rows = read_rows(statsmodels_file("nile", "nile.csv"))[1:]
    write("nile-yearly", ["year", "volume"], rows)


def elnino_monthly():
    rows = []
    for r in read_rows(statsmodels_file("elnino", "elnino.csv"))[1:]:
        year = int(float(r[0]))
        rows += [[f"{year}-{m + 1:02d}", r[1 + m]] for m in range(12)]
    write("elnino-sst-monthly", ["month", "sst"], rows)


def elec_equip_monthly():
    rows = []
    for date, value in read_rows(statsmodels_file("elec_equip", "elec_equip.csv"))[1:]:
        d = datetime.datetime.strptime(date, "%b-%d-%Y")
        rows.append([f"{d.year}-{d.month:02d}", value])
    write("elec-equip-monthly", ["month", "turnover"], rows)
    # The short monthly series: the last five years only.
    write("elec-equip-short-monthly", ["month", "turnover"], rows[-60:])


def us_macro_quarterly():
    table = read_rows(statsmodels_file("macrodata", "macrodata.csv"))
    header, body = table[0], table[1:]
    for column in ["realgdp", "cpi", "unemp", "tbilrate"]:
        c = header.index(column)
        rows = [[f"{int(float(r[0]))}-Q{int(float(r[1]))}", r[c]] for r in body]
        write(f"us-{column}-quarterly", ["quarter", column], rows)


def danish_money_quarterly():
    table = read_rows(statsmodels_file("danish_data", "data.csv"))
    c = table[0].index("lrm")
    rows = [[r[0][:4] + "-" + r[0][4:], r[c]] for r in table[1:]]
    write("danish-lrm-quarterly", ["quarter", "lrm"], rows)


def main():
    os.makedirs(PANEL, exist_ok=True)
    co2_monthly(copy_shipped("mauna-loa-co2-weekly.csv", "co2-weekly"))
    copy_shipped("sunspots-yearly.csv", "sunspots-yearly")
    nile_yearly()
    elnino_monthly()
    elec_equip_monthly()
    us_macro_quarterly()
    danish_money_quarterly()
    return 0


if __name__ == "__main__":
    sys.exit(main())
