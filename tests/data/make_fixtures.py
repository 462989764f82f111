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
l = list(long); l[9] = l[9].replace("a,", " a,", 1); write("id-spaces.csv", l)  # merges with 'a' unless refused
write("panel-all-missing.csv", [line.rsplit(",", 1)[0] + "," if line.startswith("b,") else line for line in long])
with open("utf16.csv", "wb") as f:
    f.write("\n".join(good[:20]).encode("utf-16"))
with open("daily.csv.gz", "wb") as f:
    f.write(gzip.compress("\n".join(good).encode(), mtime=0))
random.seed(7)
with open("garbage.bin", "wb") as f:
    f.write(bytes(random.randrange(256) for _ in range(512)))
write("single-row.csv", good[:2])
write("all-missing.csv", ["date,value"] + [f"{d}," for d, v, t, w in rows])

# Hostile inputs met in the wild (bad/cases.txt says what each must do).


def replaced(line_index, old, new, lines=good):
    g = list(lines)
    g[line_index] = g[line_index].replace(old, new, 1)
    return g


def value_at(line_index, text):
    """daily.csv with the value on line `line_index` (0: header) replaced by `text`."""
    return replaced(line_index, f",{rows[line_index - 1][1]},", f",{text},")


def write_bytes(name, data):
    with open(name, "wb") as f:
        f.write(data)


write_bytes("bom-non-numeric.csv", b"\xef\xbb\xbf" + "\n".join(value_at(4, "abc")).encode() + b"\n")
write("crlf-non-numeric.csv", value_at(4, "abc"), nl="\r\n")
write("semicolon.csv", [line.replace(",", ";") for line in good[:41]])
write("mixed-delimiters.csv", good[:1] + [line.replace(",", ";") for line in good[1:41]])
write("empty-column-name.csv", replaced(0, "value", ""))
write("long-field.csv", value_at(9, "x" * 3000))
write_bytes("latin1-header.csv", "\n".join(replaced(0, "value", "valeur\xb0")).encode("latin-1") + b"\n")
write_bytes("latin1-value.csv", "\n".join(value_at(9, "12.5\xb0")).encode("latin-1") + b"\n")
write("decimal-comma.csv", value_at(6, '"12,5"'))
write("nbsp-thousands.csv", value_at(6, "1\u00a0234"))
write("hex-number.csv", value_at(6, "0x10"))
write("double-minus.csv", value_at(6, "--3"))
write("excel-error.csv", value_at(6, "#DIV/0!"))
hourly = ["time,value"] + [f"2020-03-01T{h:02}:00:00+01:00,{h}" for h in range(24)]
write("tz-abbreviation.csv", replaced(12, "+01:00", " CET", hourly))
write("leap-second.csv", ["time,value"] + [f"2016-12-31T23:59:{s:02}Z,{s}" for s in range(30, 61)])
write("feb-30.csv", ["date,value"] + [f"2020-02-{d:02},{d}" for d in range(1, 31)])
write("zero-date.csv", replaced(3, str(rows[2][0]), "0000-00-00"))
write("year-99999.csv", replaced(40, str(rows[39][0]), "99999-02-09"))
epochs = ["time,value"] + [f"{1577836800 + 86400 * i},{i}" for i in range(40)]
write("epoch-overflow.csv", replaced(21, epochs[21].split(",")[0], "9223372036854775808", epochs))
write("truncated-mid-line.csv", good[:60] + [good[60][:13]], final=False)
write("long-repeated-block.csv", long[:41] + long[1:41:2])  # series a's rows pasted again at the end
# Long format read without --id: the series one after the other (out of time order), and each
# series newest first (out of order in itself too).
write("long-blocks.csv", long[:1] + long[1::2] + long[2::2])
write("long-descending.csv", long[:1] + long[-2::-2] + long[:0:-2])
write("huge-values.csv", ["date,value"] + [f"{d},{1e300 * (1.5 + math.sin(0.3 * i)):.6e}"  # squares overflow
                                            for i, (d, _, _, _) in enumerate(rows)])
write("near-max.csv", value_at(9, "1.7e308"))  # differences overflow: refused as it is read
write("subnormal.csv", value_at(9, "4.9e-324"))  # MAPE divides by it
write("outlier-in-test.csv", value_at(95, "1e100"))  # in the test part: past f32 once scaled
l = [line.replace("b,", "b\xe9,", 1) if line.startswith("b,") else line for line in long]
write_bytes("latin1-id.csv", "\n".join(l).encode("latin-1") + b"\n")  # a series id a model file cannot hold

# Frequencies at which a --calendar item is of no use: the same in every row, or past its cycle.
monday = datetime.date(2020, 1, 6)
write("calendar-weekly.csv", ["date,value"] + [f"{monday + datetime.timedelta(weeks=i)},{10 + i % 4}" for i in range(60)])
write("calendar-monthly.csv", ["date,value"] + [f"{2015 + i // 12}-{i % 12 + 1:02}-01,{10 + i % 12}" for i in range(60)])
write("calendar-yearly.csv", ["date,value"] + [f"{1960 + i}-01-01,{10 + i % 5}" for i in range(60)])

# Bad --config files.
write("config-unknown-option.toml", ["horizon = 3", "hiden = 64"])
write("config-not-key-value.toml", ["# the horizon", "horizon 3"])
write("config-unclosed-list.toml", ['features = ["temp", "weather"', "horizon = 3"])
write("config-bad-value.toml", ['horizon = "three"'])
write("config-section.ini", ["[evaluate]", "horizon = 3", "[train", "hidden = 64"])
write("config-names-output.toml", ["horizon = 3", "[evaluate]", "out = \"../daily.csv\""])
