#!/usr/bin/env python3
"""Writes the test fixtures in tests/data: daily.csv, long.csv and the bad inputs in bad/.

Run from tests/data: ./make_fixtures.py. The files are committed; this script documents how
each one was made and recreates them byte for byte.
"""
import datetime
import gzip
import math
import os
import random

d0 = datetime.date(2020, 1, 1)
rows = []
for i in range(100):
    v = 10 + 5 * math.sin(2 * math.pi * i / 7) + 0.1 * i
    rows.append((d0 + datetime.timedelta(days=i), round(v, 2), round(20 - 0.05 * i, 2), ["sunny", "rain"][i % 2]))


def write(name, lines, nl="\n", final=True):
    with open(name, "w", newline="") as f:
        f.write(nl.join(lines) + (nl if final else ""))


good = ["date,value,temp,weather"] + [f"{d},{v},{t},{w}" for d, v, t, w in rows]
write("daily.csv", good)
long = ["store,day,sales"]  # two series, rows interleaved
for i in range(60):
    d = d0 + datetime.timedelta(days=i)
    long.append(f"a,{d},{100 + i}")
    long.append(f"b,{d},{200 + 2 * (i % 7)}")
write("long.csv", long)

os.makedirs("bad", exist_ok=True)
os.chdir("bad")
write("empty.csv", [], final=False)
write("header-only.csv", ["date,value"])
write("blank-lines.csv", ["", "  ", ""])
write("short.csv", good[:11])
g = list(good); g[4] = g[4].replace(str(rows[3][1]), "abc"); write("non-numeric.csv", g)
g = list(good); g[6] = g[6].replace(str(rows[5][1]), "NaN"); write("nan.csv", g)
g = list(good); g[6] = g[6].replace(str(rows[5][1]), "inf"); write("inf.csv", g)
g = list(good); g[6] = g[6].replace(str(rows[5][1]), "1e999"); write("overflow.csv", g)
g = list(good); g[8] = g[8].replace(str(rows[7][0]), str(rows[6][0])); write("duplicate-time.csv", g)
g = list(good); g[8], g[9] = g[9], g[8]; write("unsorted.csv", g)
g = list(good); g[10] = g[10].replace(str(rows[9][0]), str(rows[9][0]) + "T00:00:00"); write("mixed-formats.csv", g)
g = list(good); g[10] = g[10].replace(str(rows[9][0]), rows[9][0].strftime("%Y/%m/%d")); write("slash-date.csv", g)
g = list(good); g[12] = g[12] + ",extra"; write("ragged-long.csv", g)
g = list(good); g[12] = ",".join(g[12].split(",")[:2]); write("ragged-short.csv", g)
g = list(good); g[3] = g[3].replace("sunny", "sun\x01ny").replace("rain", "ra\x01in"); write("control-byte.csv", g)
write("cr-only.csv", good, nl="\r")
g = list(good); g[5] = g[5].replace("rain", '"rain').replace("sunny", '"sunny'); write("unclosed-quote.csv", g)
g = list(good); g[5] = g[5].replace("rain", '"rain"y').replace("sunny", '"sunny"y'); write("text-after-quote.csv", g)
g = list(good); g[7] = g[7].replace(str(rows[6][0]), "2020-13-07"); write("bad-timestamp.csv", g)
g = list(good); g[7] = g[7].replace(str(rows[6][0]), ""); write("missing-timestamp.csv", g)
g = list(good)
for k in (15, 30, 31):
    g[k] = g[k].replace("," + str(rows[k - 1][1]) + ",", ",,")
write("missing-values.csv", g)
write("duplicate-column.csv", ["date,value,value"] + [f"{d},{v},{v}" for d, v, t, w in rows])
l = list(long); l[9] = l[9].replace("a,", ",", 1); write("empty-id.csv", l)
with open("utf16.csv", "wb") as f:
    f.write("\n".join(good[:20]).encode("utf-16"))
with open("daily.csv.gz", "wb") as f:
    f.write(gzip.compress("\n".join(good).encode(), mtime=0))
random.seed(7)
with open("garbage.bin", "wb") as f:
    f.write(bytes(random.randrange(256) for _ in range(512)))
write("single-row.csv", good[:2])
write("all-missing.csv", ["date,value"] + [f"{d}," for d, v, t, w in rows])
