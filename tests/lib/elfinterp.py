# SPDX-License-Identifier: Apache-2.0
"""The dynamic loader a 64-bit ELF program names (PT_INTERP), read here
independently of the C reader the launcher uses, for tests to predict its
messages."""
import struct

PT_INTERP = 3


def elf_interpreter(path):
    """PT_INTERP of the 64-bit little-endian ELF file at path, or None."""
    with open(path, "rb") as f:
        head = f.read(64)
        if head[:4] != b"\x7fELF" or head[4] != 2 or head[5] != 1:
            return None
        phoff, = struct.unpack_from("<Q", head, 32)
        phentsize, phnum = struct.unpack_from("<HH", head, 54)
        for i in range(phnum):
            f.seek(phoff + i * phentsize)
            p_type, _, p_offset, _, _, p_filesz = struct.unpack("<IIQQQQ", f.read(40))
            if p_type == PT_INTERP:
                f.seek(p_offset)
                return f.read(p_filesz).rstrip(b"\0").decode()
    return None
