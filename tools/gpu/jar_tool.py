#!/usr/bin/env python3
"""Rewrites a jar (zip) for the GPU bundle without needing a JDK (the GPU host has none).

    jar_tool.py rewrite IN.jar OUT.jar [--put ENTRY=FILE]... [--drop PREFIX]... [--keep PREFIX]...
    jar_tool.py cat IN.jar ENTRY > FILE

rewrite: copies IN to OUT entry by entry; an entry is left out when it starts with a --drop
prefix and with no --keep prefix; --put replaces (or adds) ENTRY with the bytes of FILE.
Compression and timestamps of copied entries are kept. Prints what it changed.
"""
import argparse
import sys
import time
import zipfile


def rewrite(args):
    puts = {}
    for spec in args.put:
        entry, _, path = spec.partition("=")
        if not entry or not path:
            sys.exit("jar_tool: --put needs ENTRY=FILE, got %r" % spec)
        with open(path, "rb") as f:
            puts[entry] = f.read()
    dropped = kept = 0
    dropped_bytes = 0
    with zipfile.ZipFile(args.src) as zin, zipfile.ZipFile(args.dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            name = info.filename
            if name in puts:
                continue
            if any(name.startswith(p) for p in args.drop) and not any(name.startswith(k) for k in args.keep):
                dropped += 1
                dropped_bytes += info.file_size
                continue
            zout.writestr(info, zin.read(info), compress_type=info.compress_type)
            kept += 1
        for entry, data in puts.items():
            info = zipfile.ZipInfo(entry, date_time=time.localtime()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, data)
    print("jar_tool: %s -> %s: kept %d entries, dropped %d (%.1f MiB uncompressed), put %s"
          % (args.src, args.dst, kept, dropped, dropped_bytes / 2**20, ", ".join(puts) or "nothing"))


def cat(args):
    with zipfile.ZipFile(args.src) as z:
        sys.stdout.buffer.write(z.read(args.entry))


def main():
    p = argparse.ArgumentParser(description="jar surgery for the GPU bundle")
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("rewrite")
    r.add_argument("src")
    r.add_argument("dst")
    r.add_argument("--put", action="append", default=[])
    r.add_argument("--drop", action="append", default=[])
    r.add_argument("--keep", action="append", default=[])
    r.set_defaults(fn=rewrite)
    c = sub.add_parser("cat")
    c.add_argument("src")
    c.add_argument("entry")
    c.set_defaults(fn=cat)
    args = p.parse_args()
    args.fn(args)


if __name__ == "__main__":
    main()
