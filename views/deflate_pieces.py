"""One gzip stream from pieces deflated apart: a page's fixed parts are deflated once,
and each visit's own values are put between them uncompressed.

Deflate (RFC 1951) can do this because a piece flushed with Z_SYNC_FLUSH ends on a
byte, not as the stream's last block, and an uncompressed ("stored") block is five
bytes of header and the bytes themselves (section 3.2.4). The stream then ends with
an empty final block, inside gzip's header and trailer (RFC 1952).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable

LEVEL = 6  # Flask-Compress's gzip level
WINDOW = 32 * 1024  # how far back deflate can point
HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # gzip, no file name, no time
LAST_BLOCK = zlib.compressobj(wbits=-zlib.MAX_WBITS).flush()  # an empty final block
MAX_STORED = 0xFFFF  # bytes in one stored block


def deflated(data: bytes, before: bytes = b"") -> bytes:
    """``data`` as deflate blocks that can be joined to others. ``before`` is what the
    stream holds just before ``data``, as far as it is known: the blocks may point back
    into it, so it must be exactly the bytes sent there."""
    options = {"zdict": before[-WINDOW:]} if before else {}
    packer = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS, **options)
    return packer.compress(data) + packer.flush(zlib.Z_SYNC_FLUSH)


def stored(data: bytes) -> bytes:
    """``data`` as uncompressed deflate blocks (a name, a token: not worth packing)."""
    return b"".join(
        struct.pack("<BHH", 0, len(chunk), len(chunk) ^ 0xFFFF) + chunk
        for chunk in (
            data[start : start + MAX_STORED]
            for start in range(0, len(data), MAX_STORED)
        )
    )


def gzip_stream(pieces: Iterable[tuple[bytes, bytes]]) -> bytes:
    """The gzip file of ``pieces``, each (its bytes, the same as deflate blocks)."""
    blocks, crc, size = [HEADER], 0, 0
    for data, packed in pieces:
        blocks.append(packed)
        crc, size = zlib.crc32(data, crc), size + len(data)
    blocks += [LAST_BLOCK, struct.pack("<II", crc, size & 0xFFFFFFFF)]
    return b"".join(blocks)
