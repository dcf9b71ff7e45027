"""Bytes of an HTML page to text, the way a browser decodes them (WHATWG order).

1. A byte-order mark (UTF-8, UTF-16 LE/BE) decides.
2. Else the HTTP `Content-Type` charset, else the page's `<meta charset>` or
   `<meta http-equiv="Content-Type" content="...; charset=...">`, read by the browser's label
   table (`iso-8859-1` and `ascii` mean windows-1252, `gb2312` means GBK, a BOM-less `utf-16`
   label means UTF-8...).
3. Else sniffing: UTF-8 when the bytes look like UTF-8, else windows-1252.

Bytes that are invalid in the chosen encoding become U+FFFD one by one: one stray byte is one
replacement character, never a reason to re-read the whole page in another encoding.

One exception to the declared charset, on evidence: valid UTF-8 with multi-byte sequences
beats a declared single-byte charset (Latin-1, windows-1252, ...). Many CMS templates hard-code
`<meta charset="iso-8859-1">` over content that has long been UTF-8, and servers add a default
`charset=ISO-8859-1`. A browser obeys and shows "MÃ¤scot"; but in real single-byte text, a
letter followed by the exact continuation bytes UTF-8 needs ("Ã" then a byte from 0x80-0xBF,
for every accented letter of the page) practically never happens, so a page whose non-ASCII
bytes are almost all valid UTF-8 sequences is UTF-8, whatever its label says.
"""

from __future__ import annotations

import codecs
import re

SNIFF_BYTES = 65_536  # where a <meta charset> is looked for (after any leading junk)

_META_CHARSET = re.compile(
    rb"""<meta\b[^>]{0,512}?charset\s*=\s*["']?\s*([\w.:-]{1,40})""", re.I | re.S
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
# labels whose WHATWG decoder differs from Python's codec of the same name
_BROWSER_CODEC = {
    "ascii": "cp1252",
    "iso8859-1": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "big5": "big5hkscs",
}
_NOT_LABELS = {"utf-7", "unicode-escape", "raw-unicode-escape", "punycode", "idna", "undefined"}
_SINGLE_BYTE = re.compile(r"^(?:cp125\d|cp874|iso8859-\d+|koi8-\w|mac-\w+|latin-1)$")
_UTF8_MULTI = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_HIGH_BYTES = bytes(range(0x80, 0x100))


def decode(data: bytes, content_type: str = "") -> str:
    """The page's text: BOM, HTTP charset, <meta charset>, then sniffing (see the module)."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, "replace")
    declared = declared_codec(data, content_type)
    if declared is None:
        codec = "utf-8" if looks_utf8(data, default=True) else "cp1252"
    else:
        codec = "utf-8" if _SINGLE_BYTE.match(declared) and looks_utf8(data) else declared
    return data.decode(codec, "replace")


def declared_codec(data: bytes, content_type: str) -> str | None:
    """The codec the HTTP header or the page's <meta> names, as a browser reads the label."""
    labels = [m.group(1) for m in [_HEADER_CHARSET.search(content_type)] if m]
    labels += [m.group(1).decode("ascii") for m in [_META_CHARSET.search(data[:SNIFF_BYTES])] if m]
    for label in labels:
        try:
            info = codecs.lookup(label)
        except LookupError:
            continue  # an unknown label is ignored, as browsers do
        name = info.name
        if not getattr(info, "_is_text_encoding", True) or name in _NOT_LABELS:
            continue  # Python codecs no browser knows (utf-7, unicode-escape, ...)
        if name.startswith("utf-16") or name.startswith("utf-32"):
            return "utf-8"  # a BOM-less page claiming UTF-16 is ASCII-compatible: UTF-8
        return _BROWSER_CODEC.get(name, name)
    return None


def looks_utf8(data: bytes, default: bool = False) -> bool:
    """Whether the non-ASCII bytes are (almost) all valid UTF-8 sequences: at most one stray
    byte per 20 valid sequences. Pure ASCII gives `default`."""
    high = len(data) - len(data.translate(None, _HIGH_BYTES))
    if not high:
        return default
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        pass
    rest, sequences = _UTF8_MULTI.subn(b"", data)
    stray = high - (len(data) - len(rest))
    return sequences > 0 and stray * 20 <= sequences
