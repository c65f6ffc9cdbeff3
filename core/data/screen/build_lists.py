#!/usr/bin/env python3
"""Rebuilds first_names.txt and surnames.txt from the PyPI package Faker (MIT)
plus the hand-compiled lists in compiled_*.txt. Usage:
    pip download --no-deps -d /tmp/fk Faker && unzip /tmp/fk/faker-*.whl -d /tmp/fk/w
    python3 build_lists.py /tmp/fk/w
Locales bundled: no_NO sv_SE da_DK pl_PL tr_TR en_PK lt_LT vi_VN en_US en_GB.
Latin-script names only (notes are typed in Latin script)."""
import importlib, os, sys, unicodedata

LOCALES = ["no_NO", "sv_SE", "da_DK", "pl_PL", "tr_TR", "en_PK", "lt_LT", "vi_VN", "en_US", "en_GB"]
HERE = os.path.dirname(os.path.abspath(__file__))


def names(loc, attrs):
    m = importlib.import_module(f"faker.providers.person.{loc}")
    out = set()
    for a in attrs:
        v = getattr(m.Provider, a, None)
        if v is None:
            continue
        out |= set(v.keys() if isinstance(v, dict) else v)
    return out


def latin(n):
    return all(c.isascii() or "LATIN" in unicodedata.name(c, "") or c in "-'" for c in n)


def compiled(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return {l.strip() for l in f if l.strip() and not l.startswith("#")}


def main(root):
    sys.path.insert(0, root)
    first, last = set(), set()
    for loc in LOCALES:
        first |= names(loc, ["first_names", "first_names_male", "first_names_female"])
        last |= names(loc, ["last_names", "last_names_male", "last_names_female", "male_last_names"])
    first |= compiled("compiled_first_names.txt")
    last |= compiled("compiled_surnames.txt")
    for fname, items in [("first_names.txt", first), ("surnames.txt", last)]:
        keep = sorted({n.strip() for n in items if latin(n) and len(n.strip()) >= 2 and " " not in n.strip()})
        with open(os.path.join(HERE, fname), "w", encoding="utf-8") as f:
            f.write("\n".join(keep) + "\n")
        print(fname, len(keep))


if __name__ == "__main__":
    main(sys.argv[1])
