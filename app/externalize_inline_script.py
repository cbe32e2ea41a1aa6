#!/usr/bin/env python3
"""trunk post_build hook: move inline <script> elements of the staged index.html into files.

The Content-Security-Policy of index.html allows scripts from 'self' only. Trunk writes the app's
bootstrap (`import init from './app-<hash>.js'; ...`) inline; this hook writes each inline script to
`boot-<sha256 prefix>.js` next to index.html and references it with `src`, keeping `type`. Imports in
the script are relative ('./app-...js'), and the file sits in the same directory, so they resolve
the same way. Fails loudly if it finds nothing to do or something unexpected.
"""
import hashlib
import os
import re
import sys

staging = os.environ.get("TRUNK_STAGING_DIR")
if not staging:
    sys.exit("externalize_inline_script.py: TRUNK_STAGING_DIR is not set (run it as a trunk hook)")
index = os.path.join(staging, "index.html")
html = open(index, encoding="utf-8").read()

pattern = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S)
moved = 0


def replace(m):
    global moved
    attrs, body = m.group("attrs"), m.group("body")
    if "src=" in attrs or not body.strip():
        return m.group(0)
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]
    name = f"boot-{digest}.js"
    with open(os.path.join(staging, name), "w", encoding="utf-8") as f:
        f.write(body.strip() + "\n")
    moved += 1
    return f'<script{attrs} src="./{name}"></script>'


html = pattern.sub(replace, html)
if moved == 0:
    sys.exit("externalize_inline_script.py: no inline script found in index.html (trunk changed?)")
open(index, "w", encoding="utf-8").write(html)
print(f"externalize_inline_script.py: moved {moved} inline script(s) out of index.html")
