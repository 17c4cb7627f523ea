"""What can be checked of a PDF/A-2b file without a validator (veraPDF needs Java, which this
project does not ship): a structural check of the PDF LibreOffice writes, reading the file's
bytes (no PDF library).

:func:`problems` returns the rules broken, in Portuguese (an empty list when every check
passes). It checks: the PDF header; the XMP metadata stream, referenced by the catalog, with
``pdfaid:part`` 2 and ``pdfaid:conformance`` B; an OutputIntent ``GTS_PDFA1`` whose
``DestOutputProfile`` stream is an ICC profile (``acsp`` signature); every font with a font
descriptor embedded (``FontFile``, ``FontFile2`` or ``FontFile3``) and no font without one
(the standard 14 unembedded); no encryption; no JavaScript, launch actions or embedded files.
It is not a full PDF/A validation (colour spaces, transparency and XMP/Info consistency are
not checked); it does not read object streams (LibreOffice does not write them) and says so.
"""

from __future__ import annotations

import re
import zlib

from pmas import textos

_OBJ = re.compile(rb"(?<![0-9])(\d+)\s+(\d+)\s+obj\b(.*?)\bendobj\b", re.S)


def objects(content: bytes) -> dict[int, bytes]:
    """Every indirect object's text (dictionary and stream), by object number (last wins)."""
    return {int(m.group(1)): m.group(3) for m in _OBJ.finditer(content)}


def _dict(obj: bytes) -> bytes:
    return obj.split(b"stream", 1)[0]


def _ref(d: bytes, key: bytes) -> int | None:
    m = re.search(rb"/" + key + rb"\s*(\d+)\s+\d+\s+R", d)
    return int(m.group(1)) if m else None


def _stream(obj: bytes) -> bytes:
    m = re.search(rb"stream\r?\n(.*)endstream", obj, re.S)
    if not m:
        return b""
    data = m.group(1)
    if re.search(rb"/Filter\s*/FlateDecode", _dict(obj)):
        try:
            return zlib.decompressobj().decompress(data)
        except zlib.error:
            return b""
    return data


def problems(content: bytes) -> list[str]:
    """The PDF/A-2b rules ``content`` breaks among those checked (see the module docstring)."""
    A = textos.PDFA
    out: list[str] = []
    if not re.match(rb"%PDF-1\.[4-7]", content):
        return [A["cabecalho"]]
    objs = objects(content)
    if any(re.search(rb"/Type\s*/ObjStm", _dict(o)) for o in objs.values()):
        out.append(A["fluxos"])
    trailer = content[content.rfind(b"trailer") :] if b"trailer" in content else b""
    if b"/Encrypt" in trailer:
        out.append(A["criptografado"])
    root = objs.get(_ref(trailer, b"Root") or -1)
    if root is None:
        return [*out, A["sem_catalogo"]]
    catalog = _dict(root)

    meta = objs.get(_ref(catalog, b"Metadata") or -1)
    xmp = _stream(meta) if meta is not None else b""
    if not xmp:
        out.append(A["sem_xmp"])
    else:
        part = re.search(rb"pdfaid:part(?:>|=\")\s*(\d)", xmp)
        conf = re.search(rb"pdfaid:conformance(?:>|=\")\s*([A-Za-z])", xmp)
        if not part or part.group(1) != b"2":
            out.append(A["parte"])
        if not conf or conf.group(1).upper() != b"B":
            out.append(A["conformidade"])

    intents = re.search(rb"/OutputIntents\s*\[([^\]]*)\]", catalog)
    icc_ok = False
    for ref in re.findall(rb"(\d+)\s+\d+\s+R", intents.group(1) if intents else b""):
        intent = _dict(objs.get(int(ref), b""))
        profile = objs.get(_ref(intent, b"DestOutputProfile") or -1)
        if re.search(rb"/S\s*/GTS_PDFA1", intent) and profile is not None:
            icc_ok |= _stream(profile)[36:40] == b"acsp"
    if not icc_ok:
        out.append(A["icc"])

    for num, obj in objs.items():
        d = _dict(obj)
        if re.search(rb"/Type\s*/Font\b", d):
            subtype = re.search(rb"/Subtype\s*/(\w+)", d)
            kind = subtype.group(1) if subtype else b""
            if kind in (b"Type0", b"Type3"):
                continue  # Type0: its descendant carries the descriptor; Type3: glyphs inline
            desc = objs.get(_ref(d, b"FontDescriptor") or -1)
            name = re.search(rb"/BaseFont\s*/([^\s/<>\[\]]+)", d)
            label = name.group(1).decode("latin-1") if name else A["objeto"].format(num=num)
            if desc is None:
                out.append(A["fonte_sem_descritor"].format(fonte=label))
            elif not re.search(rb"/FontFile[23]?\s*\d+\s+\d+\s+R", _dict(desc)):
                out.append(A["fonte"].format(fonte=label))
        if re.search(rb"/(JavaScript|JS)\b", d):
            out.append(A["javascript"].format(num=num))
        if re.search(rb"/S\s*/Launch\b", d):
            out.append(A["launch"].format(num=num))
        if re.search(rb"/EmbeddedFiles\b", d):
            out.append(A["anexos"])
    return out
