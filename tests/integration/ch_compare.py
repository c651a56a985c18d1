#!/usr/bin/env python3
"""ch_compare.py URL DATABASE DB...: every shipped row of each SQLite
database against ClickHouse, byte for byte.

For each table the rows of one database (its meta db_id) are read from
ClickHouse with FINAL (one row per key: what a report reads) and compared
with the SQLite rows, column by column under the same names: none missing,
none extra, none different. Also prints the fleet totals (hosts, views,
logins, credential uses, per sensor) from both sides, which must agree.
Exit status 0 when everything agrees."""
import sqlite3
import sys
import urllib.parse
import urllib.request

TABLES = {  # table: key columns (after sensor, db_id)
    "requests": ("id",),
    "views": ("id",),
    "logins": ("id",),
    "credentials": ("seq",),
    "aggregated": ("hour", "persona", "network", "kind"),
    "exploits": ("id",),
}


def ch(url, sql):
    req = urllib.request.Request(url, data=sql.encode())
    with urllib.request.urlopen(req, timeout=120) as r:
        return r.read()


UNESC = {b"b": b"\b", b"f": b"\f", b"r": b"\r", b"n": b"\n", b"t": b"\t", b"0": b"\0",
         b"'": b"'", b"\\": b"\\"}


def unescape(field):
    out, i = bytearray(), 0
    while i < len(field):
        c = field[i:i + 1]
        if c == b"\\" and i + 1 < len(field):
            out += UNESC.get(field[i + 1:i + 2], field[i + 1:i + 2])
            i += 2
        else:
            out += c
            i += 1
    return bytes(out)


def tsv(data):
    """TSVWithNamesAndTypes -> (names, types, rows of typed values)."""
    lines = data.split(b"\n")
    names = [n.decode() for n in lines[0].split(b"\t")]
    types = [t.decode() for t in lines[1].split(b"\t")]
    rows = []
    for line in lines[2:]:
        if not line:
            continue
        vals = []
        for f, t in zip(line.split(b"\t"), types):
            if f == b"\\N" and t.startswith("Nullable"):
                vals.append(None)
            elif "Int" in t:
                vals.append(int(f))
            elif "Float" in t:
                vals.append(float(f))
            else:
                vals.append(unescape(f))
        rows.append(vals)
    return names, types, rows


def main():
    url, database, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
    bad = 0
    for path in paths:
        db = sqlite3.connect(path)
        db.text_factory = bytes
        db_id = db.execute("SELECT value FROM meta WHERE key = 'db_id'").fetchone()[0].decode()
        sensor = db.execute("SELECT value FROM meta WHERE key = 'sensor'").fetchone()[0].decode()
        for table, key in TABLES.items():
            names, _, rows = tsv(ch(url, "SELECT * FROM %s.%s FINAL WHERE db_id = '%s' "
                                         "FORMAT TSVWithNamesAndTypes" % (database, table, db_id)))
            cols = [n for n in names if n != "db_id" and not (n == "sensor" and table == "credentials")]
            idx = [names.index(c) for c in cols]
            got = {}
            for r in rows:
                k = tuple(r[names.index(c)] for c in ("sensor",) + key)
                if k in got:
                    print("DOUBLED %s %s: %r" % (sensor, table, k))
                    bad += 1
                got[k] = tuple(r[i] for i in idx)
            want = {}
            for r in db.execute("SELECT %s FROM %s" % (", ".join(cols), table)):
                row = dict(zip(cols, r))
                row.setdefault("sensor", sensor.encode())
                k = tuple(row[c] for c in ("sensor",) + key)
                want[k] = tuple(r)
            missing = [k for k in want if k not in got]
            extra = [k for k in got if k not in want]
            differ = [k for k in want if k in got and got[k] != want[k]]
            status = "ok  " if not (missing or extra or differ) else "FAIL"
            print("%s %s %s: %d rows in SQLite, %d in ClickHouse; %d missing, %d extra, %d differ"
                  % (status, sensor, table, len(want), len(got), len(missing), len(extra),
                     len(differ)))
            for k in differ[:3]:
                print("  %r\n    sqlite     %r\n    clickhouse %r" % (k, want[k], got[k]))
            bad += len(missing) + len(extra) + len(differ)
    # fleet totals both ways
    lite = {}
    for path in paths:
        db = sqlite3.connect(path)
        s = db.execute("SELECT value FROM meta WHERE key = 'sensor'").fetchone()[0]
        t = lite.setdefault(s, [set(), 0, 0, 0])
        t[0] |= {r[0] for r in db.execute("SELECT src_ip FROM requests")}
        t[1] += db.execute("SELECT COUNT(*) FROM views").fetchone()[0]
        t[2] += db.execute("SELECT COUNT(*) FROM logins").fetchone()[0]
        t[3] += db.execute("SELECT COUNT(*) FROM logins WHERE match_kind IN "
                           "('exact', 'password-only', 'static')").fetchone()[0]
    lite = {s: [len(v[0])] + v[1:] for s, v in lite.items()}
    house = {}
    for sql, at in (("SELECT sensor, uniqExact(src_ip) FROM {d}.requests FINAL GROUP BY sensor", 0),
                    ("SELECT sensor, count() FROM {d}.views FINAL GROUP BY sensor", 1),
                    ("SELECT sensor, count(), countIf(match_kind IN ('exact', 'password-only', 'static'))"
                     " FROM {d}.logins FINAL GROUP BY sensor", 2)):
        for line in ch(url, sql.format(d=database) + " FORMAT TSV").decode().splitlines():
            f = line.split("\t")
            t = house.setdefault(f[0], [0, 0, 0, 0])
            for n, v in enumerate(f[1:]):
                t[at + n] = int(v)
    lite = {s.decode() if isinstance(s, bytes) else s: v for s, v in lite.items()}
    if lite != house:
        print("FAIL fleet totals (hosts, views, logins, credential uses): sqlite %r clickhouse %r"
              % (lite, house))
        bad += 1
    else:
        print("ok   fleet totals (hosts, views, logins, credential uses) per sensor: %r" % lite)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
